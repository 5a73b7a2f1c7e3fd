package dev.servmon.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.Hub;
import dev.servmon.hub.HubConfig;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.Passwords;
import dev.servmon.hub.auth.Tokens;
import dev.servmon.hub.hosts.HostStore;
import dev.servmon.hub.hosts.HostView;
import dev.servmon.hub.storage.Database;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/**
 * Ingest throughput and ack latency of a real hub over HTTP, next to the raw batched insert
 * rate of the same SQLite schema measured in the same run (the machine is shared and noisy,
 * so only the ratio is comparable across runs).
 *
 * <pre>java -jar bench/target/servmon-bench.jar [--hosts 100] [--clients 8] [--seconds 10]</pre>
 */
public final class IngestBench {
    private IngestBench() {}

    public static void main(String[] args) throws Exception {
        int hosts = 100;
        int clients = 8;
        int seconds = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--hosts" -> hosts = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("usage: servmon-bench [--hosts N=100] [--clients C=8] [--seconds S=10]");
                    System.out.println("Measures hub ingest (reports/s, p50/p99 ack latency) against raw SQLite inserts in the same run.");
                    return;
                }
                default -> {
                    System.err.println("servmon-bench: unknown argument " + args[i] + " (see --help)");
                    System.exit(2);
                }
            }
        }
        Path dir = Files.createTempDirectory("servmon-bench");
        try {
            System.out.printf(Locale.ROOT, "servmon ingest benchmark: hosts=%d clients=%d seconds=%d java=%s cores=%d%n",
                    hosts, clients, seconds, Runtime.version().feature(), Runtime.getRuntime().availableProcessors());
            double raw = baseline(dir.resolve("baseline"), hosts, seconds);
            System.out.printf(Locale.ROOT, "baseline  raw SQLite batched insert, same rows, 128 rows/tx: %,.0f rows/s%n", raw);
            Result hub = hub(dir.resolve("hub"), hosts, clients, seconds);
            System.out.printf(Locale.ROOT, "hub       HTTP ingest, 1 sample/report, ack after commit:  %,.0f reports/s  p50 %.2f ms  p99 %.2f ms  errors %d%n",
                    hub.perSecond, hub.p50Ms, hub.p99Ms, hub.errors);
            System.out.printf(Locale.ROOT, "ratio     hub / baseline: %.3f%n", hub.perSecond / raw);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    static Sample sample(long seq, long atMs) {
        return new Sample(seq, atMs,
                new Sample.Cpu(23.5, List.of(20.0, 27.0, 22.0, 25.0), 0.7, 0.5, 0.4),
                new Sample.Memory(8L << 30, 3L << 30, 5L << 30, 2L << 30, 1L << 20),
                List.of(new Sample.Filesystem("/", "ext4", 100L << 30, 40L << 30)),
                List.of(new Sample.NetInterface("eth0", 1000, 500)),
                3600L, 2, null);
    }

    /** Rows per second for the hub's own insert statement, driven directly over JDBC. */
    static double baseline(Path dir, int hosts, int seconds) throws Exception {
        ObjectMapper json = Json.mapper();
        try (Database db = Database.openSqlite(dir)) {
            var store = new HostStore(db.jdbi());
            long[] ids = new long[hosts];
            for (int h = 0; h < hosts; h++) {
                String key = Tokens.newSecret("smk_");
                ids[h] = store.insert("bench-" + h, Tokens.hash(key), Tokens.prefixOf(key), System.currentTimeMillis()).orElseThrow().id();
            }
            long rows = 0;
            long seq = 0;
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(seconds).toNanos();
            try (var handle = db.jdbi().open()) {
                Connection c = handle.getConnection();
                c.setAutoCommit(false);
                try (PreparedStatement st = c.prepareStatement("""
                        INSERT OR IGNORE INTO samples (host_id, seq, at_ms, cpu_percent, load1, mem_used_bytes, mem_total_bytes,
                            swap_used_bytes, disk_used_bytes, disk_total_bytes, net_rx_bytes_per_sec, net_tx_bytes_per_sec,
                            users_logged_in, power_watts, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""")) {
                    while (System.nanoTime() < end) {
                        seq++;
                        for (int i = 0; i < 128; i++) {
                            Sample s = sample(seq * 128 + i, System.currentTimeMillis());
                            var l = HostView.Latest.of(s);
                            st.setLong(1, ids[i % hosts]);
                            st.setLong(2, s.seq());
                            st.setLong(3, s.atMs());
                            st.setDouble(4, l.cpuPercent());
                            st.setDouble(5, l.load1());
                            st.setLong(6, l.memUsedBytes());
                            st.setLong(7, l.memTotalBytes());
                            st.setLong(8, l.swapUsedBytes());
                            st.setLong(9, l.diskUsedBytes());
                            st.setLong(10, l.diskTotalBytes());
                            st.setDouble(11, l.netRxBytesPerSec());
                            st.setDouble(12, l.netTxBytesPerSec());
                            st.setInt(13, l.usersLoggedIn());
                            st.setNull(14, java.sql.Types.REAL);
                            st.setString(15, json.writeValueAsString(s));
                            st.addBatch();
                        }
                        st.executeBatch();
                        c.commit();
                        rows += 128;
                    }
                } finally {
                    c.setAutoCommit(true);
                }
            }
            return rows / ((System.nanoTime() - start) / 1e9);
        }
    }

    record Result(double perSecond, double p50Ms, double p99Ms, long errors) {}

    static Result hub(Path dir, int hosts, int clients, int seconds) throws Exception {
        ObjectMapper json = Json.mapper();
        try (Hub hub = Hub.start(HubConfig.defaults(dir).withPorts("127.0.0.1", 0, "127.0.0.1", 0)
                .withInitialAdminPassword(Passwords.generate()))) {
            String[] keys = new String[hosts];
            for (int h = 0; h < hosts; h++) {
                keys[h] = hub.hosts().register("bench-" + h).key();
            }
            URI ingest = URI.create("http://127.0.0.1:" + hub.ingestPort() + "/api/v1/ingest");
            AtomicLongArray seqs = new AtomicLongArray(hosts);
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            List<Thread> threads = new ArrayList<>();
            long[][] latencies = new long[clients][];
            int[] counts = new int[clients];
            long[] errors = new long[clients];
            long start = System.nanoTime();
            for (int t = 0; t < clients; t++) {
                final int me = t;
                latencies[me] = new long[2_000_000];
                Thread th = new Thread(() -> {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    int i = me;
                    while (System.nanoTime() < end) {
                        int h = i % keys.length;
                        i += clients;
                        try {
                            String body = json.writeValueAsString(new IngestBatch(ProtocolVersion.CURRENT, "bench", 10,
                                    List.of(sample(seqs.incrementAndGet(h), System.currentTimeMillis()))));
                            long t0 = System.nanoTime();
                            var r = http.send(HttpRequest.newBuilder(ingest).header("Authorization", "Bearer " + keys[h])
                                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            long took = System.nanoTime() - t0;
                            if (r.statusCode() == 200 && counts[me] < latencies[me].length) {
                                latencies[me][counts[me]++] = took;
                            } else if (r.statusCode() != 200) {
                                errors[me]++;
                            }
                        } catch (IOException e) {
                            errors[me]++;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int pos = 0;
            for (int t = 0; t < clients; t++) {
                System.arraycopy(latencies[t], 0, all, pos, counts[t]);
                pos += counts[t];
            }
            Arrays.sort(all);
            double p50 = total == 0 ? 0 : all[(int) (total * 0.50)] / 1e6;
            double p99 = total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))] / 1e6;
            return new Result(total / elapsed, p50, p99, Arrays.stream(errors).sum());
        }
    }
}
