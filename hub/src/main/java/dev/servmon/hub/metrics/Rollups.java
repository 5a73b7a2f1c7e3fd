package dev.servmon.hub.metrics;

import dev.servmon.hub.storage.Database;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongPredicate;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollup tiers (1 min, 15 min, 1 h: min, max, sum, count, last per series and bucket),
 * kept up to date incrementally by the background task, never on the ingest path, and stored
 * as compact blocks ({@link TierBlocks}).
 *
 * <p>The sample writer marks each minute that received samples as dirty (in the same
 * transaction as the samples). {@link #process} takes dirty minutes, oldest first, and per host
 * and hour window either
 * <ul>
 *   <li><b>recomputes</b> them — 1-minute buckets from raw, then the 15-minute buckets that contain
 *   them from the 1-minute buckets, then the hour from the 15-minute buckets — when the window's raw
 *   samples are all still there (exact, and idempotent however often it runs); or
 *   <li><b>merges</b> the raw samples it has into the existing buckets and deletes them, in one
 *   transaction, when retention already removed the window's other raw samples: a backlog
 *   replayed after the raw retention still ends up in the rollups, and is counted once.
 * </ul>
 */
public final class Rollups {
    private static final Logger log = LoggerFactory.getLogger(Rollups.class);
    private static final int MARKS_PER_PASS = 20_000;

    /** A rollup tier: its bucket width, and the window one stored block covers. */
    public enum Tier {
        M1(60_000L, 3_600_000L, "1m"),
        M15(900_000L, 86_400_000L, "15m"),
        H1(3_600_000L, 86_400_000L, "1h");

        private final long widthMs;
        private final long windowMs;
        private final String label;

        Tier(long widthMs, long windowMs, String label) {
            this.widthMs = widthMs;
            this.windowMs = windowMs;
            this.label = label;
        }

        public long widthMs() {
            return widthMs;
        }

        long windowMs() {
            return windowMs;
        }

        /** Bucket width in minutes: the {@code tier} column of {@code rollup_blocks}. */
        int code() {
            return (int) (widthMs / 60_000L);
        }

        /** {@code 1m}, {@code 15m} or {@code 1h}. */
        public String label() {
            return label;
        }

        public long bucketOf(long atMs) {
            return Math.floorDiv(atMs, widthMs) * widthMs;
        }

        long windowOf(long atMs) {
            return Math.floorDiv(atMs, windowMs) * windowMs;
        }
    }

    /**
     * The aggregate of the values in one bucket.
     *
     * @param last the value of the latest sample; {@code lastAtMs} its time
     */
    public record Agg(double min, double max, double sum, long count, double last, long lastAtMs) {
        public static Agg of(double v, long atMs) {
            return new Agg(v, v, v, 1, v, atMs);
        }

        /** Both aggregates as one; on equal times the argument's last value wins. */
        public Agg merge(Agg o) {
            boolean later = o.lastAtMs >= lastAtMs;
            return new Agg(Math.min(min, o.min), Math.max(max, o.max), sum + o.sum, count + o.count,
                    later ? o.last : last, later ? o.lastAtMs : lastAtMs);
        }

        public double avg() {
            return sum / count;
        }
    }

    /** One bucket of one series. */
    public record Row(String series, long bucketMs, Agg agg) {}

    private final Database db;

    public Rollups(Database db) {
        this.db = db;
    }

    /**
     * Brings the rollups of dirty minutes up to date (at most {@value #MARKS_PER_PASS} minutes per
     * call). Returns the number of minutes processed.
     */
    public int process(Retention retention, long nowMs) {
        record Mark(long hostId, long minuteMs) {}
        List<Mark> marks = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT host_id, minute_ms FROM rollup_dirty ORDER BY minute_ms, host_id LIMIT " + MARKS_PER_PASS)
                .map((rs, ctx) -> new Mark(rs.getLong(1), rs.getLong(2))).list());
        Map<Long, Map<Long, TreeSet<Long>>> byHostWindow = new LinkedHashMap<>();
        for (Mark m : marks) {
            byHostWindow.computeIfAbsent(m.hostId(), k -> new TreeMap<>())
                    .computeIfAbsent(RawTier.windowOf(m.minuteMs()), k -> new TreeSet<>()).add(m.minuteMs());
        }
        for (var host : byHostWindow.entrySet()) {
            long hostId = host.getKey();
            Long purgedBefore = db.jdbi().withHandle(h -> h.createQuery("SELECT raw_purged_before_ms FROM hosts WHERE id = :id")
                    .bind("id", hostId).mapTo(Long.class).findOne().orElse(null));
            for (var window : host.getValue().entrySet()) {
                try {
                    if (purgedBefore == null) {
                        clearMarks(hostId, window.getValue());
                    } else if (window.getKey() >= purgedBefore) {
                        recompute(hostId, window.getKey(), window.getValue());
                    } else {
                        mergeLate(retention, nowMs, hostId, window.getKey());
                    }
                } catch (RuntimeException e) {
                    if (Database.connectionLost(e)) {
                        throw e;
                    }
                    log.error("rollup failed host={} window={}; will retry next pass", hostId, window.getKey(), e);
                }
            }
        }
        return marks.size();
    }

    private void clearMarks(long hostId, Collection<Long> minutes) {
        db.jdbi().useHandle(h -> deleteMarks(h, hostId, minutes));
    }

    private static void deleteMarks(Handle h, long hostId, Collection<Long> minutes) {
        var batch = h.prepareBatch("DELETE FROM rollup_dirty WHERE host_id = :host AND minute_ms = :m");
        for (long m : minutes) {
            batch.bind("host", hostId).bind("m", m).add();
        }
        batch.execute();
    }

    private void recompute(long hostId, long windowMs, TreeSet<Long> minutes) {
        db.useWriteTransaction(h -> {
            // The marks go in the same transaction as the buckets, so a pass cut off anywhere
            // (the leader killed) leaves them for the next one. The host lock comes first: the
            // writer takes it too, so a sample is committed either before the read below (and
            // counted) or after this transaction (and marks its minute again).
            if (!RawTier.lockHost(h, hostId)) {
                return;
            }
            deleteMarks(h, hostId, minutes);
            long to = minutes.last() + Tier.M1.widthMs();
            Map<String, Map<Long, Agg>> fresh = aggregate(RawTier.read(h, hostId, minutes.first(), to), Tier.M1, minutes);
            seriesIds(h, hostId, fresh.keySet());
            // The raw samples of these minutes are complete: their buckets are replaced, not merged.
            Map<String, Map<Long, Agg>> hour = TierBlocks.read(h, Tier.M1, hostId, windowMs);
            replace(hour, fresh, minutes::contains);
            TierBlocks.write(h, Tier.M1, hostId, windowMs, hour);
            Set<Long> quarters = new TreeSet<>();
            minutes.forEach(m -> quarters.add(Tier.M15.bucketOf(m)));
            long day = Tier.M15.windowOf(windowMs);
            Map<String, Map<Long, Agg>> quarterBuckets = TierBlocks.read(h, Tier.M15, hostId, day);
            replace(quarterBuckets, regroup(hour, Tier.M15, quarters::contains), quarters::contains);
            TierBlocks.write(h, Tier.M15, hostId, day, quarterBuckets);
            Map<String, Map<Long, Agg>> hours = TierBlocks.read(h, Tier.H1, hostId, Tier.H1.windowOf(windowMs));
            replace(hours, regroup(quarterBuckets, Tier.H1, b -> b == windowMs), b -> b == windowMs);
            TierBlocks.write(h, Tier.H1, hostId, Tier.H1.windowOf(windowMs), hours);
        });
    }

    /** Merges the raw samples of a window whose other raw samples are gone, then removes them. */
    private void mergeLate(Retention retention, long nowMs, long hostId, long windowMs) {
        db.useWriteTransaction(h -> {
            long end = windowMs + RawTier.WINDOW_MS;
            if (!RawTier.lockHost(h, hostId)) {
                return;
            }
            h.createUpdate("DELETE FROM rollup_dirty WHERE host_id = :host AND minute_ms >= :from AND minute_ms < :to")
                    .bind("host", hostId).bind("from", windowMs).bind("to", end).execute();
            List<RawSample> late = RawTier.read(h, hostId, windowMs, end);
            if (late.isEmpty()) {
                return;
            }
            seriesIds(h, hostId, aggregate(late, Tier.H1, null).keySet());
            for (Tier tier : Tier.values()) {
                if (windowMs < retention.cutoff(nowMs, tier)) {
                    continue;
                }
                long window = tier.windowOf(windowMs);
                Map<String, Map<Long, Agg>> stored = TierBlocks.read(h, tier, hostId, window);
                aggregate(late, tier, null).forEach((name, buckets) -> buckets.forEach((bucket, agg) ->
                        stored.computeIfAbsent(name, k -> new HashMap<>()).merge(bucket, agg, Agg::merge)));
                TierBlocks.write(h, tier, hostId, window, stored);
            }
            RawTier.deleteWindow(h, hostId, windowMs);
            RawTier.raisePurged(h, db.dialect(), hostId, late.stream().mapToLong(RawSample::seq).max().orElseThrow(), windowMs);
            log.info("late samples merged into rollups host={} window={} samples={}", hostId, windowMs, late.size());
        });
    }

    /** Per series and bucket of {@code tier}, the aggregate of {@code samples} (only in {@code onlyMinutes} when given). */
    static Map<String, Map<Long, Agg>> aggregate(List<RawSample> samples, Tier tier, Set<Long> onlyMinutes) {
        Map<String, Map<Long, Agg>> out = new HashMap<>();
        for (RawSample s : samples) {
            if (onlyMinutes != null && !onlyMinutes.contains(Tier.M1.bucketOf(s.atMs()))) {
                continue;
            }
            long bucket = tier.bucketOf(s.atMs());
            for (int i = 0; i < s.names().length; i++) {
                Agg a = Agg.of(s.values()[i], s.atMs());
                out.computeIfAbsent(s.names()[i], k -> new HashMap<>()).merge(bucket, a, Agg::merge);
            }
        }
        return out;
    }

    /** Replaces, in {@code stored}, the buckets that {@code which} selects by those of {@code fresh}. */
    private static void replace(Map<String, Map<Long, Agg>> stored, Map<String, Map<Long, Agg>> fresh, LongPredicate which) {
        stored.values().forEach(buckets -> buckets.keySet().removeIf(which::test));
        fresh.forEach((name, buckets) -> buckets.forEach((bucket, agg) -> {
            if (which.test(bucket)) {
                stored.computeIfAbsent(name, k -> new HashMap<>()).put(bucket, agg);
            }
        }));
    }

    /** Buckets of a finer tier combined into the buckets of {@code tier} that {@code which} selects. */
    private static Map<String, Map<Long, Agg>> regroup(Map<String, Map<Long, Agg>> finer, Tier tier, LongPredicate which) {
        Map<String, Map<Long, Agg>> out = new HashMap<>();
        finer.forEach((name, buckets) -> buckets.forEach((bucket, agg) -> {
            long coarse = tier.bucketOf(bucket);
            if (which.test(coarse)) {
                out.computeIfAbsent(name, k -> new HashMap<>()).merge(coarse, agg, Agg::merge);
            }
        }));
        return out;
    }

    /** Buckets of the named series of a host in {@code tier} with start in [fromMs, toMs), ordered by bucket. */
    public List<Row> read(Tier tier, long hostId, Collection<String> series, long fromMs, long toMs) {
        if (series.isEmpty()) {
            return List.of();
        }
        var wanted = java.util.Set.copyOf(series);
        var buckets = db.jdbi().withHandle(h -> TierBlocks.read(h, tier, hostId, fromMs, toMs, wanted));
        List<Row> rows = new ArrayList<>();
        for (String name : series) {
            buckets.getOrDefault(name, Map.of()).forEach((bucket, agg) -> rows.add(new Row(name, bucket, agg)));
        }
        rows.sort(Comparator.comparingLong(Row::bucketMs));
        return rows;
    }

    /** Ids of the host's series with these names, creating the missing ones. */
    static Map<String, Long> seriesIds(Handle h, long hostId, Collection<String> names) {
        Map<String, Long> ids = knownSeries(h, hostId);
        List<String> missing = names.stream().filter(n -> !ids.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            var batch = h.prepareBatch("INSERT INTO series (host_id, name) VALUES (:host, :name) ON CONFLICT (host_id, name) DO NOTHING");
            missing.forEach(n -> batch.bind("host", hostId).bind("name", n).add());
            batch.execute();
            ids.putAll(knownSeries(h, hostId));
        }
        return ids;
    }

    /** All series names of a host with their ids. */
    static Map<String, Long> knownSeries(Handle h, long hostId) {
        Map<String, Long> ids = new HashMap<>();
        h.createQuery("SELECT id, name FROM series WHERE host_id = :host").bind("host", hostId)
                .map((rs, ctx) -> Map.entry(rs.getString(2), rs.getLong(1)))
                .forEach(e -> ids.put(e.getKey(), e.getValue()));
        return ids;
    }

    /** Series of a host by name, read-only. */
    public Map<String, Long> series(long hostId) {
        return db.jdbi().withHandle(h -> knownSeries(h, hostId));
    }

    /**
     * Drops rollups older than each tier's retention, one host and tier at a time. Returns the
     * number of blocks dropped or trimmed.
     */
    public int expire(Retention retention, long nowMs) {
        List<Long> hosts = db.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT host_id FROM rollup_blocks").mapTo(Long.class).list());
        int dropped = 0;
        for (Tier tier : Tier.values()) {
            long cutoff = retention.cutoff(nowMs, tier);
            for (long host : hosts) {
                dropped += db.inWriteTransaction(h -> TierBlocks.expire(h, tier, host, cutoff));
            }
        }
        return dropped;
    }

    /** Minutes of a host in [fromMs, toMs) whose rollups are not up to date yet. */
    public List<Long> dirtyMinutes(long hostId, long fromMs, long toMs) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT minute_ms FROM rollup_dirty WHERE host_id = :host AND minute_ms >= :from AND minute_ms < :to")
                .bind("host", hostId).bind("from", fromMs).bind("to", toMs).mapTo(Long.class).list());
    }

    /** The hour before which the host has no complete raw data any more (0: all of it is there). */
    public long purgedBefore(long hostId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT raw_purged_before_ms FROM hosts WHERE id = :id")
                .bind("id", hostId).mapTo(Long.class).findOne().orElse(0L));
    }

    /** Minutes waiting for the rollup task (for tests and the bench). */
    public long pending() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM rollup_dirty").mapTo(Long.class).one());
    }
}
