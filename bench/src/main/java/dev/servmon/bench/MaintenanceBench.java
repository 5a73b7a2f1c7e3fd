package dev.servmon.bench;

import dev.servmon.hub.api.Json;
import dev.servmon.hub.ingest.SampleWriter;
import dev.servmon.hub.metrics.Retention;
import dev.servmon.hub.sim.SyntheticHost;
import dev.servmon.hub.storage.Database;
import dev.servmon.hub.storage.DbConfig;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * What the leader's maintenance costs in steady state: every simulated minute each of
 * {@code --hosts} hosts reports a minute of 10 s samples, then one maintenance pass runs (as the
 * leader does every minute) and is timed — wall time and this JVM's CPU per host. The first
 * {@code --warmup} minutes are left out (JIT). The pass rolls up one dirty minute per host: one
 * transaction that reads the minute's raw samples and rewrites the host's 1-minute, 15-minute and
 * 1-hour blocks. Packing (once per host and hour) and retention (once an hour) are not in it.
 *
 * <pre>java -cp bench/target/servmon-bench.jar dev.servmon.bench.MaintenanceBench [--hosts 200] [--minutes 6] [--warmup 2] [--every 1] [--db-url …]</pre>
 *
 * <p>{@code --every N} runs a pass every N simulated minutes instead (as {@code --maintenance-interval Nm} would).
 */
public final class MaintenanceBench {
    private MaintenanceBench() {}

    public static void main(String[] args) throws Exception {
        var a = new BenchArgs(args, "usage: MaintenanceBench [--hosts N=200] [--minutes M=6] [--warmup W=2] [--every E=1] [--db-url jdbc:postgresql://… --db-user U]\n"
                + "Times the leader's per-minute maintenance pass (rollups of one dirty minute per host) in steady state.");
        int hosts = a.integer("hosts", 200);
        int minutes = a.integer("minutes", 6);
        int warmup = a.integer("warmup", 2);
        int every = a.integer("every", 1);
        Path dir = Files.createTempDirectory("servmon-bench");
        try {
            DbConfig config = a.database(dir.resolve("db"));
            try (Database db = Database.open(config)) {
                long start = System.currentTimeMillis() / 3_600_000L * 3_600_000L - 2 * 3_600_000L;
                var clock = new SimClock(start);
                var seeder = new Seeder(db, clock, Retention.DEFAULT);
                long[] ids = seeder.hosts("maint-" + Long.toString(System.currentTimeMillis(), 36) + "-", hosts);
                SyntheticHost[] synthetic = new SyntheticHost[hosts];
                for (int h = 0; h < hosts; h++) {
                    synthetic[h] = new SyntheticHost(ids[h]);
                }
                double wallMs = 0;
                double cpuMs = 0;
                int measured = 0;
                try (var writer = new SampleWriter(db, seeder.raw, Json.mapper(), 4_096)) {
                    for (int m = 0; m < minutes; m++) {
                        long minuteStart = start + (long) m * every * 60_000L;
                        List<CompletableFuture<?>> acks = new ArrayList<>(hosts);
                        for (int h = 0; h < hosts; h++) {
                            List<Sample> batch = new ArrayList<>();
                            for (long at = minuteStart; at < minuteStart + every * 60_000L; at += 10_000L) {
                                batch.add(synthetic[h].next(at));
                            }
                            acks.add(writer.submit(ids[h], new IngestBatch(ProtocolVersion.CURRENT, "bench", 10, batch), minuteStart + every * 60_000L));
                        }
                        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
                        clock.set(minuteStart + every * 60_000L);
                        long cpu0 = cpuNanos();
                        long t0 = System.nanoTime();
                        var pass = seeder.maintenance.runOnce();
                        double wall = (System.nanoTime() - t0) / 1e6;
                        double cpu = (cpuNanos() - cpu0) / 1e6;
                        System.out.printf(Locale.ROOT, "pass %d: rolled up %d host-minutes in %.0f ms wall, %.0f ms CPU of this JVM%s%n",
                                m, pass.minutesRolledUp(), wall, cpu, m < warmup ? " (warm-up)" : "");
                        if (m >= warmup) {
                            wallMs += wall;
                            cpuMs += cpu;
                            measured++;
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "db=%s hosts=%d every=%d min: a pass takes %.2f ms wall and %.2f ms JVM CPU per host (mean of %d passes)%n",
                        db.dialect().label(), hosts, every, wallMs / measured / hosts, cpuMs / measured / hosts, measured);
            }
        } finally {
            BenchArgs.deleteTree(dir);
        }
        System.exit(0);
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
