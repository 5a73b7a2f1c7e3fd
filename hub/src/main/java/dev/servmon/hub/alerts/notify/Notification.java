package dev.servmon.hub.alerts.notify;

import java.util.List;

/**
 * What a notification says, before a channel formats it.
 *
 * @param event {@code firing}, {@code resolved} or {@code test}
 * @param alertId null for a test
 * @param hostId null when the alert is about no host
 * @param endsAtMs when it resolved; null while firing
 * @param link where to see it in the dashboard
 * @param summary one sentence for people
 * @param held hosts whose alerts this one holds (they depend on this host), by name
 */
public record Notification(String event, Long alertId, long ruleId, String ruleName, String ruleKind, String severity,
                           String state, Long hostId, String hostName, String subject, String metric, Double value,
                           Double threshold, long startsAtMs, Long endsAtMs, String link, String summary, List<String> held) {
    public Notification {
        held = held == null ? List.of() : List.copyOf(held);
    }
}
