package dev.servmon.hub.alerts;

import java.util.Locale;

/** Durations as people write them in rules: {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or bare seconds. */
public final class Durations {
    private Durations() {}

    /** Longest duration accepted anywhere in alerting: 30 days. */
    public static final long MAX_MS = 30L * 24 * 3600 * 1000;

    public static long parseMs(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("a duration is empty; write e.g. 30s, 5m, 2h or 1d");
        }
        long unit = switch (s.charAt(s.length() - 1)) {
            case 's' -> 1_000L;
            case 'm' -> 60_000L;
            case 'h' -> 3_600_000L;
            case 'd' -> 86_400_000L;
            default -> 0;
        };
        String digits = unit == 0 ? s : s.substring(0, s.length() - 1);
        try {
            long n = Long.parseLong(digits);
            long ms = n * (unit == 0 ? 1_000L : unit);
            if (n >= 0 && n <= MAX_MS && ms <= MAX_MS) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration between 0s and 30d; write e.g. 30s, 5m, 2h or 1d");
    }

    /** The shortest exact form: {@code 90s}, {@code 5m}, {@code 2h}. */
    public static String format(long ms) {
        if (ms % 86_400_000L == 0 && ms > 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms > 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms > 0) {
            return ms / 60_000L + "m";
        }
        return ms / 1_000L + "s";
    }
}
