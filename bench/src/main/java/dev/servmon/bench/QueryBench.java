package dev.servmon.bench;

import dev.servmon.hub.metrics.HistoryQuery;
import dev.servmon.hub.metrics.MetricsQuery;
import dev.servmon.hub.metrics.Retention;
import dev.servmon.hub.storage.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Chart query times for one host after seeding {@code --days} of its data in compressed time
 * (through the real writer and background task, so every tier holds what it would): 1 h, 24 h,
 * 7 d, 30 d and 1 y charts of five series, and the first page of the history table. Next to
 * each, the time to decode the host's last hour of raw samples, measured in the same run.
 *
 * <pre>java -cp bench/target/servmon-bench.jar dev.servmon.bench.QueryBench [--days 365] [--interval 10] [--runs 50] [--db-url …]</pre>
 */
public final class QueryBench {
    private static final List<String> CHART = List.of("cpu", "mem_used", "net_rx", "net_tx", "fs_used");

    private QueryBench() {}

    public static void main(String[] args) throws Exception {
        var a = new BenchArgs(args, "usage: QueryBench [--days D=365] [--interval S=10] [--runs N=50] [--db-url jdbc:postgresql://… --db-user U]");
        int days = a.integer("days", 365);
        int interval = a.integer("interval", 10);
        int runs = a.integer("runs", 50);
        Path dir = Files.createTempDirectory("servmon-query");
        try (Database db = Database.open(a.database(dir))) {
            long end = System.currentTimeMillis() / 3_600_000L * 3_600_000L;
            long start = end - days * 86_400_000L;
            var clock = new SimClock(start);
            var seeder = new Seeder(db, clock, Retention.DEFAULT);
            long host = seeder.hosts("query-" + System.nanoTime() + "-", 1)[0];
            long t0 = System.nanoTime();
            seeder.run(new long[] {host}, start, end, interval * 1000L);
            System.out.printf(Locale.ROOT, "servmon query benchmark: db=%s days=%d interval=%ds samples=%,d seeded in %.1f s; %d runs each%n",
                    db.dialect().label(), days, interval, seeder.samples, (System.nanoTime() - t0) / 1e9, runs);
            long now = clock.millis();
            var query = new MetricsQuery(seeder.raw, seeder.rollups, Retention.DEFAULT, clock);
            var history = new HistoryQuery(seeder.raw);
            double baseline = time(runs, () -> seeder.raw.read(host, now - 3_600_000L, now).size());
            System.out.printf(Locale.ROOT, "baseline  decode 1 h of raw samples:          median %7.2f ms%n", baseline);
            for (var range : List.of(new Object[] {"1h", 1L}, new Object[] {"24h", 24L}, new Object[] {"7d", 168L},
                    new Object[] {"30d", 720L}, new Object[] {"1y", 8760L})) {
                long hours = (Long) range[1];
                if (hours > days * 24L) {
                    continue;
                }
                long from = now - hours * 3_600_000L;
                var r = query.query(host, CHART, from, now, 0);
                double ms = time(runs, () -> query.query(host, CHART, from, now, 0).timestamps().length);
                System.out.printf(Locale.ROOT, "chart %-4s %d series × %4d points (%-3s): median %7.2f ms  ratio %.2f%n",
                        range[0], CHART.size(), r.timestamps().length, r.resolution(), ms, ms / baseline);
            }
            double page = time(runs, () -> history.page(host, List.of(), now - 86_400_000L, now, 3, 50, false).rows().size());
            System.out.printf(Locale.ROOT, "history  24 h, page 4 of 50 rows:            median %7.2f ms  ratio %.2f%n", page, page / baseline);
        } finally {
            BenchArgs.deleteTree(dir);
        }
        System.exit(0);
    }

    /** Median milliseconds of {@code runs} calls after a few warm-up calls. */
    static double time(int runs, java.util.function.IntSupplier call) {
        for (int i = 0; i < Math.min(5, runs); i++) {
            call.getAsInt();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            call.getAsInt();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }
}
