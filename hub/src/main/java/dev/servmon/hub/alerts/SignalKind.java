package dev.servmon.hub.alerts;

import java.util.Locale;

/** Conditions other features report to alerting through {@link Signals}. */
public enum SignalKind {
    /** A health check fails (subject: the check). */
    CHECK_FAILING,
    /** A TLS certificate expires soon (subject: the check or endpoint). */
    CERT_EXPIRING,
    /** A supervised program exited when it should not have (subject: the program). */
    PROGRAM_EXITED,
    /** A supervised program stopped being restarted after too many failures (subject: the program). */
    PROGRAM_GAVE_UP;

    /** The stored form: {@code check_failing}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
