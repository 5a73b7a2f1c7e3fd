package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.servmon.hub.TestHub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview in a real browser (Debian chromium driven by Playwright, see {@link BrowserSession})
 * against a real hub (in-process, real ports, real SQLite) and, for the main scenario, a real
 * agent process.
 */
class DashboardBrowserIT extends BrowserTestBase {
    private static final LocatorAssertions.HasTextOptions WITHIN_20_S = new LocatorAssertions.HasTextOptions().setTimeout(20_000);

    @Test
    void an_operator_adds_a_host_watches_a_real_agent_turn_it_on_and_deletes_it(@TempDir Path agentState) throws Exception {
        Page page = signIn(1440, 900, ColorScheme.LIGHT);
        String name = "e2e-" + UUID.randomUUID().toString().substring(0, 8);

        page.getByTestId("add-host").click();
        page.getByTestId("host-name-input").fill(name);
        page.getByTestId("add-submit").click();
        Locator keyBox = page.getByTestId("new-host-key");
        assertThat(keyBox).hasText(Pattern.compile("^\\S{20,}$"));
        String key = keyBox.textContent().strip();
        assertThat(page.getByTestId("install-command"))
                .hasText("curl -fsSL " + hub.ingestUrl() + "/install/agent.sh | sudo sh -s -- --key " + key);
        session.context.grantPermissions(List.of("clipboard-read", "clipboard-write"));
        page.getByTestId("copy-install").click();
        assertThat(page.getByTestId("copy-install")).hasText("Copied");
        assertThat(page.evaluate("() => navigator.clipboard.readText()"))
                .isEqualTo("curl -fsSL " + hub.ingestUrl() + "/install/agent.sh | sudo sh -s -- --key " + key);
        assertThat(page.getByTestId("agent-command")).hasText("java -jar servmon.jar agent --hub " + hub.ingestUrl() + " --key " + key);
        assertThat(page.getByTestId("add-host-dialog")).containsText("will not be shown again");
        page.getByTestId("add-done").click();
        assertThat(page.getByTestId("add-host-dialog")).isHidden();
        assertThat(page.locator("body")).not().containsText(key);

        Locator card = cardNamed(page, name);
        assertThat(card.getByTestId("host-status")).hasText("EMPTY");
        assertThat(card).containsText("Waiting for first report");
        assertThat(card.getByTestId("install-hint"))
                .hasText("curl -fsSL " + hub.ingestUrl() + "/install/agent.sh | sudo sh -s -- --key <host-key>");
        assertThat(card.getByTestId("agent-hint")).hasText("java -jar servmon.jar agent --hub " + hub.ingestUrl() + " --key <host-key>");
        assertThat(page.getByTestId("count-empty")).containsText("1");

        try (var agent = ServmonProcess.start("agent", "--hub", hub.ingestUrl(), "--key", key,
                "--interval", "1", "--state-dir", agentState.toString())) {
            assertThat(card.getByTestId("host-status")).hasText("ON", WITHIN_20_S);
            Locator gauge = card.getByTestId("cpu-gauge");
            assertThat(gauge).hasAttribute("role", "meter");
            assertThat(gauge).hasAttribute("aria-valuenow", Pattern.compile("^\\d+(\\.\\d+)?$"));
            assertThat(Double.parseDouble(gauge.getAttribute("aria-valuenow"))).isBetween(0.0, 100.0);
            assertThat(gauge).containsText(Pattern.compile("\\d %"));
            assertThat(card).containsText(Pattern.compile("\\d+\\.\\d+ / \\d+\\.\\d+ (MiB|GiB|TiB)"));
            assertThat(card.getByTestId("last-seen")).hasText(Pattern.compile("just now|\\d+ s ago"));
            assertThat(page.getByTestId("count-on")).containsText("1");
            assertThat(agent.stop(Duration.ofSeconds(10))).as("agent exits on SIGTERM").isIn(0, 143);
        }
        // Silent for 3 × interval + 5 s: the hub pushes OFF and the card turns red without a reload.
        assertThat(card.getByTestId("host-status")).hasText("OFF", WITHIN_20_S);
        assertThat(card).hasAttribute("data-status", "OFF");

        card.getByTestId("delete-host").click();
        assertThat(page.getByTestId("delete-name")).hasText(name);
        page.getByTestId("confirm-delete").click();
        assertThat(card).hasCount(0);
        assertThat(page.getByTestId("empty-state")).isVisible();
        assertThat(hub.admin().get("/api/v1/hosts").body()).doesNotContain(name);

        assertCleanPage();
    }

    @Test
    void a_host_name_made_of_markup_is_shown_as_text_and_never_runs() {
        Page page = signIn(1440, 900, ColorScheme.LIGHT);
        String name = "<img src=x onerror=alert(1)>";

        page.getByTestId("add-host").click();
        page.getByTestId("host-name-input").fill(name);
        page.getByTestId("add-submit").click();
        assertThat(page.getByTestId("new-host-key")).not().isEmpty();
        page.getByTestId("add-done").click();

        Locator card = page.getByTestId("host-card");
        assertThat(card).hasCount(1);
        assertThat(card.locator(".card-title")).hasText(name);
        assertThat(card).hasAttribute("data-host-name", name);
        card.getByTestId("delete-host").click();
        assertThat(page.getByTestId("delete-name")).hasText(name);
        page.keyboard().press("Escape");
        assertThat(page.getByTestId("delete-dialog")).isHidden();

        // Also through the live stream and a fresh load, not only the add dialog's path.
        hub.registerHost("<script>alert(2)</script>");
        assertThat(page.getByTestId("host-card")).hasCount(2);
        page.reload();
        assertThat(page.getByTestId("host-card")).hasCount(2);
        assertThat(page.locator("[data-testid=host-card] .card-title")).containsText(new String[] {name, "<script>alert(2)</script>"});

        page.waitForTimeout(500);
        assertThat(page.locator("main img")).hasCount(0);
        assertThat((Boolean) page.evaluate("() => [...document.scripts].every(s => s.src.startsWith(location.origin))")).isTrue();
        assertThat(session.dialogs).as("alert() never ran").isEmpty();
        assertCleanPage();
    }

    @Test
    void a_host_deleted_elsewhere_leaves_the_page_without_a_reload() {
        JsonNode host = hub.registerHost("short-lived");
        Page page = signIn(1440, 900, ColorScheme.LIGHT);
        Locator card = cardNamed(page, "short-lived");
        assertThat(card).hasCount(1);

        assertThat(hub.admin().delete("/api/v1/hosts/" + host.get("id").asLong()).statusCode()).isEqualTo(204);
        assertThat(card).hasCount(0);
        assertThat(page.getByTestId("count-empty")).containsText("0");
        assertCleanPage();
    }

    @Test
    void the_overview_fits_phone_and_desktop_widths_in_light_and_dark() throws Exception {
        buildFleet();
        Path shots = BrowserSession.screenshotDir();
        Page page = signIn(1440, 900, ColorScheme.LIGHT);
        assertThat(page.getByTestId("host-card")).hasCount(6);
        assertThat(cardNamed(page, "licence-server").getByTestId("host-status")).hasText("OFF", WITHIN_20_S);
        assertThat(page.getByTestId("count-on")).containsText("4");
        assertThat(page.getByTestId("count-off")).containsText("1");
        assertThat(page.getByTestId("count-empty")).containsText("1");
        page.waitForTimeout(800); // let the gauges' transition finish before the pictures

        String lightBackground = null;
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(scheme));
            String background = (String) page.evaluate("() => getComputedStyle(document.body).backgroundColor");
            if (scheme == ColorScheme.LIGHT) {
                lightBackground = background;
            } else {
                assertThat(background).as("dark theme changes the page colours").isNotEqualTo(lightBackground);
            }
            for (int[] size : new int[][] {{1440, 900}, {390, 844}}) {
                page.setViewportSize(size[0], size[1]);
                page.waitForTimeout(300);
                assertThat(session.fitsWidth())
                        .as("no sideways scrolling at %d px in %s", size[0], scheme).isTrue();
                String file = "overview-" + size[0] + "-" + scheme.name().toLowerCase(Locale.ROOT) + ".png";
                page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve(file)).setFullPage(size[0] < 1000));
            }
        }

        // The theme toggle overrides the system choice and survives a reload.
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
        page.setViewportSize(1440, 900);
        page.locator("[data-theme-toggle]").click();
        assertThat(page.locator("html")).hasAttribute("data-theme", "dark");
        page.reload();
        assertThat(page.locator("html")).hasAttribute("data-theme", "dark");
        assertCleanPage();
    }

    @Test
    void the_overview_counts_filters_sorts_and_compares_hosts_and_keeps_the_view_in_the_url() {
        String web1 = buildFleet();
        Page page = signIn(1440, 900, ColorScheme.LIGHT);
        assertThat(cardNamed(page, "licence-server").getByTestId("host-status")).hasText("OFF", WITHIN_20_S);
        // Count cards: power of the two ON hosts with a sensor, users on ON hosts only.
        assertThat(page.getByTestId("count-power")).containsText("230 W");
        assertThat(page.getByTestId("count-power")).containsText("(2 of 4)");
        assertThat(page.getByTestId("count-users")).containsText("3");

        Locator visibleCards = page.locator("[data-testid=host-card]:visible");
        page.getByTestId("filter").fill("web");
        assertThat(visibleCards).hasCount(2);
        assertThat(page.getByTestId("host-total")).hasText("(2 of 6)");
        assertThat(page).hasURL(Pattern.compile("\\?q=web$"));
        page.getByTestId("filter").fill("status:off");
        assertThat(visibleCards).hasCount(1);
        assertThat(visibleCards.first()).hasAttribute("data-host-name", "licence-server");
        page.getByTestId("filter").fill("no-such-host");
        assertThat(page.getByTestId("filter-none")).isVisible();
        page.getByTestId("filter").press("Escape");
        assertThat(visibleCards).hasCount(6);
        page.getByTestId("status-filter").selectOption("EMPTY");
        assertThat(visibleCards).hasCount(1);
        assertThat(visibleCards.first()).hasAttribute("data-host-name", "backup");
        page.getByTestId("status-filter").selectOption("");

        // Host groups: a button per tag with its count and how many are OFF; pressing one filters by it.
        tag("web-1", "web");
        tag("web-2", "web");
        tag("db-1", "db\",\"prod");
        tag("licence-server", "prod");
        Locator groups = page.getByTestId("group");
        assertThat(groups).hasCount(3);
        assertThat(groups.nth(0)).hasAttribute("aria-label", "prod: 2 hosts, 1 off");
        assertThat(groups.nth(1)).hasAttribute("aria-label", "web: 2 hosts");
        assertThat(groups.nth(2)).hasAttribute("aria-label", "db: 1 host");
        groups.nth(0).focus();
        page.keyboard().press("Enter");
        assertThat(visibleCards).hasCount(2);
        assertThat(page.getByTestId("filter")).hasValue("tag:prod");
        assertThat(page).hasURL(Pattern.compile("\\?q=tag%3Aprod$"));
        assertThat(groups.nth(0)).hasAttribute("aria-pressed", "true");
        assertThat(groups.nth(0)).isFocused();
        page.keyboard().press("Enter");
        assertThat(visibleCards).hasCount(6);
        assertThat(page.getByTestId("filter")).hasValue("");
        assertThat(groups.nth(0)).hasAttribute("aria-pressed", "false");

        // Table: sortable, unknown values last in both directions, live re-sort without a reload.
        page.getByTestId("view-table").click();
        assertThat(page.getByTestId("host-grid")).isHidden();
        Locator rows = page.getByTestId("host-row");
        assertThat(rows).hasCount(6);
        page.getByTestId("sort-cpu").click();
        assertThat(page.getByTestId("sort-cpu").locator("xpath=..")).hasAttribute("aria-sort", "descending");
        assertThat(rows.nth(0)).hasAttribute("data-host-name", "db-1");
        assertThat(rows.nth(1)).hasAttribute("data-host-name", "web-2");
        assertThat(rows.nth(3)).hasAttribute("data-host-name", "build-agent");
        page.getByTestId("sort-cpu").click();
        assertThat(rows.nth(0)).hasAttribute("data-host-name", "build-agent");
        assertThat(rows.nth(4)).hasAttribute("data-status", Pattern.compile("OFF|EMPTY"));
        page.getByTestId("sort-cpu").click();
        long gib = 1L << 30;
        report(web1, "web-1", 2, 60, 99.0, 3.0, 3.1 * gib, 8 * gib, 41 * gib, 100 * gib, 1_000, 1_000, 2, null);
        assertThat(rows.nth(0)).hasAttribute("data-host-name", "web-1");
        assertThat(rows.nth(0).locator("[data-col=cpu]")).hasText("99 %");

        // Comparison: ON hosts with a value, largest first; the measure survives a reload.
        page.getByTestId("view-compare").click();
        Locator bars = page.getByTestId("compare-row");
        assertThat(bars).hasCount(4);
        assertThat(bars.nth(0).getByTestId("compare-name")).hasText("web-1");
        assertThat(bars.nth(0)).hasAttribute("aria-label", "web-1: 99 %");
        page.getByTestId("compare-measure").selectOption("power");
        assertThat(bars).hasCount(2);
        assertThat(bars.nth(0).getByTestId("compare-name")).hasText("db-1");
        assertThat(page.getByTestId("compare-note")).containsText("2 of 2 hosts");
        assertThat(page).hasURL(Pattern.compile("view=compare&measure=power"));
        page.reload();
        assertThat(page.getByTestId("compare-view")).isVisible();
        assertThat(bars).hasCount(2);
        assertThat(page.getByTestId("view-compare")).hasAttribute("aria-pressed", "true");
        assertCleanPage();
    }

    // ---------------------------------------------------------------------------------------

    private Page signIn(int width, int height, ColorScheme scheme) {
        return open(width, height, scheme).signIn(hub, "/");
    }

    private static Locator cardNamed(Page page, String name) {
        return page.locator("[data-testid=host-card][data-host-name=" + TestHub.quote(name) + "]");
    }

    private void assertCleanPage() {
        session.assertClean();
    }

    /**
     * Six hosts: four reporting, one that stopped (OFF) and one that never reported (EMPTY).
     * Returns the key of web-1.
     */
    private String buildFleet() {
        long gib = 1L << 30;
        String web1 = report("web-1", 60, 23.4, 0.61, 3.1 * gib, 8 * gib, 41 * gib, 100 * gib, 182_000, 64_000, 2, null);
        report("web-2", 60, 67.0, 2.35, 5.6 * gib, 8 * gib, 58 * gib, 100 * gib, 2_450_000, 910_000, 1, null);
        report("db-1", 60, 93.2, 7.80, 29.7 * gib, 32 * gib, 812 * gib, 1024 * gib, 12_800_000, 3_100_000, 0, 184.0);
        report("build-agent", 60, 4.1, 0.08, 1.2 * gib, 16 * gib, 120 * gib, 500 * gib, 820, 310, 0, 45.5);
        hub.registerHost("backup");
        report("licence-server", 1, 12.0, 0.20, 0.9 * gib, 4 * gib, 9 * gib, 40 * gib, 5_300, 2_100, 1, null);
        return web1;
    }

    /** Gives the host these tags (JSON string contents) through the API. */
    private void tag(String name, String tags) {
        var admin = hub.admin();
        long id = admin.json(admin.get("/api/v1/hosts")).findParents("name").stream()
                .filter(h -> h.get("name").asText().equals(name)).findFirst().orElseThrow().get("id").asLong();
        var r = admin.patch("/api/v1/hosts/" + id, "{\"tags\":[\"" + tags + "\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Registers the host, sends its first report and returns its key. */
    private String report(String name, int intervalSeconds, double cpu, double load1, double memUsed, double memTotal,
                        double diskUsed, double diskTotal, double rx, double tx, int users, Double watts) {
        JsonNode host = hub.registerHost(name);
        String key = host.get("key").asText();
        report(key, name, 1, intervalSeconds, cpu, load1, memUsed, memTotal, diskUsed, diskTotal, rx, tx, users, watts);
        return key;
    }

    private void report(String key, String name, long seq, int intervalSeconds, double cpu, double load1, double memUsed, double memTotal,
                        double diskUsed, double diskTotal, double rx, double tx, int users, Double watts) {
        long now = System.currentTimeMillis();
        String batch = String.format(Locale.ROOT, """
                {"protocolVersion":1,"agentVersion":"0.1.0","intervalSeconds":%d,"samples":[{"seq":%d,"atMs":%d,
                 "cpu":{"percent":%.1f,"perCorePercent":[],"load1":%.2f,"load5":%.2f,"load15":%.2f},
                 "memory":{"totalBytes":%d,"usedBytes":%d,"availableBytes":%d,"swapTotalBytes":0,"swapUsedBytes":0},
                 "filesystems":[{"mount":"/","type":"ext4","totalBytes":%d,"usedBytes":%d}],
                 "network":[{"name":"eth0","rxBytesPerSec":%.1f,"txBytesPerSec":%.1f}],
                 "uptimeSeconds":%d,"usersLoggedIn":%d,"powerWatts":%s}]}""",
                intervalSeconds, seq, now, cpu, load1, load1, load1, (long) memTotal, (long) memUsed, (long) (memTotal - memUsed),
                (long) diskTotal, (long) diskUsed, rx, tx, 86_400L * 12 + 3_600L * 5, users, watts == null ? "null" : watts.toString());
        var response = hub.ingest(key, batch);
        assertThat(response.statusCode()).as("ingest for %s: %s", name, response.body()).isEqualTo(200);
    }
}
