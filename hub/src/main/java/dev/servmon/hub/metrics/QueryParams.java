package dev.servmon.hub.metrics;

import dev.servmon.hub.api.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Parses the query string of the metrics and history endpoints (pure; every mistake is a 400 that says what to send). */
public final class QueryParams {
    /** Most name patterns in one request. */
    public static final int MAX_NAMES = 64;
    private static final long MAX_RANGE_MS = Duration.ofDays(20 * 366).toMillis();

    private QueryParams() {}

    /** A time range [fromMs, toMs). */
    public record Range(long fromMs, long toMs) {}

    /**
     * {@code from} and {@code to}: epoch milliseconds, an ISO-8601 instant
     * ({@code 2026-11-24T10:00:00Z}) or a time before now ({@code -24h}, {@code -30d}); {@code to}
     * defaults to now and {@code from} to {@code defaultRange} before {@code to}.
     */
    public static Range range(String from, String to, long nowMs, Duration defaultRange) {
        long toMs = blank(to) ? nowMs : time("to", to, nowMs);
        long fromMs = blank(from) ? toMs - defaultRange.toMillis() : time("from", from, nowMs);
        if (fromMs >= toMs) {
            throw ApiException.badRequest("from must be before to, got from=" + fromMs + " to=" + toMs);
        }
        if (toMs - fromMs > MAX_RANGE_MS) {
            throw ApiException.badRequest("the range from..to must be at most 20 years");
        }
        return new Range(fromMs, toMs);
    }

    /** One time parameter: epoch ms, ISO-8601 instant or a time before now ({@code -24h}); 400 otherwise. */
    public static long time(String param, String raw, long nowMs) {
        String v = raw.strip();
        try {
            if (v.startsWith("-")) {
                return nowMs - Retention.parse(param, v.substring(1)).toMillis();
            }
            if (v.chars().allMatch(Character::isDigit) && !v.isEmpty() && v.length() <= 15) {
                return Long.parseLong(v);
            }
            return Instant.parse(v).toEpochMilli();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ApiException.badRequest(param + " must be epoch milliseconds, an ISO-8601 instant like 2026-11-24T10:00:00Z "
                    + "or a time before now like -24h, got '" + shorten(v) + "'");
        }
    }

    /** {@code step}: seconds ({@code 60}) or a duration ({@code 30s}, {@code 5m}, {@code 1h}); blank: automatic (0). */
    public static long stepMs(String raw) {
        if (blank(raw)) {
            return 0;
        }
        String v = raw.strip();
        long ms;
        try {
            if (v.chars().allMatch(Character::isDigit) && v.length() <= 9) {
                ms = Long.parseLong(v) * 1000;
            } else if (v.endsWith("s") && v.length() <= 10 && v.substring(0, v.length() - 1).chars().allMatch(Character::isDigit)) {
                ms = Long.parseLong(v.substring(0, v.length() - 1)) * 1000;
            } else {
                ms = Retention.parse("step", v).toMillis();
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("step must be seconds (60) or a duration (30s, 5m, 1h), got '" + shorten(v) + "'");
        }
        if (ms < 1000 || ms > Duration.ofDays(366).toMillis()) {
            throw ApiException.badRequest("step must be between 1s and 366d, got '" + shorten(v) + "'");
        }
        return ms;
    }

    /**
     * {@code names}: comma-separated series names or {@code metric:*} patterns, the parameter may
     * repeat; each must name a metric of {@link MetricCatalog}.
     */
    public static List<String> names(List<String> raw, boolean required) {
        List<String> out = new ArrayList<>();
        for (String param : raw) {
            for (String part : param.split(",")) {
                String n = part.strip();
                if (n.isEmpty()) {
                    continue;
                }
                if (n.length() > 2 + 200 || MetricCatalog.of(n) == null) {
                    throw ApiException.badRequest("unknown metric '" + shorten(n) + "'; names are metric names from GET /api/v1/metrics, "
                            + "optionally with :instance (fs_used:/data) or :* for every instance (net_rx:*)");
                }
                if (!out.contains(n)) {
                    out.add(n);
                }
            }
        }
        if (required && out.isEmpty()) {
            throw ApiException.badRequest("names is required, e.g. names=cpu,mem_used,net_rx:*");
        }
        if (out.size() > MAX_NAMES) {
            throw ApiException.badRequest("names lists " + out.size() + " series; ask for at most " + MAX_NAMES);
        }
        return out;
    }

    /** A non-negative integer parameter with a default and an upper bound. */
    public static int integer(String param, String raw, int defaultValue, int min, int max) {
        if (blank(raw)) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the 400 below
        }
        throw ApiException.badRequest(param + " must be an integer between " + min + " and " + max + ", got '" + shorten(raw) + "'");
    }

    /** {@code sort}: {@code desc} (newest first, the default) or {@code asc}; {@code -atMs} and {@code atMs} mean the same. */
    public static boolean ascending(String raw) {
        if (blank(raw)) {
            return false;
        }
        return switch (raw.strip()) {
            case "asc", "atMs" -> true;
            case "desc", "-atMs" -> false;
            default -> throw ApiException.badRequest("sort must be asc or desc, got '" + shorten(raw) + "'");
        };
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
