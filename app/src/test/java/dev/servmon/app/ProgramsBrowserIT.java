package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.servmon.hub.Samples;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.programs.RecordingChannel;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host page's Programs section in a real browser. First with a real agent process over the
 * real command channel: an operator restarts a program and sees the agent's answer and the
 * program's new state and pid arrive live, then reads its output. Then with a
 * {@link RecordingChannel} (the hub test-jar's recording implementation of the channel's
 * interface) and statuses reported through the real ingest API, to pin what the page shows for
 * given statuses (sizes, uptime, hostile messages) and what it sends.
 */
class ProgramsBrowserIT extends BrowserTestBase {
    private static final LocatorAssertions.HasTextOptions WITHIN_20_S = new LocatorAssertions.HasTextOptions().setTimeout(20_000);
    private static final LocatorAssertions.ContainsTextOptions CONTAINS_WITHIN_20_S =
            new LocatorAssertions.ContainsTextOptions().setTimeout(20_000);
    private final RecordingChannel channel = new RecordingChannel();
    private long seq;

    @Test
    void an_operator_restarts_a_real_agents_program_and_sees_it_come_back_live(@TempDir Path dir) throws Exception {
        Path ticker = RealAgents.ticker(dir);
        var host = hub.registerHost("app-2");
        long id = host.get("id").asLong();
        try (var agent = RealAgents.start(hub, host, dir.resolve("state"))) {
            RealAgents.awaitConnected(hub, id, agent, Duration.ofSeconds(30));
            // Up 3 s counts as started: long enough for a sample (every second) to show STARTING.
            var r = hub.admin().post("/api/v1/hosts/" + id + "/programs",
                    "{\"name\":\"web\",\"command\":\"/bin/sh\",\"args\":[\"" + ticker + "\"],\"startSeconds\":3}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);

            Page page = open(1280, 900, ColorScheme.DARK).signIn(hub, "/host.html?id=" + id);
            Locator row = page.locator("[data-testid=program-row][data-program=web]");
            assertThat(row.getByTestId("program-state")).hasText("RUNNING", WITHIN_20_S);
            String before = row.getByTestId("program-pid").textContent();
            assertThat(ProcessHandle.of(Long.parseLong(before)).map(ProcessHandle::isAlive)).contains(true);
            page.evaluate("() => { window.notReloaded = true; }");

            row.getByTestId("program-restart").click();
            assertThat(page.getByTestId("programs-message")).containsText("restart web: done — restarted web, pid", CONTAINS_WITHIN_20_S);
            assertThat(row.getByTestId("program-state")).hasText("STARTING", WITHIN_20_S);
            assertThat(row.getByTestId("program-pid")).not().hasText(before);
            assertThat(row.getByTestId("program-state")).hasText("RUNNING", WITHIN_20_S);
            String after = row.getByTestId("program-pid").textContent();
            assertThat(page.getByTestId("programs-message")).containsText("restarted web, pid " + after);
            assertThat(ProcessHandle.of(Long.parseLong(after)).map(ProcessHandle::isAlive)).contains(true);
            assertThat(ProcessHandle.of(Long.parseLong(before)).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(page.evaluate("() => window.notReloaded === true")).isEqualTo(true);

            // The output comes from the agent (program.tail over the channel).
            row.getByTestId("program-open").click();
            assertThat(page.getByTestId("program-log")).containsText("tick ", CONTAINS_WITHIN_20_S);
            row.getByTestId("program-stop").click();
            assertThat(page.getByTestId("programs-message")).containsText("stop web: done — web stopped after SIGTERM", CONTAINS_WITHIN_20_S);
            assertThat(row.getByTestId("program-state")).hasText("STOPPED", WITHIN_20_S);
            assertThat(page.getByTestId("programs-away")).isHidden();

            // The agent goes away: the page says the states are old news, and a start is refused, not queued.
            agent.kill();
            assertThat(page.getByTestId("host-status")).hasText("OFF", WITHIN_20_S);
            assertThat(page.getByTestId("programs-away")).containsText("The agent is not reporting");
            row.getByTestId("program-start").click();
            assertThat(page.getByTestId("programs-error")).containsText("is not connected, so program.start was not sent to 'web'");
            assertThat(page.getByTestId("programs-error")).containsText("not queued");
            assertThat(page.evaluate("() => window.notReloaded === true")).isEqualTo(true);
            session.assertClean();
            page.screenshot(new Page.ScreenshotOptions().setPath(BrowserSession.screenshotDir().resolve("programs-agent-away.png")));
        }
    }

    @Test
    void an_operator_restarts_a_program_and_sees_its_state_change_live() {
        hub.close();
        hub = TestHub.start(channel, channel);
        var admin = hub.admin();
        var created = hub.registerHost("app-1");
        long id = created.get("id").asLong();
        String key = created.get("key").asText();
        var r = admin.post("/api/v1/hosts/" + id + "/programs",
                "{\"name\":\"web\",\"command\":\"/usr/bin/python3\",\"args\":[\"-m\",\"http.server\"],\"restart\":\"always\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        long pid = admin.json(r).at("/program/id").asLong();
        long now = System.currentTimeMillis();
        report(key, new Sample.Program("web", "program", "RUNNING", 4100L, null, 0, now - 3_600_000, 2.5, 48L << 20,
                "<img src=x onerror=window.pwned=1>"));

        Page page = open(1280, 900, ColorScheme.LIGHT).signIn(hub, "/host.html?id=" + id);
        Locator row = page.locator("[data-testid=program-row][data-program=web]");
        assertThat(row.getByTestId("program-state")).hasText("RUNNING");
        assertThat(row.getByTestId("program-pid")).hasText("4100");
        assertThat(row.getByTestId("program-rss")).hasText("48.0 MiB");
        assertThat(row.getByTestId("program-uptime")).containsText("1 h");

        row.getByTestId("program-restart").click();
        assertThat(page.getByTestId("programs-message")).containsText("restart sent to web");
        var sent = channel.last();
        assertThat(sent.type()).isEqualTo("program.restart");
        assertThat(sent.hostId()).isEqualTo(id);
        assertThat(sent.args()).containsEntry("name", "web");

        // The agent reports the restart: the row follows without a reload.
        report(key, new Sample.Program("web", "program", "STARTING", 4242L, null, 0, System.currentTimeMillis(), null, null, "restarted on request"));
        assertThat(row.getByTestId("program-state")).hasText("STARTING");
        assertThat(row.getByTestId("program-pid")).hasText("4242");
        report(key, new Sample.Program("web", "program", "RUNNING", 4242L, null, 0, System.currentTimeMillis(), 1.0, 40L << 20, "restarted on request"));
        assertThat(row.getByTestId("program-state")).hasText("RUNNING");
        assertThat(row.getByTestId("program-state")).hasAttribute("data-state", "RUNNING");

        channel.tailLines = List.of("Serving HTTP on 0.0.0.0 port 8000", "<b>not bold</b>");
        row.getByTestId("program-open").click();
        assertThat(page.getByTestId("program-log")).containsText("<b>not bold</b>");
        assertThat(page.getByTestId("program-log").locator("b")).hasCount(0);

        page.getByTestId("program-add").click();
        page.getByTestId("pf-name").fill("worker");
        page.getByTestId("pf-command").fill("/bin/sleep");
        page.getByTestId("pf-args").fill("1000");
        page.getByTestId("program-save").click();
        assertThat(page.locator("[data-testid=program-row][data-program=worker]")).isVisible();
        assertThat(page.getByTestId("programs-message")).containsText("worker saved; sent to the agent");
        assertThat(channel.last().type()).isEqualTo("programs.apply");
        assertThat((List<?>) channel.last().args().get("programs")).hasSize(2);

        assertThat(page.evaluate("() => window.pwned === undefined")).isEqualTo(true);
        assertThat(hub.admin().get("/api/v1/hosts/" + id + "/programs/" + pid).statusCode()).isEqualTo(200);
        session.assertClean();
        page.screenshot(new Page.ScreenshotOptions().setPath(BrowserSession.screenshotDir().resolve("programs.png")).setFullPage(true));
    }

    private void report(String key, Sample.Program program) {
        long at = System.currentTimeMillis();
        Sample s = Samples.sample(++seq, at).withPrograms(List.of(program), List.of());
        var r = hub.ingest(key, Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10, List.of(s))));
        assertThat(r.statusCode()).isEqualTo(200);
    }
}
