package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.BoundingBox;
import dev.servmon.hub.TestHub;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host page in a real browser against a real hub holding a year of reports for a host
 * (sent through the ingest API) and a real agent reporting for it every 10 s.
 */
class HostPageBrowserIT extends BrowserTestBase {
    private static final LocatorAssertions.HasTextOptions WITHIN_20_S = new LocatorAssertions.HasTextOptions().setTimeout(20_000);
    private static final LocatorAssertions.IsVisibleOptions VISIBLE_WITHIN_20_S = new LocatorAssertions.IsVisibleOptions().setTimeout(20_000);
    private static final Pattern PERCENT = Pattern.compile("^\\d{1,3}(\\.\\d)? %$");

    long seededUntil;

    @Test
    void an_operator_reads_a_hosts_charts_and_history_exports_it_renames_and_deletes_the_host(@TempDir Path agentState)
            throws Exception {
        JsonNode created = hub.registerHost("web-7");
        long id = created.get("id").asLong();
        String key = created.get("key").asText();
        seededUntil = System.currentTimeMillis() - 60_000;
        // The year first, rolled up as the hub's background task would have done by now; then
        // the last 2 h, which the raw tier serves to the 1-hour to 24-hour charts.
        SyntheticHistory.ingest(hub, key, SyntheticHistory.reports(seededUntil, false));
        while (hub.hub().maintenance().runOnce().minutesRolledUp() > 0) {
            // until every minute is rolled up
        }
        SyntheticHistory.ingest(hub, key, SyntheticHistory.reports(seededUntil, true));
        hub.registerHost("db-9");

        try (var agent = ServmonProcess.start("agent", "--hub", hub.ingestUrl(), "--key", key,
                "--interval", "10", "--process-interval", "1", "--state-dir", agentState.toString())) {
            // A link to the host page survives signing in.
            Page page = open(1440, 900, ColorScheme.LIGHT).signIn(hub, "/host.html?id=" + id);
            assertThat(page.getByTestId("host-name")).hasText("web-7");

            page.getByTestId("back-to-overview").click();
            page.waitForURL(hub.apiUrl() + "/");
            Locator card = page.locator("[data-testid=host-card][data-host-name=web-7]");
            assertThat(card.getByTestId("host-status")).hasText("ON", WITHIN_20_S);
            card.getByTestId("host-link").click();
            page.waitForURL(hub.apiUrl() + "/host.html?id=" + id + "&range=1h");

            header(page);
            panels(page);
            charts(page, id);
            history(page);
            csv(page);
            screenshots(page);
            theme(page);
            rename(page, id);
            delete(page, id);
            emptyAndMissingHosts(page);
            session.assertClean();
            // Deleting the host revoked its key: the agent is told so and stops.
            assertThat(agent.awaitExit(java.time.Duration.ofSeconds(20))).isNotZero();
            assertThat(agent.stdout() + agent.stderr()).contains("rejected host key");
        }
    }

    private void header(Page page) {
        assertThat(page.getByTestId("host-status")).hasText("ON");
        assertThat(page.getByTestId("host-agent")).hasText(Pattern.compile("^\\d+\\.\\d+\\.\\d+"));
        assertThat(page.getByTestId("host-last-seen")).hasText(Pattern.compile("just now|\\d+ s ago"));
        assertThat(page).hasTitle("web-7 · servmon");
        Locator cpuSpark = page.locator("[data-testid=spark][data-name=cpu]");
        assertThat(cpuSpark).hasAttribute("aria-label", Pattern.compile("^CPU, last \\d+ reports: latest \\d+(\\.\\d)? %"));
        assertThat(page.locator("[data-testid=spark][data-name=power_watts]")).isVisible();
    }

    private void panels(Page page) {
        assertThat(page.getByTestId("processes").locator("tbody tr").first()).isVisible(VISIBLE_WITHIN_20_S);
        assertThat(page.getByTestId("processes")).containsText("java");
        assertThat(page.getByTestId("filesystems").locator("tbody")).containsText("/");
        assertThat(page.getByTestId("filesystems").locator("tbody")).containsText(Pattern.compile("\\d+ GiB"));
        assertThat(page.getByTestId("inventory")).containsText("Kernel", new LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
        assertThat(page.getByTestId("inventory")).containsText("CPU");
    }

    private void charts(Page page, long id) {
        Locator cpu = chart(page, "cpu");
        assertThat(cpu.locator("canvas")).isVisible();
        assertThat(page.getByTestId("resolution")).hasAttribute("data-resolution", "raw");
        for (String present : List.of("cpu-cores", "load", "memory", "fs:/", "net:eth0", "temp", "power", "users")) {
            assertThat(chart(page, present)).isVisible();
        }
        // Only charts for series the host has: no GPU, no fans here.
        assertThat(chart(page, "gpu")).hasCount(0);
        assertThat(chart(page, "fans")).hasCount(0);
        assertThat(cpu).hasAttribute("aria-describedby", Pattern.compile(".+"));
        assertThat(page.locator("#" + cpu.getAttribute("aria-describedby"))).containsText("total: latest");

        Map<String, String> tiers = Map.of("1h", "raw", "6h", "raw", "24h", "raw", "7d", "1m", "30d", "15m", "1y", "1h");
        for (String range : List.of("6h", "24h", "7d", "30d", "1y", "1h")) {
            page.getByTestId("range-" + range).click();
            page.waitForURL("**/host.html?id=" + id + "&range=" + range);
            assertThat(page.getByTestId("resolution")).hasAttribute("data-resolution", tiers.get(range));
            assertThat(page.getByTestId("range-" + range)).hasAttribute("aria-pressed", "true");
            assertThat(page.getByTestId("charts")).hasAttribute("aria-busy", "false");
            assertThat(cpu.locator(".chart-empty")).isHidden();
            assertThat(cpu.getByTestId("chart-latest")).hasText(PERCENT);
        }

        // Hover: a tooltip with the value under the pointer, a crosshair on every chart.
        Locator over = cpu.locator(".u-over");
        over.hover();
        Locator tip = cpu.getByTestId("chart-tooltip");
        assertThat(tip).isVisible();
        assertThat(tip.getByTestId("chart-tooltip-value").first()).hasText(PERCENT);
        assertThat(tip).containsText(Pattern.compile("\\d{4}, \\d{2}:\\d{2}:\\d{2} CET"));
        assertThat(chart(page, "memory").locator(".u-cursor-x")).not().hasClass(Pattern.compile("u-off"));
        assertThat(chart(page, "memory").getByTestId("chart-tooltip")).isHidden();

        // Keyboard: arrow keys walk the reports of a focused chart.
        page.mouse().move(0, 0);
        assertThat(tip).isHidden();
        chart(page, "memory").press("ArrowLeft");
        assertThat(chart(page, "memory").getByTestId("chart-tooltip-value").first()).hasText(Pattern.compile("\\d+(\\.\\d)? GiB"));

        // Drag to zoom in: a fixed range at a finer resolution; "Undo zoom" goes back.
        over.scrollIntoViewIfNeeded();
        BoundingBox box = over.boundingBox();
        page.mouse().move(box.x + box.width * 0.40, box.y + box.height / 2);
        page.mouse().down();
        page.mouse().move(box.x + box.width * 0.55, box.y + box.height / 2, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(6));
        page.mouse().up();
        page.waitForURL(Pattern.compile(".*/host\\.html\\?id=" + id + "&from=\\d+&to=\\d+$"));
        Map<String, String> zoomed = query(page.url());
        long span = Long.parseLong(zoomed.get("to")) - Long.parseLong(zoomed.get("from"));
        assertThat(span).as("15 %% of 1 h").isCloseTo((long) (0.15 * SyntheticHistory.HOUR), within(2 * SyntheticHistory.MINUTE));
        assertThat(page.getByTestId("zoom-out")).isVisible();
        assertThat(page.getByTestId("range-1h")).hasAttribute("aria-pressed", "false");
        assertThat(page.getByTestId("charts")).hasAttribute("aria-busy", "false");
        assertThat(cpu.getByTestId("chart-latest")).hasText(PERCENT);
        page.getByTestId("zoom-out").click();
        page.waitForURL("**/host.html?id=" + id + "&range=1h");

        // A custom range is read in the viewer's zone (Berlin here, not UTC).
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
        Instant to = Instant.now().minusSeconds(30 * 60);
        Instant from = to.minusSeconds(3600);
        page.getByTestId("range-from").fill(LocalDateTime.ofInstant(from, berlin).format(local));
        page.getByTestId("range-to").fill(LocalDateTime.ofInstant(to, berlin).format(local));
        page.getByTestId("custom-range").locator("button[type=submit]").click();
        page.waitForURL(Pattern.compile(".*&from=\\d+&to=\\d+$"));
        Map<String, String> custom = query(page.url());
        assertThat(Long.parseLong(custom.get("from"))).isEqualTo(from.getEpochSecond() / 60 * 60_000);
        assertThat(Long.parseLong(custom.get("to"))).isEqualTo(to.getEpochSecond() / 60 * 60_000);
        assertThat(cpu.getByTestId("chart-latest")).hasText(PERCENT);
        page.getByTestId("range-1h").click();
        page.waitForURL("**/host.html?id=" + id + "&range=1h");
    }

    private void history(Page page) {
        Locator rows = page.getByTestId("history-row");
        page.getByTestId("history-size").selectOption("25");
        assertThat(rows).hasCount(25);
        assertThat(page.getByTestId("history-page")).hasText(Pattern.compile("^Page 1 of 1\\d$"));
        assertThat(page.getByTestId("history-prev")).isDisabled();
        Locator firstTime = rows.first().locator("time");
        String newest = firstTime.getAttribute("datetime");

        page.getByTestId("history-next").click();
        assertThat(page.getByTestId("history-page")).hasText(Pattern.compile("^Page 2 of "));
        assertThat(rows).hasCount(25);
        assertThat(firstTime).not().hasAttribute("datetime", newest);
        assertThat(Instant.parse(firstTime.getAttribute("datetime"))).isBefore(Instant.parse(newest));
        assertThat(rows.first().locator("td").first()).hasText(PERCENT);

        page.getByTestId("history-sort").click();
        assertThat(page.getByTestId("history-page")).hasText(Pattern.compile("^Page 1 of "));
        assertThat(page.locator("th[aria-sort=ascending]")).hasCount(1);
        Instant oldest = Instant.parse(firstTime.getAttribute("datetime"));
        assertThat(oldest).isBefore(Instant.now().minusSeconds(55 * 60));
        page.getByTestId("history-last").click();
        assertThat(page.getByTestId("history-next")).isDisabled();
    }

    private void csv(Page page) throws Exception {
        String totalText = page.getByTestId("history-total").textContent().replaceAll("[^0-9]", "");
        long total = Long.parseLong(totalText);
        Download download = page.waitForDownload(() -> page.getByTestId("history-csv").click());
        assertThat(download.suggestedFilename()).matches("servmon-web-7-\\d{8}-\\d{4}-\\d{8}-\\d{4}\\.csv");
        List<String> lines = Files.readAllLines(download.path(), StandardCharsets.UTF_8);
        assertThat(page.getByTestId("csv-status")).containsText("downloaded");
        assertThat(lines.get(0)).startsWith("time_utc,at_ms,seq,cpu (percent),load1 (load),mem_used (bytes)");
        assertThat(lines).hasSize((int) total + 1);
        List<String> header = List.of(lines.get(0).split(","));
        int cpuColumn = header.indexOf("cpu (percent)");

        // Every synthetic report of the range is there with the value it was sent with.
        Map<Long, String[]> bySeq = new HashMap<>();
        long previousAt = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertThat(cells).hasSize(header.size());
            long at = Long.parseLong(cells[1]);
            assertThat(at).as("oldest first").isGreaterThanOrEqualTo(previousAt);
            previousAt = at;
            assertThat(Instant.parse(cells[0]).toEpochMilli()).isEqualTo(at);
            bySeq.put(Long.parseLong(cells[2]), cells);
        }
        long rangeStart = Long.parseLong(lines.get(1).split(",")[1]);
        long checked = 0;
        for (SyntheticHistory.Report r : SyntheticHistory.reports(seededUntil, true)) {
            if (r.atMs() < rangeStart) {
                continue;
            }
            String[] cells = bySeq.get(r.seq());
            assertThat(cells).as("report seq %d at %s in the CSV", r.seq(), Instant.ofEpochMilli(r.atMs())).isNotNull();
            assertThat(Long.parseLong(cells[1])).isEqualTo(r.atMs());
            assertThat(Double.parseDouble(cells[cpuColumn])).isCloseTo(SyntheticHistory.cpuPercent(r), within(0.005));
            checked++;
        }
        assertThat(checked).as("about an hour of reports every 10 s").isGreaterThan(330);
        assertThat(bySeq.keySet().stream().filter(seq -> seq > 1_000_000_000_000L)).as("the real agent's reports").isNotEmpty();
    }

    private void screenshots(Page page) {
        session.screenshots("host", new int[] {1440, 900}, new int[] {390, 844});
    }

    private void theme(Page page) {
        String lightAxis = axisColour(page);
        page.locator("[data-theme-toggle]").click();
        assertThat(page.locator("html")).hasAttribute("data-theme", "dark");
        assertThat(chart(page, "cpu").locator("canvas")).isVisible();
        assertThat(axisColour(page)).as("charts follow the theme").isNotEqualTo(lightAxis);
        page.locator("[data-theme-toggle]").click();
        assertThat(page.locator("html")).hasAttribute("data-theme", "light");
    }

    /** The axis colour the charts were last drawn with. */
    private static String axisColour(Page page) {
        return page.getByTestId("charts").getAttribute("data-axis-colour");
    }

    private void rename(Page page, long id) {
        page.getByTestId("rename-host").click();
        assertThat(page.getByTestId("rename-input")).hasValue("web-7");
        page.getByTestId("rename-input").fill("db-9");
        page.getByTestId("rename-submit").click();
        assertThat(page.getByTestId("rename-error")).hasText("a host named 'db-9' already exists");
        page.getByTestId("rename-input").fill("web-7 <b>renamed</b>");
        page.getByTestId("tags-input").fill("Bad Tag!");
        page.getByTestId("rename-submit").click();
        assertThat(page.getByTestId("rename-error")).containsText("may only hold a-z, 0-9");
        page.getByTestId("tags-input").fill("web, EU-west  prod");
        page.getByTestId("rename-submit").click();
        assertThat(page.getByTestId("rename-dialog")).isHidden();
        assertThat(page.locator("[data-testid=host-tags] .tag")).hasText(new String[] {"eu-west", "prod", "web"});
        assertThat(page.getByTestId("host-name")).hasText("web-7 <b>renamed</b>");
        assertThat(page).hasTitle("web-7 <b>renamed</b> · servmon");
        assertThat(hub.admin().json(hub.admin().get("/api/v1/hosts/" + id)).get("name").asText()).isEqualTo("web-7 <b>renamed</b>");

        // Back goes to the overview (range changes replace the history entry), which has the new name.
        page.goBack();
        page.waitForURL(hub.apiUrl() + "/");
        assertThat(page.locator("[data-testid=host-card] .card-title")).containsText(new String[] {"db-9", "web-7 <b>renamed</b>"});
        // Its tags show on its card and the overview filters by them.
        page.getByTestId("filter").fill("tag:prod");
        assertThat(page.locator("[data-testid=host-card]:visible")).hasCount(1);
        assertThat(page.locator("[data-testid=host-card]:visible [data-testid=host-tags] .tag")).hasText(new String[] {"eu-west", "prod", "web"});
        page.getByTestId("filter").fill("");
        page.goForward();
        page.waitForURL("**/host.html?id=" + id + "&range=1h");
        assertThat(page.getByTestId("host-name")).hasText("web-7 <b>renamed</b>");
    }

    private void delete(Page page, long id) {
        page.getByTestId("delete-host").click();
        assertThat(page.getByTestId("delete-name")).hasText("web-7 <b>renamed</b>");
        page.getByTestId("confirm-delete").click();
        page.waitForURL(hub.apiUrl() + "/");
        assertThat(page.getByTestId("host-card")).hasCount(1);
        assertThat(hub.admin().get("/api/v1/hosts/" + id).statusCode()).isEqualTo(404);
    }

    /** A host that never reported says so instead of drawing empty charts; an unknown id is an error page. */
    private void emptyAndMissingHosts(Page page) {
        page.locator("[data-testid=host-card][data-host-name=db-9]").getByTestId("host-link").click();
        page.waitForURL(Pattern.compile(".*/host\\.html\\?id=\\d+&range=1h$"));
        assertThat(page.getByTestId("host-status")).hasText("EMPTY");
        assertThat(page.getByTestId("charts-empty")).containsText("has not reported yet");
        assertThat(page.getByTestId("chart")).hasCount(0);
        assertThat(page.getByTestId("history-empty")).isVisible();
        assertThat(page.getByTestId("processes-panel")).containsText("No report yet");
        assertThat(page.getByTestId("spark")).hasCount(0);
        page.navigate(hub.apiUrl() + "/host.html?id=999999");
        assertThat(page.getByTestId("host-error")).containsText("There is no host with id 999999");
    }

    private static Locator chart(Page page, String id) {
        return page.locator("[data-testid=chart][data-chart=" + TestHub.quote(id) + "]");
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }
}
