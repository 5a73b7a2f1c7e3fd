package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.servmon.hub.SecurityConfig;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.api.RateLimits;
import dev.servmon.hub.tls.TlsConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The overview with more hosts than fit on a screen, and more than the page's large-fleet
 * threshold (200): live updates are drawn in time slices (slices.js), only the cards and rows
 * near the screen tick their "last seen" text, and rows move with the fewest DOM moves
 * (keyed.js). Real hub, real chromium.
 */
class OverviewLiveBrowserIT extends BrowserTestBase {
    private static final int HOSTS = 240;

    @BeforeEach
    @Override
    void startHub() {
        // Request limits off: 240 hosts registering and reporting from one address within seconds.
        hub = TestHub.start(cfg -> cfg.withSecurity(new SecurityConfig(TlsConfig.OFF, null, RateLimits.OFF)));
    }

    @Test
    void a_card_far_below_the_fold_gets_live_reports_and_tells_how_long_ago_when_it_comes_into_view() {
        Map<String, String> keys = fleet();
        Page page = open(1440, 900, ColorScheme.LIGHT).signIn(hub, "/");
        assertThat(page.getByTestId("host-card")).hasCount(HOSTS);
        Locator last = page.locator("[data-testid=host-card][data-host-name=node-239]");

        report(keys.get("node-239"), 2, 77.7);
        assertThat(last.getByTestId("cpu-gauge")).hasAttribute("aria-valuenow", "77.7");
        assertThat(last.getByTestId("last-seen")).hasText(Pattern.compile("just now|1 s ago"));
        page.waitForTimeout(4_000);
        // Far off screen the browser skips the card (content-visibility) and the page does not
        // rewrite its text every second...
        assertThat(last.getByTestId("last-seen").textContent()).matches("just now|[12] s ago");
        // ...until it comes near: then it is right at once, not at the next second's tick.
        String shown = (String) page.evaluate("""
                () => new Promise((resolve) => {
                  const card = document.querySelector('[data-testid=host-card][data-host-name=node-239]');
                  card.addEventListener('contentvisibilityautostatechange', (e) => {
                    if (!e.skipped) resolve(card.querySelector('[data-testid=last-seen]').textContent);
                  });
                  card.scrollIntoView();
                })""");
        Matcher ago = Pattern.compile("(\\d+) s ago").matcher(shown);
        assertThat(ago.matches()).as("last seen of a card scrolled into view: %s", shown).isTrue();
        assertThat(Integer.parseInt(ago.group(1))).isGreaterThanOrEqualTo(4);
        // And from then on it ticks like every card on screen.
        assertThat(last.getByTestId("last-seen")).hasText(Pattern.compile("(\\d+) s ago"));
        String before = last.getByTestId("last-seen").textContent();
        assertThat(last.getByTestId("last-seen")).not().hasText(before);
        session.assertClean();
    }

    @Test
    void a_table_of_many_hosts_sorted_by_cpu_stays_in_order_while_hosts_jump_from_bottom_to_top_and_back() {
        Map<String, String> keys = fleet();
        Page page = open(1440, 900, ColorScheme.LIGHT).signIn(hub, "/?view=table");
        Locator rows = page.getByTestId("host-row");
        assertThat(rows).hasCount(HOSTS);
        page.getByTestId("sort-cpu").click();
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (int i = 0; i < HOSTS; i++) {
            cpu.put(name(i), cpuOf(i));
        }
        assertThat(rowNames(page)).isEqualTo(byCpu(cpu));

        // The lowest host jumps to the top, the highest to the bottom, and a few change places
        // in the middle: every row ends up where the sort says, each exactly once.
        int[][] moves = {{0, 999}, {HOSTS - 1, 1}, {120, 500}, {7, 455}, {200, 45}};
        for (int[] move : moves) {
            report(keys.get(name(move[0])), 2, move[1] / 10.0);
            cpu.put(name(move[0]), move[1] / 10.0);
        }
        assertThat(rows.first()).hasAttribute("data-host-name", name(0));
        assertThat(rows.last()).hasAttribute("data-host-name", name(HOSTS - 1));
        page.waitForFunction("(expected) => [...document.querySelectorAll('[data-testid=host-row]')]"
                + ".map((r) => r.dataset.hostName).join() === expected", String.join(",", byCpu(cpu)));
        assertThat(rowNames(page)).isEqualTo(byCpu(cpu));
        assertThat(rows.first().locator("[data-col=cpu]")).hasText("100 %");
        session.assertClean();
    }

    // ---------------------------------------------------------------------------------------

    /** Registers {@link #HOSTS} hosts named node-000… and sends each its first report; returns name → key. */
    private Map<String, String> fleet() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < HOSTS; i++) {
            String key = hub.registerHost(name(i)).get("key").asText();
            report(key, 1, cpuOf(i));
            keys.put(name(i), key);
        }
        return keys;
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "node-%03d", i);
    }

    /** Distinct values, so the expected order needs no tie-break. */
    private static double cpuOf(int i) {
        return 0.5 + i * 0.4;
    }

    private static List<String> byCpu(Map<String, Double> cpu) {
        List<String> names = new ArrayList<>(cpu.keySet());
        names.sort(Comparator.comparing((String n) -> cpu.get(n)).reversed());
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<String> rowNames(Page page) {
        return (List<String>) page.evaluate("() => [...document.querySelectorAll('[data-testid=host-row]')].map((r) => r.dataset.hostName)");
    }

    private void report(String key, long seq, double cpu) {
        String batch = String.format(Locale.ROOT, """
                {"protocolVersion":1,"agentVersion":"0.1.0","intervalSeconds":60,"samples":[{"seq":%d,"atMs":%d,
                 "cpu":{"percent":%.1f,"perCorePercent":[],"load1":0.5,"load5":0.5,"load15":0.5},
                 "memory":{"totalBytes":8589934592,"usedBytes":2147483648,"availableBytes":6442450944,"swapTotalBytes":0,"swapUsedBytes":0},
                 "filesystems":[{"mount":"/","type":"ext4","totalBytes":107374182400,"usedBytes":53687091200}],
                 "network":[{"name":"eth0","rxBytesPerSec":1000.0,"txBytesPerSec":1000.0}],
                 "uptimeSeconds":86400,"usersLoggedIn":0,"powerWatts":null}]}""", seq, System.currentTimeMillis(), cpu);
        var response = hub.ingest(key, batch);
        assertThat(response.statusCode()).as("ingest: %s", response.body()).isEqualTo(200);
    }
}
