package dev.servmon.bench;

import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.Tokens;
import dev.servmon.hub.hosts.HostStore;
import dev.servmon.hub.ingest.SampleWriter;
import dev.servmon.hub.metrics.Maintenance;
import dev.servmon.hub.metrics.MetricCatalog;
import dev.servmon.hub.metrics.RawTier;
import dev.servmon.hub.metrics.Retention;
import dev.servmon.hub.metrics.Rollups;
import dev.servmon.hub.sim.SyntheticHost;
import dev.servmon.hub.storage.Database;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fills a database with {@link SyntheticHost} data in compressed time: samples go through the
 * hub's real writer, and the background task runs after every simulated hour, as it would.
 */
final class Seeder {
    final Database db;
    final SimClock clock;
    final RawTier raw;
    final Rollups rollups;
    final Maintenance maintenance;
    long values;
    long samples;

    Seeder(Database db, SimClock clock, Retention retention) {
        this.db = db;
        this.clock = clock;
        this.raw = new RawTier(db);
        this.rollups = new Rollups(db);
        this.maintenance = new Maintenance(raw, rollups, retention, clock);
    }

    long[] hosts(String prefix, int n) {
        var store = new HostStore(db);
        long[] ids = new long[n];
        for (int h = 0; h < n; h++) {
            String key = Tokens.newSecret("smk_");
            ids[h] = store.insert(prefix + h, Tokens.hash(key), Tokens.prefixOf(key), clock.millis()).orElseThrow().id();
        }
        return ids;
    }

    /** Every host reports every {@code intervalMs} from {@code fromMs} to {@code toMs}, in batches of one simulated minute. */
    void run(long[] hostIds, long fromMs, long toMs, long intervalMs) throws Exception {
        SyntheticHost[] hosts = new SyntheticHost[hostIds.length];
        for (int h = 0; h < hosts.length; h++) {
            hosts[h] = new SyntheticHost(hostIds[h]);
        }
        try (var writer = new SampleWriter(db, raw, Json.mapper(), 4_096)) {
            long nextPass = RawTier.windowOf(fromMs) + RawTier.WINDOW_MS;
            long batchMs = Math.max(intervalMs, 60_000);
            for (long t = fromMs; t < toMs; t += batchMs) {
                List<CompletableFuture<?>> pending = new ArrayList<>(hosts.length);
                for (int h = 0; h < hosts.length; h++) {
                    List<Sample> batch = new ArrayList<>();
                    for (long at = t; at < Math.min(t + batchMs, toMs); at += intervalMs) {
                        Sample s = hosts[h].next(at);
                        values += MetricCatalog.flatten(s).names().length;
                        samples++;
                        batch.add(s);
                    }
                    clock.set(t + batchMs);
                    pending.add(writer.submit(hostIds[h], new IngestBatch(ProtocolVersion.CURRENT, "bench", (int) (intervalMs / 1000), batch), t + batchMs));
                    if (pending.size() >= 1_000) {
                        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get();
                        pending.clear();
                    }
                }
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get();
                if (t + batchMs >= nextPass) {
                    long passStart = System.nanoTime();
                    var pass = maintenance.runOnce();
                    vacuum();
                    nextPass += RawTier.WINDOW_MS;
                    // Progress for long seeds (a year, or 1,000 hosts): one line per simulated hour.
                    System.err.printf(java.util.Locale.ROOT, "seeded %.1f of %.1f h (%,d samples); maintenance %,d minutes, %,d windows packed in %d ms%n",
                            (t + batchMs - fromMs) / 3.6e6, (toMs - fromMs) / 3.6e6, samples, pass.minutesRolledUp(), pass.windowsPacked(),
                            (System.nanoTime() - passStart) / 1_000_000);
                }
            }
        }
        clock.set(toMs + 20 * 60_000L);
        maintenance.runOnce();
        vacuum();
    }

    /**
     * PostgreSQL: what autovacuum does in real time (about once a minute for these tables), done
     * once per simulated hour, since compressed time outruns it.
     */
    void vacuum() {
        if (db.dialect() == dev.servmon.hub.storage.Dialect.POSTGRESQL) {
            db.jdbi().useHandle(h -> h.execute("VACUUM sample_head, sample_blocks, rollup_blocks, rollup_dirty"));
        }
    }
}
