package dev.servmon.hub.alerts;

/**
 * An alert as the API shows it, with its rule's name and kind.
 *
 * @param hostId null when the alert is not about one host
 * @param suppressed why it does not notify right now ({@code maintenance}, {@code silenced},
 *     {@code held: <parent>}, {@code waiting for <parent>}, {@code acknowledged}), or null
 * @param notifiedState what the last notification said ({@code firing}/{@code resolved}), or null
 */
public record AlertView(long id, long ruleId, String ruleName, String ruleKind, String severity, String metric,
                        Long hostId, String hostName, String subject, String state, Double value, Double threshold,
                        String detail, long pendingAtMs, Long firingAtMs, Long resolvedAtMs, String suppressed,
                        String notifiedState, Long lastNotifiedAtMs, String ackedBy, String ackedComment, Long ackedAtMs,
                        long updatedAtMs) {

    /** Whether a maintenance window covers it now. */
    public boolean inMaintenance() {
        return "maintenance".equals(suppressed);
    }
}
