package dev.servmon.hub.alerts;

import java.util.Locale;

/** An alert's life: pending while the condition holds for less than the rule's duration, then firing, then resolved. */
public enum AlertState {
    PENDING, FIRING, RESOLVED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AlertState of(String label) {
        for (AlertState s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown alert state '" + label + "'; use pending, firing or resolved");
    }
}
