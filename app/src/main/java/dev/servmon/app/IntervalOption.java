package dev.servmon.app;

import dev.servmon.hub.metrics.Retention;
import java.time.Duration;
import java.util.Locale;

/** An interval flag's value: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT5S}). */
final class IntervalOption {
    private IntervalOption() {}

    /** Throws IllegalArgumentException naming {@code option} when {@code text} is no duration. */
    static Duration parse(String option, String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s") && !t.startsWith("p")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Retention.parse(option, t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("servmon: " + option + " must be a duration like 500ms, 5s, 2m or 1h, got '" + text + "'", e);
        }
    }
}
