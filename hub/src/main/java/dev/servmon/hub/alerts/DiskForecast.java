package dev.servmon.hub.alerts;

import dev.servmon.hub.metrics.MetricsQuery;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Predicts when a host's filesystems fill up: a least-squares line through each filesystem's used
 * bytes over the last hours (from the metrics store, at whatever resolution it answers), extended
 * until it meets the filesystem's size.
 */
public final class DiskForecast {
    /** Fewest points a fit needs before it is trusted. */
    static final int MIN_POINTS = 6;

    /** The filesystem predicted to fill first and in how many hours (0: the trend says it is full already). */
    public record Prediction(String mount, double hoursUntilFull, double usedBytes, double totalBytes) {}

    private final MetricsQuery metrics;

    public DiskForecast(MetricsQuery metrics) {
        this.metrics = metrics;
    }

    /** The soonest-full filesystem of {@code hostId} by its trend over the {@code lookbackHours} before {@code nowMs}, or null. */
    public Prediction predict(long hostId, int lookbackHours, long nowMs) {
        long fromMs = nowMs - lookbackHours * 3_600_000L;
        MetricsQuery.Result r = metrics.query(hostId, List.of("fs_used:*", "fs_total:*"), fromMs, nowMs + 1, 0);
        Map<String, MetricsQuery.Series> totals = new HashMap<>();
        for (var s : r.series()) {
            if (s.name().startsWith("fs_total:")) {
                totals.put(s.name().substring("fs_total:".length()), s);
            }
        }
        Prediction soonest = null;
        for (var s : r.series()) {
            if (!s.name().startsWith("fs_used:")) {
                continue;
            }
            String mount = s.name().substring("fs_used:".length());
            Double total = last(totals.get(mount));
            if (total == null || total <= 0) {
                continue;
            }
            Prediction p = predict(mount, r.timestamps(), s.avg(), total, nowMs);
            if (p != null && (soonest == null || p.hoursUntilFull() < soonest.hoursUntilFull())) {
                soonest = p;
            }
        }
        return soonest;
    }

    /** Pure: the prediction for one filesystem's used bytes at {@code t} (nulls are gaps). */
    static Prediction predict(String mount, long[] t, Double[] used, double totalBytes, long nowMs) {
        long[] xs = new long[t.length];
        double[] ys = new double[t.length];
        int n = 0;
        Double lastUsed = null;
        for (int i = 0; i < t.length; i++) {
            if (used[i] != null) {
                xs[n] = t[i];
                ys[n] = used[i];
                n++;
                lastUsed = used[i];
            }
        }
        if (n < MIN_POINTS) {
            return null;
        }
        LinearFit fit = LinearFit.of(xs, ys, n);
        Double fullAt = fit == null ? null : fit.timeReaching(totalBytes);
        if (fullAt == null) {
            return null;
        }
        double hours = Math.max(0, (fullAt - nowMs) / 3_600_000.0);
        return new Prediction(mount, hours, lastUsed, totalBytes);
    }

    private static Double last(MetricsQuery.Series s) {
        if (s == null) {
            return null;
        }
        for (int i = s.avg().length - 1; i >= 0; i--) {
            if (s.avg()[i] != null) {
                return s.avg()[i];
            }
        }
        return null;
    }
}
