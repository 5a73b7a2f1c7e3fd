package dev.servmon.hub.metrics;

import java.time.Duration;
import java.util.Locale;

/**
 * How long each tier keeps its data. Each tier must keep at least as long as the one below it
 * (raw ≤ 1 min ≤ 15 min ≤ 1 h), so that a bucket can always be rebuilt from the tier below
 * while that tier still has it. Cut-offs are whole hours.
 *
 * @param raw every sample
 * @param oneMinute 1-minute rollups
 * @param fifteenMinutes 15-minute rollups
 * @param oneHour 1-hour rollups
 */
public record Retention(Duration raw, Duration oneMinute, Duration fifteenMinutes, Duration oneHour) {
    /** raw 7 d, 1 min 30 d, 15 min 1 y, 1 h 5 y. */
    public static final Retention DEFAULT = new Retention(Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(365),
            Duration.ofDays(5 * 365));

    /** Throws IllegalArgumentException naming the option to change. */
    public Retention validate() {
        check("--retention-raw", raw);
        check("--retention-1m", oneMinute);
        check("--retention-15m", fifteenMinutes);
        check("--retention-1h", oneHour);
        order("--retention-raw", raw, "--retention-1m", oneMinute);
        order("--retention-1m", oneMinute, "--retention-15m", fifteenMinutes);
        order("--retention-15m", fifteenMinutes, "--retention-1h", oneHour);
        return this;
    }

    private static void check(String flag, Duration d) {
        if (d == null || d.compareTo(Duration.ofHours(2)) < 0 || d.compareTo(Duration.ofDays(100 * 365)) > 0) {
            throw new IllegalArgumentException("servmon: " + flag + " must be between 2h and 36500d, got " + format(d));
        }
    }

    private static void order(String lowerFlag, Duration lower, String upperFlag, Duration upper) {
        if (lower.compareTo(upper) > 0) {
            throw new IllegalArgumentException("servmon: " + upperFlag + " (" + format(upper) + ") must be at least " + lowerFlag
                    + " (" + format(lower) + "): coarser tiers are built from finer ones");
        }
    }

    /** The first hour still kept by a tier that keeps {@code keep}, at {@code nowMs}. */
    public static long cutoff(long nowMs, Duration keep) {
        return RawTier.windowOf(nowMs - keep.toMillis());
    }

    /** Cut-off of the raw tier at {@code nowMs}. */
    public long rawCutoff(long nowMs) {
        return cutoff(nowMs, raw);
    }

    /** Cut-off of a rollup tier at {@code nowMs}. */
    public long cutoff(long nowMs, Rollups.Tier tier) {
        return cutoff(nowMs, switch (tier) {
            case M1 -> oneMinute;
            case M15 -> fifteenMinutes;
            case H1 -> oneHour;
        });
    }

    /**
     * Parses {@code 7d}, {@code 36h}, {@code 90m} or an ISO-8601 duration ({@code P30D});
     * {@code option} names the flag in the error message.
     */
    public static Duration parse(String option, String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.length() >= 2) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                switch (t.charAt(t.length() - 1)) {
                    case 'd':
                        return Duration.ofDays(n);
                    case 'h':
                        return Duration.ofHours(n);
                    case 'm':
                        return Duration.ofMinutes(n);
                    default:
                        break;
                }
            }
        } catch (RuntimeException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("servmon: " + option + " must be a duration like 7d, 36h or 90m, got '" + text + "'");
    }

    static String format(Duration d) {
        if (d == null) {
            return "nothing";
        }
        return d.toHours() % 24 == 0 ? d.toDays() + "d" : d.toHours() + "h";
    }
}
