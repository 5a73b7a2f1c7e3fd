package dev.servmon.hub.alerts.notify;

/**
 * One message to one target, as kept in the outbox and shown in the delivery log.
 *
 * @param status {@code pending} (waiting for its next attempt), {@code sent} or {@code failed} (gave up)
 * @param responseCode the HTTP status of the last attempt (250 for e-mail accepted), or null
 */
public record Delivery(long id, long notifierId, Long alertId, String event, String target, String payload, String status,
                       int attempts, long nextAttemptAtMs, String lastError, Integer responseCode, long createdAtMs,
                       Long finishedAtMs) {}
