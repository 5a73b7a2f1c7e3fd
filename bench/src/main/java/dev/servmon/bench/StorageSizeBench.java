package dev.servmon.bench;

import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.Tokens;
import dev.servmon.hub.hosts.HostStore;
import dev.servmon.hub.ingest.SampleWriter;
import dev.servmon.hub.metrics.MetricCatalog;
import dev.servmon.hub.storage.Database;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

public final class StorageSizeBench {
    public static void main(String[] args) throws Exception {
        int hosts = Integer.parseInt(args[0]);
        int hours = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        long values = 0, samples = 0;
        try (Database db = Database.openSqlite(dir); var writer = new SampleWriter(db.jdbi(), Json.mapper(), 4096)) {
            var store = new HostStore(db.jdbi());
            long start = System.currentTimeMillis() - hours * 3600_000L;
            for (int h = 0; h < hosts; h++) {
                String key = Tokens.newSecret("smk_");
                long id = store.insert("h" + h, Tokens.hash(key), Tokens.prefixOf(key), start).orElseThrow().id();
                var host = new SyntheticHost(h);
                List<Sample> batch = new ArrayList<>();
                for (long t = start; t < start + hours * 3600_000L; t += 10_000) {
                    Sample s = host.next(t);
                    values += MetricCatalog.flatten(s).names().length;
                    samples++;
                    batch.add(s);
                    if (batch.size() == 100) {
                        writer.submit(id, new IngestBatch(ProtocolVersion.CURRENT, "b", 10, batch), t).get();
                        batch = new ArrayList<>();
                    }
                }
            }
        }
        long bytes = 0;
        for (String f : new String[] {"servmon.db", "servmon.db-wal"}) {
            Path p = dir.resolve(f);
            if (Files.exists(p)) bytes += Files.size(p);
        }
        System.out.printf(Locale.ROOT, "samples=%d values=%d (%.1f/sample) bytes=%d  %.2f B/value  %.0f B/sample%n",
                samples, values, values / (double) samples, bytes, bytes / (double) values, bytes / (double) samples);
    }
}
