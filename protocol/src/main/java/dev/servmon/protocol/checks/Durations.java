package dev.servmon.protocol.checks;

/** Durations in check messages (hub and agent word them alike): {@code 45 s}, {@code 12 min}, {@code 26 h}, {@code 3 d}. */
public final class Durations {
    private Durations() {}

    public static String text(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 3 * 86_400) {
            return seconds / 3600 + " h";
        }
        return seconds / 86_400 + " d";
    }
}
