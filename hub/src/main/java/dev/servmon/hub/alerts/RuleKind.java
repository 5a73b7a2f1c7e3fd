package dev.servmon.hub.alerts;

import java.util.Locale;

/**
 * What a rule watches. {@code METRIC} rules compare a host's latest value with a threshold;
 * {@code HOST_OFF} fires for hosts that stopped reporting; {@code DISK_FULL} for a filesystem whose
 * linear trend reaches full within the rule's horizon; the others fire while another feature has
 * raised the matching {@link SignalKind} through {@link Signals}.
 */
public enum RuleKind {
    METRIC, HOST_OFF, DISK_FULL, CHECK_FAILING, CERT_EXPIRING, PROGRAM_EXITED, PROGRAM_GAVE_UP;

    /** The stored and JSON form: {@code host_off}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RuleKind of(String label) {
        if (label != null) {
            for (RuleKind k : values()) {
                if (k.label().equals(label)) {
                    return k;
                }
            }
        }
        throw new IllegalArgumentException("unknown rule kind '" + label + "'; use one of metric, host_off, disk_full, "
                + "check_failing, cert_expiring, program_exited, program_gave_up");
    }

    /** The signal that drives this kind, or null for kinds the engine measures itself. */
    public SignalKind signal() {
        return switch (this) {
            case CHECK_FAILING -> SignalKind.CHECK_FAILING;
            case CERT_EXPIRING -> SignalKind.CERT_EXPIRING;
            case PROGRAM_EXITED -> SignalKind.PROGRAM_EXITED;
            case PROGRAM_GAVE_UP -> SignalKind.PROGRAM_GAVE_UP;
            default -> null;
        };
    }
}
