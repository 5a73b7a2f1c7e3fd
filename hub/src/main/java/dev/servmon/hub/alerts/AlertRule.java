package dev.servmon.hub.alerts;

import java.util.List;

/**
 * A stored rule.
 *
 * @param condition for {@link RuleKind#METRIC} only, else null; its {@code forMs} is {@link #forMs}
 * @param forMs how long the condition must hold before the alert fires
 * @param horizonHours for {@link RuleKind#DISK_FULL}: fire when a filesystem is predicted full
 *     within this many hours (the trend is fitted over the same span of history)
 * @param repeatMinutes re-send a firing, unacknowledged alert this often; 0 never
 * @param builtin one of the rules every hub has; it may be edited or disabled, not deleted
 */
public record AlertRule(long id, String name, RuleKind kind, Condition condition, long forMs, Integer horizonHours,
                        Scope scope, List<Long> notifierIds, int repeatMinutes, String severity, boolean enabled,
                        boolean builtin, long createdAtMs, long updatedAtMs) {

    public AlertRule {
        notifierIds = List.copyOf(notifierIds);
    }

    /** The metric named in the alert: the condition's, or what the kind measures. */
    public String metric() {
        return switch (kind) {
            case METRIC -> condition.metric();
            case HOST_OFF -> "secondsSinceLastReport";
            case DISK_FULL -> "hoursUntilDiskFull";
            default -> kind.label();
        };
    }

    /** The threshold named in the alert, or null. */
    public Double threshold() {
        return switch (kind) {
            case METRIC -> condition.threshold();
            case DISK_FULL -> horizonHours == null ? null : horizonHours.doubleValue();
            default -> null;
        };
    }
}
