package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.ColorScheme;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard as a demanding user meets it: every page from a 360 px phone to a 4K screen
 * without sideways scrolling or cut-off figures, used by keyboard alone with a visible focus
 * ring, gauges that tell a screen reader their value, muted text readable in both themes, and a
 * clear message when the hub fails. Real hub, real chromium.
 */
class DashboardQualityBrowserIT extends BrowserTestBase {
    private static final long GIB = 1L << 30;
    private static final int[] WIDTHS = {360, 768, 1440, 3840};
    /** Figures and the boxes that hold them: none may be wider than its box (truncated or spilling). */
    private static final String CUT_OFF = """
            () => [...document.querySelectorAll('.metric dd, .host-table td, .spark, .count, .chart-head, .compare-row, .data-table td')]
                .filter((e) => e.getClientRects().length > 0 && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
                .filter((e) => !e.closest('.table-wrap') || e.closest('.host-table'))
                .map((e) => e.className + ' "' + e.textContent.trim().slice(0, 40) + '" ' + e.scrollWidth + '>' + e.clientWidth)""";

    @Test
    void every_page_fits_every_width_from_a_phone_to_4k_and_shows_its_figures_whole() {
        long id = fleet();
        Page page = open(1440, 900, ColorScheme.LIGHT).signIn(hub, "/");
        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("/", "[data-testid=host-card]");
        pages.put("/?view=table", "[data-testid=host-row]");
        pages.put("/?view=compare", "[data-testid=compare-row]");
        pages.put("/host.html?id=" + id, "[data-testid=chart]");
        pages.put("/alerts.html", "[data-testid=rules-table] tbody tr");
        pages.put("/checks.html", "[data-testid=checks-empty]");
        pages.put("/users.html", "[data-testid=role-select]");
        pages.put("/audit.html", "[data-testid=audit-row]");
        pages.put("/account.html", "[data-testid=password-form]");
        for (Map.Entry<String, String> entry : pages.entrySet()) {
            page.setViewportSize(1440, 900);
            page.navigate(hub.apiUrl() + entry.getKey());
            assertThat(page.locator(entry.getValue()).first()).isVisible();
            for (int width : WIDTHS) {
                page.setViewportSize(width, 900);
                page.waitForTimeout(250); // charts redraw at the new width
                assertThat(session.fitsWidth()).as("%s scrolls sideways at %d px", entry.getKey(), width).isTrue();
                assertThat(cutOff(page)).as("figures cut off on %s at %d px", entry.getKey(), width).isEmpty();
            }
        }

        // 4K: more cards side by side, but no table row a head has to turn to read.
        page.setViewportSize(3840, 2160);
        page.navigate(hub.apiUrl() + "/?view=table");
        assertThat(page.getByTestId("host-row").first()).isVisible();
        double rem = ((Number) page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")).doubleValue();
        assertThat(width(page, "[data-testid=host-table]")).as("host table at 4K").isLessThanOrEqualTo(112 * rem + 1);
        page.navigate(hub.apiUrl() + "/alerts.html");
        assertThat(width(page, "main")).as("alerts page at 4K").isLessThanOrEqualTo(110 * rem + 1);
        page.setViewportSize(1440, 900);
        page.navigate(hub.apiUrl() + "/");
        // The status filter and the comparison's measure sit inline, as wide as their options.
        assertThat(width(page, "[data-testid=status-filter]")).isLessThan(300);
        page.getByTestId("view-compare").click();
        assertThat(width(page, "[data-testid=compare-measure]")).isLessThan(400);
        session.assertClean();
    }

    @Test
    void the_keyboard_alone_opens_a_host_picks_a_range_and_leaves_a_dialog_with_escape() {
        fleet();
        Page page = open(1280, 900, ColorScheme.DARK).signIn(hub, "/");
        Locator firstCard = page.getByTestId("host-card").first();
        assertThat(firstCard).hasAttribute("data-host-name", "build-agent-with-a-much-longer-name-than-most");

        // Gauges say what they show.
        Locator gauge = page.locator("[data-testid=host-card][data-host-name=db-1]").getByTestId("cpu-gauge");
        assertThat(gauge).hasAttribute("role", "meter");
        assertThat(gauge).hasAttribute("aria-valuenow", "93.2");
        assertThat(gauge).hasAttribute("aria-valuetext", "93 %");
        assertThat(gauge).hasAttribute("aria-label", "CPU of db-1");

        // From the filter, Tab passes the status and view controls and lands on the first card's name.
        page.getByTestId("filter").focus();
        String focused = "";
        for (int i = 0; i < 8 && !focused.equals("host-link"); i++) {
            page.keyboard().press("Tab");
            focused = String.valueOf(page.evaluate("() => document.activeElement.dataset.testid"));
        }
        assertThat(focused).as("Tab reaches the first card's name").isEqualTo("host-link");
        assertFocusRingShowsWhole(page, ".card-title");

        // Escape closes a dialog and gives focus back to the button that opened it.
        page.keyboard().press("Tab");
        page.keyboard().press("Tab");
        assertThat(firstCard.getByTestId("delete-host")).isFocused();
        page.keyboard().press("Enter");
        assertThat(page.getByTestId("delete-dialog")).isVisible();
        page.keyboard().press("Escape");
        assertThat(page.getByTestId("delete-dialog")).isHidden();
        assertThat(firstCard.getByTestId("delete-host")).isFocused();
        assertThat(page.getByTestId("host-card")).hasCount(3);

        // Enter on the name opens the host's page; its range buttons work from the keyboard.
        firstCard.getByTestId("host-link").focus();
        page.keyboard().press("Enter");
        page.waitForURL(Pattern.compile(".*/host\\.html\\?id=\\d+.*"));
        assertThat(page.getByTestId("host-name")).hasText("build-agent-with-a-much-longer-name-than-most");
        assertThat(page.locator("[data-testid=chart]").first()).isVisible();
        Locator sixHours = page.locator("#ranges button", new Page.LocatorOptions().setHasText(Pattern.compile("^6 h$")));
        sixHours.focus();
        page.keyboard().press("Enter");
        assertThat(sixHours).hasAttribute("aria-pressed", "true");
        assertThat(page).hasURL(Pattern.compile(".*range=6h.*"));
        assertFocusRingShows(page);

        // The charts come before the policy and energy panels: a phone reaches them first.
        assertThat((Boolean) page.evaluate("""
                () => !!(document.querySelector('.charts-section').compareDocumentPosition(document.getElementById('policy-panel'))
                   & Node.DOCUMENT_POSITION_FOLLOWING)""")).isTrue();
        session.assertClean();
    }

    @Test
    void muted_and_error_text_is_readable_in_light_and_dark() {
        Page page = open(1280, 900, ColorScheme.LIGHT).signIn(hub, "/");
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(scheme));
            for (String[] pair : new String[][] {
                    {"--muted", "--bg"}, {"--muted", "--surface"}, {"--muted", "--surface-2"}, {"--text", "--surface"},
                    {"--off", "--off-bg"}, {"--on", "--on-bg"}, {"--empty", "--empty-bg"}, {"--warn", "--warn-bg"},
                    {"--accent-text", "--accent"}, {"--accent", "--surface"}}) {
                double ratio = contrast(colour(page, pair[0]), colour(page, pair[1]));
                assertThat(ratio).as("%s on %s in %s", pair[0], pair[1], scheme).isGreaterThanOrEqualTo(4.5);
            }
        }
        session.assertClean();
    }

    @Test
    void a_failing_hub_is_told_not_shown_as_a_blank_page() {
        long id = fleet();
        Page page = open(1280, 900, ColorScheme.LIGHT).signIn(hub, "/");
        // A 5xx is hard to make a healthy hub give: the browser answers for it.
        page.route("**/api/v1/hosts", route -> route.fulfill(new Route.FulfillOptions().setStatus(503)
                .setContentType("application/problem+json").setBody("{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"database is down\"}")));
        page.reload();
        assertThat(page.getByTestId("load-error")).containsText("Hosts could not be loaded");
        assertThat(page.getByTestId("load-error")).containsText("database is down");
        assertThat(page.getByTestId("loading")).isHidden();
        Locator retry = page.getByTestId("load-error").getByText("Try again");
        assertThat(retry).isVisible();
        assertThat(page.getByTestId("host-link")).hasCount(0); // no partial fleet under the error
        page.unroute("**/api/v1/hosts");
        // No click: the page tries again by itself (2 s, 4 s, … apart) until the list arrives.
        assertThat(page.getByTestId("load-error")).isHidden(new LocatorAssertions.IsHiddenOptions().setTimeout(20_000));
        assertThat(page.getByTestId("count-on")).containsText("3");
        assertThat(page.getByTestId("host-link")).hasCount(3);

        page.route("**/api/v1/hosts", Route::abort);
        page.reload();
        assertThat(page.getByTestId("load-error")).containsText("cannot be reached");
        page.unroute("**/api/v1/hosts");

        page.route("**/api/v1/hosts/" + id, route -> route.fulfill(new Route.FulfillOptions().setStatus(500)
                .setContentType("application/problem+json").setBody("{\"title\":\"Internal Server Error\",\"status\":500,\"detail\":\"internal error\"}")));
        page.navigate(hub.apiUrl() + "/host.html?id=" + id);
        assertThat(page.getByTestId("host-error")).containsText("This host could not be loaded");
        assertThat(page.getByTestId("host-loading")).isHidden();
        page.unroute("**/api/v1/hosts/" + id);
        page.navigate(hub.apiUrl() + "/host.html?id=" + (id + 1000));
        assertThat(page.getByTestId("host-error")).containsText("There is no host with id " + (id + 1000));
    }

    @Test
    void figures_carry_units_and_sensible_precision() {
        Page page = open(1280, 900, ColorScheme.LIGHT).signIn(hub, "/");
        @SuppressWarnings("unchecked")
        List<String> out = (List<String>) page.evaluate("""
                async () => {
                  const f = await import('/js/format.js');
                  const p = await import('/js/powerpolicy.js');
                  const s = await import('/js/chartscales.js');
                  return [f.tick(75, 'watts'), f.tick(2000, 'per_second'), f.tick(4e6, 'bytes_per_second'), f.tick(2 * 1024 ** 3, 'bytes'),
                    f.duration(3 * 86400 + 4 * 3600 + 59), f.duration(15 * 3600 + 46 * 60), f.rate(12345), f.bytePair(3.1 * 1024 ** 3, 8 * 1024 ** 3),
                    f.percent(4.25), f.ago(Date.now() - 3000), p.kwh(0), p.kwh(0.014), p.kwh(0.45), p.kwh(123.4), p.money(0.001, 'EUR'), p.money(1.5, 'EUR'),
                    String(s.COUNT_INCRS.every(Number.isInteger))];
                }""");
        assertThat(out).containsExactly("75 W", "2 k/s", "4 MB/s", "2 GiB", "3 d 4 h", "15 h 46 min", "12.3 kB/s", "3.1 / 8.0 GiB",
                "4.3 %", "3 s ago", "0 kWh", "14 Wh", "0.45 kWh", "123 kWh", "< 0.01 EUR", "1.50 EUR", "true");
    }

    // ---------------------------------------------------------------------------------------

    /** Three reporting hosts with long-ish figures (uptime "15 h 46 min", two-digit rates); returns db-1's id. */
    private long fleet() {
        long id = report("db-1", 93.2, 29.7 * GIB, 32 * GIB, 12_800_000, 3_100_000, 15 * 3600 + 46 * 60, 184.0);
        report("web-1", 23.4, 3.1 * GIB, 8 * GIB, 182_000, 64_000, 86_400 * 12 + 3600 * 5, 97.5);
        report("build-agent-with-a-much-longer-name-than-most", 4.1, 1.2 * GIB, 16 * GIB, 820, 310, 59, null);
        return id;
    }

    private long report(String name, double cpu, double memUsed, double memTotal, double rx, double tx, long uptimeSeconds, Double watts) {
        JsonNode host = hub.registerHost(name);
        long now = System.currentTimeMillis();
        String batch = String.format(Locale.ROOT, """
                {"protocolVersion":1,"agentVersion":"0.1.0","intervalSeconds":60,"samples":[{"seq":1,"atMs":%d,
                 "cpu":{"percent":%.1f,"perCorePercent":[],"load1":1.5,"load5":1.5,"load15":1.5},
                 "memory":{"totalBytes":%d,"usedBytes":%d,"availableBytes":%d,"swapTotalBytes":0,"swapUsedBytes":0},
                 "filesystems":[{"mount":"/","type":"ext4","totalBytes":%d,"usedBytes":%d}],
                 "network":[{"name":"eth0","rxBytesPerSec":%.1f,"txBytesPerSec":%.1f}],
                 "uptimeSeconds":%d,"usersLoggedIn":2,"powerWatts":%s}]}""",
                now, cpu, (long) memTotal, (long) memUsed, (long) (memTotal - memUsed), 500 * GIB, 123 * GIB, rx, tx, uptimeSeconds,
                watts == null ? "null" : watts.toString());
        var response = hub.ingest(host.get("key").asText(), batch);
        assertThat(response.statusCode()).as("ingest for %s: %s", name, response.body()).isEqualTo(200);
        return host.get("id").asLong();
    }

    @SuppressWarnings("unchecked")
    private static List<String> cutOff(Page page) {
        return (List<String>) page.evaluate(CUT_OFF);
    }

    private static double width(Page page, String selector) {
        return ((Number) page.evaluate("(s) => document.querySelector(s).getBoundingClientRect().width", selector)).doubleValue();
    }

    /** The focused element's outline is drawn: solid, 2 px or more. */
    private static void assertFocusRingShows(Page page) {
        assertFocusRingShowsWhole(page, "body");
    }

    /** The focused element's outline is drawn (solid, 2 px or more) and lies inside {@code container}, which may clip. */
    private static void assertFocusRingShowsWhole(Page page, String container) {
        @SuppressWarnings("unchecked")
        Map<String, Object> ring = (Map<String, Object>) page.evaluate("""
                (sel) => {
                  const a = document.activeElement;
                  const cs = getComputedStyle(a);
                  const reach = parseFloat(cs.outlineWidth) + Math.max(0, parseFloat(cs.outlineOffset));
                  const r = a.getBoundingClientRect();
                  const c = a.closest(sel).getBoundingClientRect();
                  return { visible: a.matches(':focus-visible'), style: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
                    inside: r.left - reach >= c.left - 0.5 && r.top - reach >= c.top - 0.5 && r.right + reach <= c.right + 0.5
                      && r.bottom + reach <= c.bottom + 0.5 };
                }""", container);
        assertThat(ring.get("visible")).as("focus-visible").isEqualTo(true);
        assertThat(ring.get("style")).as("outline style").isEqualTo("solid");
        assertThat(((Number) ring.get("width")).doubleValue()).as("outline width").isGreaterThanOrEqualTo(2);
        assertThat(ring.get("inside")).as("the whole ring inside %s, which clips", container).isEqualTo(true);
    }

    /** The colour a CSS variable resolves to in the current theme, as {r, g, b}. */
    private static int[] colour(Page page, String variable) {
        String rgb = (String) page.evaluate("""
                (v) => {
                  const probe = document.createElement('span');
                  probe.style.color = `var(${v})`;
                  document.body.append(probe);
                  const c = getComputedStyle(probe).color;
                  probe.remove();
                  return c;
                }""", variable);
        var m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\D+(\\d+(?:\\.\\d+)?)\\D+(\\d+(?:\\.\\d+)?)").matcher(rgb);
        assertThat(m.find()).as("%s is %s", variable, rgb).isTrue();
        return new int[] {(int) Double.parseDouble(m.group(1)), (int) Double.parseDouble(m.group(2)), (int) Double.parseDouble(m.group(3))};
    }

    /** WCAG 2 contrast ratio. */
    private static double contrast(int[] a, int[] b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(int[] rgb) {
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double s = rgb[i] / 255.0;
            c[i] = s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }
}
