package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.servmon.hub.Samples;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The host page's Power policy and Energy panels and the overview's energy card in a real
 * browser: an operator adds a schedule and sees it listed; a host that reported 150 W for
 * 3 hours through the ingest API shows 0.45 kWh.
 */
class PowerPolicyBrowserIT extends BrowserTestBase {
    @Test
    void an_operator_adds_a_schedule_and_reads_the_hosts_energy() throws Exception {
        JsonNode created = hub.registerHost("rack-1");
        long id = created.get("id").asLong();
        // One sample a minute at 150 W over the last 3 hours: 0.45 kWh.
        long now = System.currentTimeMillis();
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 180; i++) {
            Sample b = Samples.sample(i + 1, now - (180 - i) * 60_000L);
            samples.add(new Sample(b.seq(), b.atMs(), b.cpu(), b.memory(), b.filesystems(), b.network(), b.uptimeSeconds(), 0, 150.0));
        }
        var r = hub.ingest(created.get("key").asText(), Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 60, samples)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        while (hub.hub().maintenance().runOnce().minutesRolledUp() > 0) {
            // until every minute is rolled up
        }

        Page page = open(1280, 1000, ColorScheme.LIGHT).signIn(hub, "/host.html?id=" + id);
        Locator energy = page.getByTestId("energy-panel");
        assertThat(energy.getByTestId("energy-summary")).containsText("0.45 kWh");
        assertThat(energy.getByTestId("energy-summary")).containsText("average 150 W while ON");
        assertThat(energy.getByTestId("energy-day").first()).isVisible();

        Locator policy = page.getByTestId("policy-panel");
        assertThat(policy.getByTestId("schedule-empty")).isVisible();
        policy.getByTestId("schedule-action").selectOption("shutdown");
        policy.getByTestId("schedule-time").fill("06:45");
        policy.getByTestId("schedule-zone").fill("Europe/Berlin");
        policy.getByTestId("schedule-add").click();
        assertThat(policy.getByTestId("schedule-item")).hasCount(1);
        assertThat(policy.getByTestId("schedule-item")).containsText("Shut down MON, TUE, WED, THU, FRI at 06:45 (Europe/Berlin)");
        var admin = hub.admin();
        JsonNode stored = admin.json(admin.get("/api/v1/power/schedules")).get(0);
        assertThat(stored.get("hostId").asLong()).isEqualTo(id);
        assertThat(stored.get("time").asText()).isEqualTo("06:45");

        // A bad zone is refused with the hub's sentence.
        policy.getByTestId("schedule-zone").fill("Mars/Olympus");
        policy.getByTestId("schedule-add").click();
        assertThat(policy.getByTestId("schedule-error")).containsText("IANA time zone");

        policy.getByTestId("idle-enabled").check();
        policy.getByTestId("idle-minutes").fill("45");
        policy.getByTestId("idle-save").click();
        assertThat(policy.getByTestId("idle-state")).containsText("Watching");
        assertThat(admin.json(admin.get("/api/v1/hosts/" + id + "/idle-policy")).get("noUsersMinutes").asInt()).isEqualTo(45);
        page.screenshot(new Page.ScreenshotOptions().setPath(shot("power-policy-host.png")).setFullPage(true));

        page.navigate(hub.apiUrl() + "/");
        assertThat(page.getByTestId("count-energy")).containsText("0.45 kWh");
        assertThat(page.getByTestId("count-energy")).containsText("EUR");
        page.screenshot(new Page.ScreenshotOptions().setPath(shot("power-policy-overview.png")));
    }

    private static Path shot(String name) {
        return Paths.get("target", "screenshots", name);
    }
}
