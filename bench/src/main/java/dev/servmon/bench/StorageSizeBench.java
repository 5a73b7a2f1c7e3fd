package dev.servmon.bench;

import dev.servmon.hub.metrics.BlockCodec;
import dev.servmon.hub.metrics.Retention;
import dev.servmon.hub.storage.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes on disk per stored value, per tier, after seeding {@code --hosts} synthetic hosts for
 * {@code --hours} of compressed time through the hub's writer and background task.
 *
 * <pre>java -cp bench/target/servmon-bench.jar dev.servmon.bench.StorageSizeBench [--hosts 100] [--hours 24] [--interval 10] [--db-url …]</pre>
 */
public final class StorageSizeBench {
    private StorageSizeBench() {}

    public static void main(String[] args) throws Exception {
        var a = new BenchArgs(args, "usage: StorageSizeBench [--hosts N=100] [--hours H=24] [--interval S=10] [--db-url jdbc:postgresql://… --db-user U]");
        int hosts = a.integer("hosts", 100);
        int hours = a.integer("hours", 24);
        int interval = a.integer("interval", 10);
        Path dir = Files.createTempDirectory("servmon-size");
        try (Database db = Database.open(a.database(dir))) {
            long end = System.currentTimeMillis() / 3_600_000L * 3_600_000L;
            long start = end - hours * 3_600_000L;
            var seeder = new Seeder(db, new SimClock(start), Retention.DEFAULT);
            long t0 = System.nanoTime();
            seeder.run(seeder.hosts("size-" + System.nanoTime() + "-", hosts), start, end, interval * 1000L);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "servmon storage size: db=%s hosts=%d hours=%d interval=%ds samples=%,d values=%,d (%.1f per sample) seeded in %.1f s%n",
                    db.dialect().label(), hosts, hours, interval, seeder.samples, seeder.values, seeder.values / (double) seeder.samples, secs);
            Map<String, Long> bytes = tableBytes(db);
            long raw = bytes.get("sample_head") + bytes.get("sample_blocks");
            System.out.printf(Locale.ROOT, "raw tier         %,14d bytes  %.2f B/value (blocks %,d B + head %,d B)%n",
                    raw, raw / (double) seeder.values, bytes.get("sample_blocks"), bytes.get("sample_head"));
            // One table holds the three rollup tiers: its bytes are shared out by each tier's share of block bytes.
            for (int code : new int[] {1, 15, 60}) {
                List<byte[]> blocks = db.jdbi().withHandle(h -> h.createQuery("SELECT data FROM rollup_blocks WHERE tier = :t")
                        .bind("t", code).mapTo(byte[].class).list());
                long data = blocks.stream().mapToLong(b -> b.length).sum();
                long allData = db.jdbi().withHandle(h -> h.createQuery("SELECT coalesce(sum(length(data)), 0) FROM rollup_blocks").mapTo(Long.class).one());
                long share = allData == 0 ? 0 : bytes.get("rollup_blocks") * data / allData;
                long buckets = blocks.stream().mapToLong(b -> BlockCodec.decode(b).stream().mapToLong(r -> r.names().length / 6).sum()).sum();
                System.out.printf(Locale.ROOT, "rollup %-3s %,16d bytes  %,d series × buckets (5 aggregates each)  %.1f B each  %.2f B per raw value%n",
                        code == 60 ? "1h" : code + "m", share, buckets, share / (double) Math.max(1, buckets), share / (double) seeder.values);
            }
            long total = bytes.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf(Locale.ROOT, "all tables       %,14d bytes  %.2f B per raw value%n", total, total / (double) seeder.values);
        } finally {
            BenchArgs.deleteTree(dir);
        }
        System.exit(0);
    }

    /** Bytes per table including its indexes: dbstat on SQLite, pg_total_relation_size on PostgreSQL. */
    static Map<String, Long> tableBytes(Database db) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String t : List.of("sample_head", "sample_blocks", "series", "rollup_dirty", "rollup_blocks")) {
            String sql = db.dialect() == dev.servmon.hub.storage.Dialect.SQLITE
                    ? "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = :t OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = :t)"
                    : "SELECT pg_total_relation_size(CAST(:t AS regclass))";
            out.put(t, db.jdbi().withHandle(h -> h.createQuery(sql).bind("t", t).mapTo(Long.class).one()));
        }
        return out;
    }
}
