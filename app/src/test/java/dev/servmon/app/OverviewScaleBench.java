package dev.servmon.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ColorScheme;
import dev.servmon.hub.TestHub;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The overview at fleet size, measured in the browser with the Performance API: time to first
 * data (the page's {@code servmon:first-data} mark, from navigation start) for cards and table,
 * and long tasks (> 50 ms) while all hosts report every 10 s. The baseline is the same page
 * with one host, measured in the same run; ratios are printed next to the numbers.
 *
 * <p>Not a test (nothing is asserted against the clock): run it with {@code bench/overview.sh}.
 * Its name matches neither *Test nor *IT, so the build never runs it by itself.
 */
class OverviewScaleBench {
    private static final int HOSTS = Integer.getInteger("servmon.bench.hosts", 1000);
    private static final int RUNS = Integer.getInteger("servmon.bench.runs", 5);
    private static final int LIVE_SECONDS = Integer.getInteger("servmon.bench.liveSeconds", 60);
    private static final int INTERVAL_SECONDS = 10;
    /** A directory: record a Chrome trace of each live phase there (overview-live-cards.json, …), see bench/longtasks.py. */
    private static final String TRACE_DIR = System.getProperty("servmon.bench.traceDir", "");
    private static final List<String> TRACE_CATEGORIES = List.of("toplevel", "devtools.timeline", "v8", "v8.execute",
            "disabled-by-default-devtools.timeline", "blink.user_timing");
    /** With -Dservmon.bench.traceJs=true the trace also samples JavaScript (which functions), at some cost to the numbers. */
    private static final boolean TRACE_JS = Boolean.getBoolean("servmon.bench.traceJs");

    @Test
    void overview_at_fleet_size() throws Exception {
        try (Playwright playwright = BrowserSession.playwright(); Browser browser = BrowserSession.launch(playwright);
             // Request limits off: registering 1,000 hosts from one address is not what they guard against.
             TestHub hub = TestHub.start(cfg -> cfg.withSecurity(new dev.servmon.hub.SecurityConfig(dev.servmon.hub.tls.TlsConfig.OFF, null,
                     new dev.servmon.hub.api.RateLimits(5, 0, 200, 0, 60))))) {
            List<String> keys = new ArrayList<>();
            TestHub.Client admin = hub.admin();
            keys.add(register(hub, admin, 0));
            var session = BrowserSession.open(browser, 1440, 900, ColorScheme.LIGHT);
            Page page = session.signIn(hub, "/");
            double baseCards = firstData(page, hub, "cards", 1);
            double baseTable = firstData(page, hub, "table", 1);

            long t0 = System.nanoTime();
            for (int i = 1; i < HOSTS; i++) {
                keys.add(register(hub, admin, i));
            }
            System.out.printf(Locale.ROOT, "servmon overview benchmark: %d hosts registered and reporting in %.1f s; %d page loads each%n",
                    HOSTS, (System.nanoTime() - t0) / 1e9, RUNS);
            double cards = firstData(page, hub, "cards", HOSTS);
            double table = firstData(page, hub, "table", HOSTS);
            System.out.printf(Locale.ROOT, "first data, cards: 1 host %6.0f ms | %d hosts %6.0f ms  ratio %.2f  (goal < 1000 ms)%n",
                    baseCards, HOSTS, cards, cards / baseCards);
            System.out.printf(Locale.ROOT, "  of which GET /api/v1/hosts (request to last byte, median): %.0f ms, %.0f kB%n",
                    hostsApiMs[0], hostsApiMs[1] / 1000);
            System.out.printf(Locale.ROOT, "first data, table: 1 host %6.0f ms | %d hosts %6.0f ms  ratio %.2f  (goal < 1000 ms)%n",
                    baseTable, HOSTS, table, table / baseTable);
            System.out.printf(Locale.ROOT, "  all %d hosts on the page (built in chunks after the first screenful): cards %.0f ms, table %.0f ms%n",
                    HOSTS, allHostsMs.get("cards"), allHostsMs.get("table"));

            for (String view : List.of("cards", "table")) {
                page.navigate(hub.apiUrl() + "/?view=" + view);
                page.waitForFunction("() => performance.getEntriesByName('servmon:all-hosts').length > 0");
                page.evaluate("""
                        () => { window.__long = []; window.__events = 0;
                          new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
                            .observe({ type: 'longtask' }); }""");
                if (!TRACE_DIR.isEmpty()) {
                    browser.startTracing(page, new Browser.StartTracingOptions().setCategories(TRACE_JS
                            ? java.util.stream.Stream.concat(TRACE_CATEGORIES.stream(), java.util.stream.Stream.of("disabled-by-default-v8.cpu_profiler")).toList()
                            : TRACE_CATEGORIES)
                            .setPath(java.nio.file.Paths.get(TRACE_DIR, "overview-live-" + view + ".json")));
                }
                AtomicLong sent = new AtomicLong();
                ScheduledExecutorService reporters = Executors.newScheduledThreadPool(4);
                try {
                    long spreadMs = INTERVAL_SECONDS * 1000L / keys.size();
                    for (int i = 0; i < keys.size(); i++) {
                        String key = keys.get(i);
                        AtomicLong seq = new AtomicLong(1000);
                        reporters.scheduleAtFixedRate(() -> {
                            ingest(hub, key, seq.incrementAndGet());
                            sent.incrementAndGet();
                        }, i * spreadMs, INTERVAL_SECONDS * 1000L, TimeUnit.MILLISECONDS);
                    }
                    Thread.sleep(LIVE_SECONDS * 1000L);
                } finally {
                    reporters.shutdownNow();
                    reporters.awaitTermination(10, TimeUnit.SECONDS);
                }
                if (!TRACE_DIR.isEmpty()) {
                    browser.stopTracing();
                }
                @SuppressWarnings("unchecked")
                List<Number> longTasks = (List<Number>) page.evaluate("() => window.__long");
                double[] d = longTasks.stream().mapToDouble(Number::doubleValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "live, %-5s: %d reports in %d s (%.0f/s): long tasks > 50 ms: %d, longest %.0f ms, total %.0f ms  (goal: none)%n",
                        view, sent.get(), LIVE_SECONDS, sent.get() / (double) LIVE_SECONDS, d.length,
                        d.length == 0 ? 0 : d[d.length - 1], Arrays.stream(d).sum());
            }
            session.assertClean();
            session.close();
        }
    }

    /** Of the last {@link #firstData} run: the host list's request-to-last-byte time (median) and its size. */
    private static final double[] hostsApiMs = new double[2];
    /** Of the last {@link #firstData} run per view: median ms from navigation start until every host is on the page. */
    private static final java.util.Map<String, Double> allHostsMs = new java.util.HashMap<>();

    /** Median over {@link #RUNS} fresh loads of the overview: ms from navigation start to first data. */
    private static double firstData(Page page, TestHub hub, String view, int expectedHosts) {
        double[] ms = new double[RUNS];
        double[] api = new double[RUNS];
        double[] all = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            page.navigate(hub.apiUrl() + "/?view=" + view);
            page.waitForFunction("() => performance.getEntriesByName('servmon:first-data').length > 0");
            ms[i] = ((Number) page.evaluate("() => performance.getEntriesByName('servmon:first-data')[0].startTime")).doubleValue();
            page.waitForFunction("() => performance.getEntriesByName('servmon:all-hosts').length > 0");
            all[i] = ((Number) page.evaluate("() => performance.getEntriesByName('servmon:all-hosts')[0].startTime")).doubleValue();
            @SuppressWarnings("unchecked")
            var timing = (java.util.Map<String, Number>) page.evaluate("""
                    () => { const r = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/v1/hosts'));
                            return { ms: r ? r.responseEnd - r.requestStart : -1, bytes: r ? r.decodedBodySize : -1 }; }""");
            api[i] = timing.get("ms").doubleValue();
            hostsApiMs[1] = timing.get("bytes").doubleValue();
            String selector = view.equals("cards") ? "[data-testid=host-card]" : "[data-testid=host-row]";
            Number count = (Number) page.evaluate("(s) => document.querySelectorAll(s).length", selector);
            if (count.intValue() != expectedHosts) {
                throw new IllegalStateException("expected " + expectedHosts + " hosts on the page, saw " + count);
            }
        }
        Arrays.sort(ms);
        Arrays.sort(api);
        Arrays.sort(all);
        hostsApiMs[0] = api[RUNS / 2];
        allHostsMs.put(view, all[RUNS / 2]);
        return ms[RUNS / 2];
    }

    /** Roles the hosts are tagged with, so the overview's host groups are on the page as in a real fleet. */
    private static final String[] ROLES = {"web", "db", "cache", "queue", "batch", "edge", "dns", "mail", "ci", "backup", "metrics", "proxy"};

    private static String register(TestHub hub, TestHub.Client admin, int i) {
        JsonNode host = hub.registerHost(String.format(Locale.ROOT, "node-%04d", i));
        String key = host.get("key").asText();
        String tags = "[\"" + ROLES[i % ROLES.length] + "\",\"" + (i % 3 == 0 ? "staging" : "prod") + "\"]";
        var tagged = admin.patch("/api/v1/hosts/" + host.get("id").asLong(), "{\"tags\":" + tags + "}");
        if (tagged.statusCode() != 200) {
            throw new IllegalStateException("tagging host " + i + " failed: " + tagged.statusCode() + " " + tagged.body());
        }
        ingest(hub, key, 1);
        return key;
    }

    private static void ingest(TestHub hub, String key, long seq) {
        double cpu = Math.abs((seq * 7919 + key.hashCode()) % 1000) / 10.0;
        String body = String.format(Locale.ROOT, """
                {"protocolVersion":1,"agentVersion":"0.1.0","intervalSeconds":%d,"samples":[{"seq":%d,"atMs":%d,
                 "cpu":{"percent":%.1f,"perCorePercent":[],"load1":0.5,"load5":0.5,"load15":0.5},
                 "memory":{"totalBytes":8589934592,"usedBytes":%d,"availableBytes":4294967296,"swapTotalBytes":0,"swapUsedBytes":0},
                 "filesystems":[{"mount":"/","type":"ext4","totalBytes":107374182400,"usedBytes":53687091200}],
                 "network":[{"name":"eth0","rxBytesPerSec":%d,"txBytesPerSec":1000.0}],
                 "uptimeSeconds":86400,"usersLoggedIn":%d,"powerWatts":%.1f}]}""",
                INTERVAL_SECONDS, seq, System.currentTimeMillis(), cpu, 2_000_000_000L + seq % 1000 * 1_000_000L,
                seq % 5000, seq % 3, 40 + cpu);
        var r = hub.ingest(key, body);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("ingest failed: " + r.statusCode() + " " + r.body());
        }
    }

}
