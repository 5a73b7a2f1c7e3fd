package dev.servmon.hub.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Storage of the rollup tiers: one {@link BlockCodec} block per host, tier and window (an hour
 * of 1-minute buckets, a day of 15-minute or 1-hour buckets). For each bucket and series the
 * block holds min, max, sum, count, last and the time of last, as integers at the series'
 * precision — a sum of values rounded to a precision is exact at that precision — so nothing is
 * lost, and a bucket costs a few bytes instead of a database row.
 *
 * <p>A tier's buckets are handled as {@code series name → bucket start → aggregate}.
 */
final class TierBlocks {
    /** Separates a series name from the aggregate in a block's column names; never part of a series name. */
    private static final char FIELD = '\u0000';
    private static final List<String> FIELDS = List.of("min", "max", "sum", "n", "last", "at");

    private TierBlocks() {}

    /** The buckets of one block; empty when none is stored. */
    static Map<String, Map<Long, Rollups.Agg>> read(Handle h, Rollups.Tier tier, long hostId, long windowMs) {
        return h.createQuery("SELECT data FROM rollup_blocks WHERE host_id = :host AND tier = :tier AND window_start_ms = :w")
                .bind("host", hostId).bind("tier", tier.code()).bind("w", windowMs).mapTo(byte[].class).findOne()
                .map(TierBlocks::decode).orElseGet(HashMap::new);
    }

    /**
     * The stored buckets of the named series of a host and tier with start in [fromMs, toMs).
     * Only those series' columns are decoded: a block holds every series of its host.
     */
    static Map<String, Map<Long, Rollups.Agg>> read(Handle h, Rollups.Tier tier, long hostId, long fromMs, long toMs,
                                                    java.util.Set<String> series) {
        Map<String, Map<Long, Rollups.Agg>> out = new HashMap<>();
        h.createQuery("""
                        SELECT data FROM rollup_blocks
                        WHERE host_id = :host AND tier = :tier AND window_start_ms > :fromWindow AND window_start_ms < :to""")
                .bind("host", hostId).bind("tier", tier.code()).bind("fromWindow", fromMs - tier.windowMs()).bind("to", toMs)
                .mapTo(byte[].class)
                .forEach(block -> collect(block, series::contains, fromMs, toMs, out));
        return out;
    }

    /** Stores one block, replacing what was there (removing it when it holds no bucket). */
    static void write(Handle h, Rollups.Tier tier, long hostId, long windowMs, Map<String, Map<Long, Rollups.Agg>> buckets) {
        buckets.values().removeIf(Map::isEmpty);
        if (buckets.isEmpty()) {
            h.createUpdate("DELETE FROM rollup_blocks WHERE host_id = :host AND tier = :tier AND window_start_ms = :w")
                    .bind("host", hostId).bind("tier", tier.code()).bind("w", windowMs).execute();
            return;
        }
        h.createUpdate("""
                        INSERT INTO rollup_blocks (host_id, tier, window_start_ms, data) VALUES (:host, :tier, :w, :data)
                        ON CONFLICT (host_id, tier, window_start_ms) DO UPDATE SET data = excluded.data""")
                .bind("host", hostId).bind("tier", tier.code()).bind("w", windowMs).bind("data", encode(tier, buckets)).execute();
    }

    /**
     * Drops a host's buckets of {@code tier} before {@code cutoffMs}: whole blocks, and the older
     * buckets of the one block that straddles the cut-off. Returns the number of blocks touched.
     */
    static int expire(Handle h, Rollups.Tier tier, long hostId, long cutoffMs) {
        int n = h.createUpdate("DELETE FROM rollup_blocks WHERE host_id = :host AND tier = :tier AND window_start_ms <= :lastWhole")
                .bind("host", hostId).bind("tier", tier.code()).bind("lastWhole", cutoffMs - tier.windowMs()).execute();
        long edge = tier.windowOf(cutoffMs);
        if (edge < cutoffMs) {
            var buckets = read(h, tier, hostId, edge);
            boolean changed = false;
            for (var byBucket : buckets.values()) {
                changed |= byBucket.keySet().removeIf(b -> b < cutoffMs);
            }
            if (changed) {
                write(h, tier, hostId, edge, buckets);
                n++;
            }
        }
        return n;
    }

    static byte[] encode(Rollups.Tier tier, Map<String, Map<Long, Rollups.Agg>> buckets) {
        // One pseudo-sample per bucket, six columns per series.
        TreeMap<Long, List<String>> names = new TreeMap<>();
        TreeMap<Long, List<Double>> values = new TreeMap<>();
        buckets.forEach((series, byBucket) -> byBucket.forEach((bucket, a) -> {
            List<String> n = names.computeIfAbsent(bucket, k -> new ArrayList<>());
            List<Double> v = values.computeIfAbsent(bucket, k -> new ArrayList<>());
            double[] fields = {a.min(), a.max(), a.sum(), a.count(), a.last(), a.lastAtMs() - bucket};
            for (int f = 0; f < fields.length; f++) {
                n.add(series + FIELD + FIELDS.get(f));
                v.add(fields[f]);
            }
        }));
        List<RawSample> rows = new ArrayList<>(names.size());
        names.forEach((bucket, n) -> {
            List<Double> v = values.get(bucket);
            double[] arr = new double[v.size()];
            for (int i = 0; i < arr.length; i++) {
                arr[i] = v.get(i);
            }
            rows.add(new RawSample(bucket / tier.widthMs(), bucket, n.toArray(String[]::new), arr));
        });
        return BlockCodec.encode(rows, true, TierBlocks::decimals);
    }

    static Map<String, Map<Long, Rollups.Agg>> decode(byte[] block) {
        Map<String, Map<Long, Rollups.Agg>> out = new HashMap<>();
        collect(block, series -> true, Long.MIN_VALUE, Long.MAX_VALUE, out);
        return out;
    }

    /**
     * Adds to {@code out} the buckets in [fromMs, toMs) of the series {@code wanted} accepts;
     * the other series' columns are stepped over, not decoded.
     */
    private static void collect(byte[] block, java.util.function.Predicate<String> wanted, long fromMs, long toMs,
                                Map<String, Map<Long, Rollups.Agg>> out) {
        var cols = BlockCodec.decodeColumns(block, column -> {
            int sep = column.lastIndexOf(FIELD);
            return sep < 0 || wanted.test(column.substring(0, sep));
        });
        Map<String, double[][]> fields = new HashMap<>();
        cols.values().forEach((column, values) -> {
            int sep = column.lastIndexOf(FIELD);
            int f = sep < 0 ? -1 : FIELDS.indexOf(column.substring(sep + 1));
            if (f < 0) {
                throw new IllegalArgumentException("rollup block has an unexpected column '" + column.replace(FIELD, '/') + "'");
            }
            fields.computeIfAbsent(column.substring(0, sep), k -> new double[FIELDS.size()][])[f] = values;
        });
        long[] at = cols.atMs();
        fields.forEach((series, f) -> {
            for (int r = 0; r < at.length; r++) {
                long bucket = at[r];
                if (bucket < fromMs || bucket >= toMs || f[0] == null || Double.isNaN(f[0][r])) {
                    continue;
                }
                out.computeIfAbsent(series, k -> new HashMap<>()).put(bucket, new Rollups.Agg(f[0][r], value(f[1], r), value(f[2], r),
                        (long) value(f[3], r), value(f[4], r), bucket + (long) value(f[5], r)));
            }
        });
    }

    private static double value(double[] column, int row) {
        return column == null || Double.isNaN(column[row]) ? 0 : column[row];
    }

    private static int decimals(String column) {
        int sep = column.lastIndexOf(FIELD);
        String field = column.substring(sep + 1);
        return field.equals("n") || field.equals("at") ? 0 : MetricCatalog.decimals(column.substring(0, sep));
    }
}
