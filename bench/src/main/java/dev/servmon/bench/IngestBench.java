package dev.servmon.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.Hub;
import dev.servmon.hub.HubConfig;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.Passwords;
import dev.servmon.hub.ingest.SampleWriter;
import dev.servmon.hub.metrics.RawTier;
import dev.servmon.hub.storage.Database;
import dev.servmon.hub.storage.DbConfig;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Ingest throughput and ack latency of a real hub over HTTP, next to the raw batched insert
 * rate of the same database measured in the same run (the machine is shared and noisy, so only
 * the ratio is comparable across runs). SQLite in a temporary directory by default; PostgreSQL
 * with {@code --db-url}.
 *
 * <pre>java -jar bench/target/servmon-bench.jar [--hosts 100] [--clients 8] [--seconds 10] [--db-url jdbc:postgresql://… --db-user U]</pre>
 */
public final class IngestBench {
    private IngestBench() {}

    public static void main(String[] args) throws Exception {
        var a = new BenchArgs(args, "usage: servmon-bench [--hosts N=100] [--clients C=32] [--seconds S=10] [--baseline-seconds S=seconds] [--warmup S=5] [--samples-per-report N=1] [--metric-rules N=0] [--db-url jdbc:postgresql://… --db-user U]\n"
                + "Measures hub ingest (reports/s, p50/p99 ack latency) against raw batched inserts into the same database in the same run.\n"
                + "The PostgreSQL password comes from SERVMON_DB_PASSWORD; the database should be empty (hosts are added, never removed).");
        int hosts = a.integer("hosts", 100);
        int clients = a.integer("clients", 32);
        int seconds = a.integer("seconds", 10);
        int baselineSeconds = a.integer("baseline-seconds", seconds);
        int warmup = a.integer("warmup", 5);
        int perReport = a.integer("samples-per-report", 1);
        int metricRules = a.integer("metric-rules", 0);
        Path dir = Files.createTempDirectory("servmon-bench");
        try {
            DbConfig db = a.database(dir.resolve("db"));
            String run = Long.toString(System.currentTimeMillis(), 36);
            System.out.printf(Locale.ROOT, "servmon ingest benchmark: db=%s hosts=%d clients=%d seconds=%d java=%s cores=%d%n",
                    db.isPostgres() ? "postgresql" : "sqlite", hosts, clients, seconds, Runtime.version().feature(),
                    Runtime.getRuntime().availableProcessors());
            // --baseline-seconds 0 leaves the baseline out, so that the database's CPU can be measured around the hub alone.
            double raw = baselineSeconds == 0 ? Double.NaN : baseline(db, "base-" + run + "-", hosts, baselineSeconds, perReport);
            System.out.printf(Locale.ROOT, "baseline  the hub's writer in-process (no HTTP, no JSON parsing), %d sample(s)/batch: %,.0f samples/s%n", perReport, raw);
            Result hub = hub(dir.resolve("hub"), db, "bench-" + run + "-", hosts, clients, seconds, warmup, perReport, metricRules);
            System.out.printf(Locale.ROOT, "hub       HTTP ingest, %d sample(s)/report, ack after commit:  %,.0f reports/s = %,.0f samples/s  p50 %.2f ms  p99 %.2f ms  errors %d%n",
                    perReport, hub.perSecond, hub.perSecond * perReport, hub.p50Ms, hub.p99Ms, hub.errors);
            System.out.printf(Locale.ROOT, "cpu       this JVM (hub and its load clients) while loaded: %.2f ms CPU per report%n", hub.cpuMsPerReport);
            System.out.printf(Locale.ROOT, "ratio     hub / baseline (samples/s): %.3f%n", hub.perSecond * perReport / raw);
        } finally {
            BenchArgs.deleteTree(dir);
        }
        System.exit(0);
    }

    static Sample sample(long seq, long atMs) {
        return sample(seq, atMs, 23.5);
    }

    /** A realistic report whose CPU is this busy in total. */
    static Sample sample(long seq, long atMs, double cpuPercent) {
        return new Sample(seq, atMs,
                new Sample.Cpu(cpuPercent, List.of(20.0, 27.0, 22.0, 25.0), 0.7, 0.5, 0.4),
                new Sample.Memory(8L << 30, 3L << 30, 5L << 30, 2L << 30, 1L << 20),
                List.of(new Sample.Filesystem("/", "ext4", 100L << 30, 40L << 30)),
                List.of(new Sample.NetInterface("eth0", 1000, 500)),
                3600L, 2, null);
    }

    /**
     * Samples per second stored by the hub's own writer (one-sample batches of the same realistic
     * samples, submitted in-process with up to 1,024 in flight, acked after commit): the floor cost
     * of storage, without HTTP, authentication or JSON parsing.
     */
    static double baseline(DbConfig config, String prefix, int hosts, int seconds, int perReport) throws Exception {
        try (Database db = Database.open(config)) {
            var seeder = new Seeder(db, new SimClock(System.currentTimeMillis()), dev.servmon.hub.metrics.Retention.DEFAULT);
            long[] ids = seeder.hosts(prefix, hosts);
            var synthetic = new dev.servmon.hub.sim.SyntheticHost[hosts];
            for (int h = 0; h < hosts; h++) {
                synthetic[h] = new dev.servmon.hub.sim.SyntheticHost(h);
            }
            try (var writer = new SampleWriter(db, new RawTier(db), Json.mapper(), 4_096)) {
                var inFlight = new java.util.ArrayDeque<java.util.concurrent.CompletableFuture<?>>();
                long rows = 0;
                long start = System.nanoTime();
                long end = start + Duration.ofSeconds(seconds).toNanos();
                for (long turn = 0; System.nanoTime() < end; turn++) {
                    int h = (int) (turn % hosts);
                    long now = System.currentTimeMillis();
                    List<Sample> samples = new ArrayList<>(perReport);
                    for (int k = 0; k < perReport; k++) {
                        samples.add(synthetic[h].next(now));
                    }
                    inFlight.add(writer.submit(ids[h], new IngestBatch(ProtocolVersion.CURRENT, "bench", 10, samples), now));
                    while (inFlight.size() >= 1_024) {
                        inFlight.poll().get();
                        rows += perReport;
                    }
                }
                while (!inFlight.isEmpty()) {
                    inFlight.poll().get();
                    rows += perReport;
                }
                return rows / ((System.nanoTime() - start) / 1e9);
            }
        }
    }

    /** @param cpuMsPerReport CPU time of this whole JVM (hub and clients) during the load, per report */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /**
     * The JSON of a one-sample report with {@link RawIngestClient}'s markers in place of seq and
     * time: rendered once per host, so the load clients spend next to nothing per request.
     */
    static String template(ObjectMapper json, List<Sample> samples) {
        var batch = (com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(
                new IngestBatch(ProtocolVersion.CURRENT, "bench", 10, samples));
        for (int k = 0; k < samples.size(); k++) {
            var sample = (com.fasterxml.jackson.databind.node.ObjectNode) batch.get("samples").get(k);
            sample.put("seq", "@SEQ" + k + "@");
            sample.put("atMs", "@AT" + k + "@");
        }
        try {
            return json.writeValueAsString(batch);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CPU time of this JVM's threads, grouped by name, over the load: where a report's cost goes. */
    static final class ThreadCpu {
        private final java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        private final java.util.Map<Long, Long> before = new java.util.HashMap<>();

        ThreadCpu() {
            for (long id : mx.getAllThreadIds()) {
                before.put(id, mx.getThreadCpuTime(id));
            }
        }

        void print(int reports, long clientNs) {
            var byGroup = new java.util.TreeMap<String, Long>();
            byGroup.put("load-clients", clientNs);
            for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long now = mx.getThreadCpuTime(info.getThreadId());
                long used = now - before.getOrDefault(info.getThreadId(), 0L);
                if (now > 0 && used > 0) {
                    byGroup.merge(info.getThreadName().replaceAll("[0-9]+", "N"), used, Long::sum);
                }
            }
            StringBuilder line = new StringBuilder("cpu by thread (µs per report):");
            byGroup.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                    .forEach(e -> line.append(String.format(Locale.ROOT, " %s=%.0f", e.getKey(), e.getValue() / 1e3 / Math.max(1, reports))));
            System.out.println(line);
        }
    }

    record Result(double perSecond, double p50Ms, double p99Ms, long errors, double cpuMsPerReport) {}

    /** @param metricRules enabled metric rules on all hosts, none of which fires (the alert engine then tests each report's values) */
    static Result hub(Path dir, DbConfig db, String prefix, int hosts, int clients, int seconds, int warmupSeconds, int perReport, int metricRules)
            throws Exception {
        ObjectMapper json = Json.mapper();
        String adminPassword = Passwords.generate();
        try (Hub hub = Hub.start(HubConfig.defaults(dir).withPorts("127.0.0.1", 0, "127.0.0.1", 0)
                .withDatabase(db.isPostgres() ? db : DbConfig.sqlite(dir))
                .withInitialAdminPassword(adminPassword)
                // Throughput, not the per-host-key rate limit (a bench host sends far faster than an agent).
                .withSecurity(dev.servmon.hub.SecurityConfig.DEFAULTS.withRateLimits(dev.servmon.hub.api.RateLimits.OFF)))) {
            String[] keys = new String[hosts];
            for (int h = 0; h < hosts; h++) {
                keys[h] = hub.hosts().register(prefix + h).key();
            }
            String[] templates = new String[hosts];
            for (int h = 0; h < hosts; h++) {
                var synthetic = new dev.servmon.hub.sim.SyntheticHost(h);
                List<Sample> batch = new ArrayList<>();
                for (int k = 0; k < perReport; k++) {
                    batch.add(synthetic.next(System.currentTimeMillis()));
                }
                templates[h] = template(json, batch);
            }
            if (metricRules > 0) {
                addMetricRules(hub.port(), adminPassword, metricRules);
            }
            int port = hub.ingestPort();
            AtomicLongArray seqs = new AtomicLongArray(hosts);
            if (warmupSeconds > 0) {
                System.out.printf(Locale.ROOT, "warm-up   %d s of the same load (not measured)…%n", warmupSeconds);
                load(port, keys, templates, seqs, clients, warmupSeconds, false, perReport);
            }
            return load(port, keys, templates, seqs, clients, seconds, true, perReport);
        }
    }

    /** Rules like {@code memPercent > 1000} on all hosts (never firing), created through the API as admin. */
    private static void addMetricRules(int port, String adminPassword, int count) throws Exception {
        String[] metrics = {"memPercent", "cpuPercent", "diskUsedPercent", "swapPercent", "load1"};
        var http = java.net.http.HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
        String base = "http://127.0.0.1:" + port + "/api/v1";
        var login = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/session"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + adminPassword + "\"}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (login.statusCode() != 200) {
            throw new IllegalStateException("bench: admin login failed: " + login.statusCode() + " " + login.body());
        }
        String csrf = Json.mapper().readTree(login.body()).get("csrfToken").asText();
        for (int i = 0; i < count; i++) {
            String metric = metrics[i % metrics.length];
            String body = "{\"name\":\"bench " + i + "\",\"condition\":\"" + metric + " > " + (1_000 + i) + "\"}";
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/alert-rules"))
                    .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("bench: creating rule " + body + " failed: " + r.statusCode() + " " + r.body());
            }
        }
    }

    /** {@code clients} threads posting reports for {@code seconds}; what they achieved. */
    private static Result load(int port, String[] keys, String[] templates, AtomicLongArray seqs, int clients, int seconds, boolean measured,
                               int perReport) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        long[] errors = new long[clients];
        long[] clientCpuNs = new long[clients];
        long start = System.nanoTime();
        long cpuStartNs = processCpuNanos();
        var threadCpu = new ThreadCpu();
        for (int t = 0; t < clients; t++) {
            final int me = t;
            latencies[me] = new long[Math.max(100_000, seconds * 200_000 / clients)];
            Thread th = new Thread(() -> {
                try (var http = new RawIngestClient("127.0.0.1", port, "/api/v1/ingest")) {
                    int i = me;
                    while (System.nanoTime() < end) {
                        int h = i % keys.length;
                        i += clients;
                        try {
                            long t0 = System.nanoTime();
                            int status = http.post(keys[h], templates[h], perReport, seqs.getAndAdd(h, perReport) + 1, System.currentTimeMillis());
                            long took = System.nanoTime() - t0;
                            if (status == 200 && counts[me] < latencies[me].length) {
                                latencies[me][counts[me]++] = took;
                            } else if (status != 200) {
                                errors[me]++;
                            }
                        } catch (IOException e) {
                            errors[me]++;
                        }
                    }
                }
                clientCpuNs[me] = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            }, "load-client-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpuNs = processCpuNanos() - cpuStartNs;
        int total = Arrays.stream(counts).sum();
        if (measured) {
            threadCpu.print(total, Arrays.stream(clientCpuNs).sum());
        }
        long[] all = new long[total];
        int pos = 0;
        for (int t = 0; t < clients; t++) {
            System.arraycopy(latencies[t], 0, all, pos, counts[t]);
            pos += counts[t];
        }
        Arrays.sort(all);
        double p50 = total == 0 ? 0 : all[(int) (total * 0.50)] / 1e6;
        double p99 = total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))] / 1e6;
        return new Result(total / elapsed, p50, p99, Arrays.stream(errors).sum(), total == 0 ? 0 : cpuNs / 1e6 / total);
    }
}
