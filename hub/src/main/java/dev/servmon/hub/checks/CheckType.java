package dev.servmon.hub.checks;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a check looks at; the label is what the API and the database use. {@link #COMMAND} runs
 * only on an agent, {@link #DATABASE} and {@link #PUSH} only on the hub.
 */
public enum CheckType {
    HTTP, TCP, DNS, PING, DATABASE, DIRECTORY, PUSH, COMMAND;

    /** {@code http}, {@code tcp}, … */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type with this label, or {@link IllegalArgumentException} naming the choices. */
    public static CheckType of(String label) {
        if (label != null) {
            for (CheckType t : values()) {
                if (t.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("type must be one of " + choices() + ", got " + (label == null ? "nothing" : "'" + shorten(label) + "'"));
    }

    static String choices() {
        return Arrays.stream(values()).map(CheckType::label).collect(Collectors.joining(", "));
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
