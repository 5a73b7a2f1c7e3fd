package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.ColorScheme;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shutdown, reboot and suspend through a real agent process from the fat jar, whose
 * {@code --power-hook} is a script that records the action instead of powering anything off;
 * then the same from the host page in Chromium: click, type the name to confirm, watch the
 * command succeed live.
 */
class PowerCommandIT extends BrowserTestBase {
    private static final LocatorAssertions.HasTextOptions WITHIN_20_S = new LocatorAssertions.HasTextOptions().setTimeout(20_000);

    /** A hook that appends its argument to {@code record} and says what it did. */
    static Path recordingHook(Path dir, Path record) throws Exception {
        Path hook = dir.resolve("power-hook.sh");
        Files.writeString(hook, "#!/bin/sh\necho \"$1\" >> '" + record + "'\necho \"recorded $1\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        return hook;
    }

    @Test
    void power_commands_run_the_agents_hook_and_an_operator_confirms_one_in_the_browser(@TempDir Path dir) throws Exception {
        Path record = dir.resolve("actions.txt");
        Path hook = recordingHook(dir, record);
        JsonNode host = hub.registerHost("lab-3");
        long id = host.get("id").asLong();
        var admin = hub.admin();
        try (var agent = ServmonProcess.start("agent", "--hub", hub.ingestUrl(), "--key", host.get("key").asText(), "--interval", "2",
                "--state-dir", dir.resolve("state").toString(), "--power-hook", hook.toString())) {
            RealAgents.awaitConnected(hub, id, agent, Duration.ofSeconds(30));
            for (String action : List.of("shutdown", "reboot", "suspend")) {
                var r = admin.post("/api/v1/hosts/" + id + "/power", "{\"action\":\"" + action + "\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                JsonNode done = hub.awaitCommand(admin.json(r).get("id").asText(), "SUCCEEDED", Duration.ofSeconds(20));
                assertThat(done.get("type").asText()).isEqualTo("power." + action);
                assertThat(done.get("message").asText()).isEqualTo(action + " started (" + hook + " " + action + "): recorded " + action);
            }
            assertThat(Files.readAllLines(record)).containsExactly("shutdown", "reboot", "suspend");
            assertThat(admin.post("/api/v1/hosts/" + id + "/power", "{\"action\":\"explode\"}").statusCode()).isEqualTo(400);

            // The same from the host page, as an operator would.
            Page page = open(1280, 900, ColorScheme.LIGHT).signIn(hub, "/host.html?id=" + id);
            assertThat(page.getByTestId("host-status")).hasText("ON", WITHIN_20_S);
            Locator panel = page.getByTestId("power-panel");
            assertThat(panel).isVisible();
            assertThat(page.getByTestId("command-row")).hasCount(3);
            panel.getByTestId("power-shutdown").click();
            Locator dialog = page.getByTestId("power-dialog");
            assertThat(dialog).isVisible();
            assertThat(dialog.getByTestId("power-confirm")).isDisabled();
            dialog.getByTestId("power-confirm-input").fill("lab-");
            assertThat(dialog.getByTestId("power-confirm")).isDisabled();
            dialog.getByTestId("power-confirm-input").fill("lab-3");
            assertThat(dialog.getByTestId("power-confirm")).isEnabled();
            dialog.getByTestId("power-confirm").click();
            assertThat(dialog).isHidden();
            Locator newest = page.getByTestId("command-row").first();
            assertThat(newest.getByTestId("command-state")).hasText("done", WITHIN_20_S);
            assertThat(newest).containsText("Shut down");
            assertThat(newest).containsText("admin");
            assertThat(page.getByTestId("power-status")).containsText("Shut down: done");
            assertThat(Files.readAllLines(record)).containsExactly("shutdown", "reboot", "suspend", "shutdown");
            session.assertClean();
        }
    }
}
