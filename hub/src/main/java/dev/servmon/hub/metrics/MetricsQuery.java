package dev.servmon.hub.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Answers chart queries: series of one host, aligned on one time axis, at a resolution fit for
 * the range. The tier is the finest whose data covers the range without exceeding
 * {@value #MAX_POINTS} points: raw below a 1-minute step, then 1 min, 15 min, 1 h. Buckets
 * whose rollups are not up to date yet (the last minute or two, or a replayed backlog) are
 * computed from raw samples instead, so a chart's right edge is always current.
 */
public final class MetricsQuery {
    /** Most points per series in one answer. */
    public static final int MAX_POINTS = 2_000;
    /** Most series in one answer. */
    public static final int MAX_SERIES = 256;

    private final RawTier raw;
    private final Rollups rollups;
    private final Retention retention;
    private final Clock clock;

    public MetricsQuery(RawTier raw, Rollups rollups, Retention retention, Clock clock) {
        this.raw = raw;
        this.rollups = rollups;
        this.retention = retention;
        this.clock = clock;
    }

    /** Where an answer's points come from. */
    public enum Resolution {
        RAW("raw", 1_000L), M1("1m", 60_000L), M15("15m", 900_000L), H1("1h", 3_600_000L);

        private final String label;
        private final long widthMs;

        Resolution(String label, long widthMs) {
            this.label = label;
            this.widthMs = widthMs;
        }

        public String label() {
            return label;
        }

        Rollups.Tier tier() {
            return switch (this) {
                case RAW -> null;
                case M1 -> Rollups.Tier.M1;
                case M15 -> Rollups.Tier.M15;
                case H1 -> Rollups.Tier.H1;
            };
        }
    }

    /**
     * One series: per point the average, minimum and maximum of the values in it (null: no data).
     *
     * @param unit from {@link MetricCatalog}
     */
    public record Series(String name, String unit, Double[] avg, Double[] min, Double[] max) {}

    /**
     * An answer.
     *
     * @param resolution {@code raw}, {@code 1m}, {@code 15m} or {@code 1h}
     * @param stepMs width of each point; point i covers [timestamps[i], timestamps[i] + stepMs)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(long hostId, String resolution, long fromMs, long toMs, long stepMs, long[] timestamps,
                         List<Series> series) {}

    /** The tier and step for a range, given the step asked for (0: automatic). */
    public record Plan(Resolution resolution, long stepMs, long firstMs, int points) {}

    /** Chooses tier and step: pure, so tests can pin it down. */
    public static Plan plan(long fromMs, long toMs, long requestedStepMs, Retention retention, long nowMs) {
        long range = toMs - fromMs;
        long want = Math.max(Math.max(requestedStepMs, ceilDiv(range, MAX_POINTS)), Resolution.RAW.widthMs);
        Resolution r = want < Resolution.M1.widthMs ? Resolution.RAW
                : want < Resolution.M15.widthMs ? Resolution.M1
                : want < Resolution.H1.widthMs ? Resolution.M15 : Resolution.H1;
        // A tier that no longer holds the start of the range gives way to a coarser one.
        while (r != Resolution.H1 && fromMs < cutoff(r, retention, nowMs)) {
            r = Resolution.values()[r.ordinal() + 1];
        }
        long step = ceilDiv(Math.max(want, r.widthMs), r.widthMs) * r.widthMs;
        long first = Math.floorDiv(fromMs, step) * step;
        int points = (int) ceilDiv(toMs - first, step);
        return new Plan(r, step, first, points);
    }

    private static long cutoff(Resolution r, Retention retention, long nowMs) {
        return r == Resolution.RAW ? retention.rawCutoff(nowMs) : retention.cutoff(nowMs, r.tier());
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /**
     * Series of {@code hostId} matching {@code patterns} (exact series names, or
     * {@code metric:*} for every instance of a metric) in [fromMs, toMs).
     */
    public Result query(long hostId, List<String> patterns, long fromMs, long toMs, long requestedStepMs) {
        return query(hostId, patterns, fromMs, toMs, requestedStepMs, 0);
    }

    /**
     * As {@link #query(long, List, long, long, long)}; an automatic step ({@code requestedStepMs}
     * 0) is never finer than {@code sampleIntervalMs}, the host's reporting interval, so points
     * are not mostly empty.
     */
    public Result query(long hostId, List<String> patterns, long fromMs, long toMs, long requestedStepMs, long sampleIntervalMs) {
        long step = requestedStepMs > 0 ? requestedStepMs : Math.max(sampleIntervalMs, ceilDiv(toMs - fromMs, MAX_POINTS));
        Plan plan = plan(fromMs, toMs, step, retention, clock.millis());
        Map<String, Map<Long, Rollups.Agg>> points = new HashMap<>();
        Set<String> available = new LinkedHashSet<>();
        if (plan.resolution() == Resolution.RAW) {
            for (RawSample s : raw.read(hostId, fromMs, toMs, n -> matches(patterns, n))) {
                addSample(points, available, patterns, s, plan.stepMs());
            }
        } else {
            fromRollups(hostId, patterns, fromMs, toMs, plan, points, available);
        }
        List<String> names = order(patterns, available);
        if (names.size() > MAX_SERIES) {
            throw new IllegalArgumentException("the query matches " + names.size() + " series; ask for at most " + MAX_SERIES);
        }
        long[] timestamps = new long[plan.points()];
        for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = plan.firstMs() + i * plan.stepMs();
        }
        List<Series> series = new ArrayList<>(names.size());
        for (String name : names) {
            Double[] avg = new Double[timestamps.length];
            Double[] min = new Double[timestamps.length];
            Double[] max = new Double[timestamps.length];
            points.getOrDefault(name, Map.of()).forEach((t, agg) -> {
                int i = (int) ((t - plan.firstMs()) / plan.stepMs());
                if (i >= 0 && i < timestamps.length) {
                    avg[i] = agg.avg();
                    min[i] = agg.min();
                    max[i] = agg.max();
                }
            });
            var metric = MetricCatalog.of(name);
            series.add(new Series(name, metric == null ? null : metric.unit(), avg, min, max));
        }
        return new Result(hostId, plan.resolution().label(), fromMs, toMs, plan.stepMs(), timestamps, series);
    }

    private void fromRollups(long hostId, List<String> patterns, long fromMs, long toMs, Plan plan,
                             Map<String, Map<Long, Rollups.Agg>> points, Set<String> available) {
        List<String> names = rollups.series(hostId).keySet().stream().filter(n -> matches(patterns, n)).toList();
        // Output buckets touched by a minute the rollup task has not done yet come from raw.
        long rawFrom = Math.max(fromMs, rollups.purgedBefore(hostId));
        Set<Long> stale = new TreeSet<>();
        for (long minute : rollups.dirtyMinutes(hostId, Math.max(fromMs, rawFrom), toMs)) {
            stale.add(Math.floorDiv(minute, plan.stepMs()) * plan.stepMs());
        }
        for (Rollups.Row row : rollups.read(plan.resolution().tier(), hostId, names, fromMs, toMs)) {
            long t = Math.floorDiv(row.bucketMs(), plan.stepMs()) * plan.stepMs();
            if (!stale.contains(t)) {
                String name = row.series();
                available.add(name);
                points.computeIfAbsent(name, k -> new HashMap<>()).merge(t, row.agg(), Rollups.Agg::merge);
            }
        }
        for (long t : stale) {
            for (RawSample s : raw.read(hostId, Math.max(t, fromMs), Math.min(t + plan.stepMs(), toMs), n -> matches(patterns, n))) {
                addSample(points, available, patterns, s, plan.stepMs());
            }
        }
    }

    private static void addSample(Map<String, Map<Long, Rollups.Agg>> points, Set<String> available, List<String> patterns,
                                  RawSample s, long stepMs) {
        long t = Math.floorDiv(s.atMs(), stepMs) * stepMs;
        for (int i = 0; i < s.names().length; i++) {
            String name = s.names()[i];
            if (matches(patterns, name)) {
                available.add(name);
                points.computeIfAbsent(name, k -> new HashMap<>()).merge(t, Rollups.Agg.of(s.values()[i], s.atMs()), Rollups.Agg::merge);
            }
        }
    }

    /** Does a series name match any pattern (exact, or {@code metric:*})? */
    static boolean matches(List<String> patterns, String name) {
        for (String p : patterns) {
            if (p.endsWith(":*") ? name.startsWith(p.substring(0, p.length() - 1)) : p.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Pattern order; every exact name asked for is answered (all nulls when it has no data). */
    private static List<String> order(List<String> patterns, Set<String> available) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String p : patterns) {
            if (p.endsWith(":*")) {
                String prefix = p.substring(0, p.length() - 1);
                available.stream().filter(n -> n.startsWith(prefix)).sorted(MetricsQuery::naturalOrder).forEach(n -> out.put(n, true));
            } else {
                out.put(p, true);
            }
        }
        return new ArrayList<>(out.keySet());
    }

    /** cpu_core:2 before cpu_core:10. */
    static int naturalOrder(String a, String b) {
        int sa = a.indexOf(MetricCatalog.INSTANCE_SEPARATOR);
        int sb = b.indexOf(MetricCatalog.INSTANCE_SEPARATOR);
        if (sa > 0 && sb > 0 && a.regionMatches(0, b, 0, Math.max(sa, sb))) {
            String ia = a.substring(sa + 1);
            String ib = b.substring(sb + 1);
            if (!ia.isEmpty() && !ib.isEmpty() && ia.chars().allMatch(Character::isDigit) && ib.chars().allMatch(Character::isDigit)
                    && ia.length() < 10 && ib.length() < 10) {
                return Integer.compare(Integer.parseInt(ia), Integer.parseInt(ib));
            }
        }
        return a.compareTo(b);
    }

    /** Series names a host has data for (in the rollups), sorted. */
    public List<String> names(long hostId) {
        Set<String> names = new HashSet<>(rollups.series(hostId).keySet());
        long now = clock.millis();
        raw.read(hostId, now - 2 * RawTier.WINDOW_MS, now + 1).forEach(s -> names.addAll(List.of(s.names())));
        return names.stream().sorted(MetricsQuery::naturalOrder).toList();
    }
}
