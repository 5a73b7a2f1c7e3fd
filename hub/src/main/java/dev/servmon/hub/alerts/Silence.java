package dev.servmon.hub.alerts;

/**
 * A silence: alerts of {@code ruleId} (any rule when null) on {@code hostId} (any host when null)
 * notify nobody from {@code startsAtMs} until {@code endsAtMs}. They still show, marked silenced.
 */
public record Silence(long id, Long ruleId, Long hostId, long startsAtMs, long endsAtMs, String comment, String createdBy,
                      long createdAtMs) {

    public boolean matches(long alertRuleId, long alertHostId, long nowMs) {
        return nowMs >= startsAtMs && nowMs < endsAtMs
                && (ruleId == null || ruleId == alertRuleId)
                && (hostId == null || hostId == alertHostId);
    }

    public boolean activeAt(long nowMs) {
        return nowMs >= startsAtMs && nowMs < endsAtMs;
    }
}
