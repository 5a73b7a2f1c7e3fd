package dev.servmon.hub.alerts.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The notifications waiting to go out ({@code notification_deliveries}): written in the same
 * transaction as the alert change that caused them, so a notification is neither lost nor
 * repeated when the leader changes; sent by the {@link Dispatcher}; kept afterwards as the
 * delivery log.
 *
 * <p>A failed attempt is retried after 10 s, 30 s, 2 min, 10 min and 30 min; after the sixth
 * attempt the delivery is given up ({@code failed}).
 */
public final class Outbox {
    /** Waits before the retries, in order. */
    static final long[] BACKOFF_MS = {10_000, 30_000, 120_000, 600_000, 1_800_000};
    /** The first try and one per backoff step. */
    public static final int MAX_ATTEMPTS = BACKOFF_MS.length + 1;
    private static final int MAX_ERROR_LENGTH = 500;

    private final Jdbi jdbi;
    private final Formats formats;
    private final ObjectMapper json;

    public Outbox(Database db, ObjectMapper json) {
        this.jdbi = db.jdbi();
        this.json = json;
        this.formats = new Formats(json);
    }

    /** Queues {@code a} for every target of {@code n}; returns the new deliveries' ids. */
    public List<Long> enqueue(Handle h, Notifier n, Notification a, long nowMs) {
        String payload = payload(n, a);
        List<Long> ids = new ArrayList<>();
        for (String target : NotifierConfig.targets(n.type(), n.config())) {
            ids.add(h.createUpdate("INSERT INTO notification_deliveries (notifier_id, alert_id, event, target, payload, status, attempts, "
                            + "next_attempt_at_ms, created_at_ms) VALUES (:notifier, :alert, :event, :target, :payload, 'pending', 0, :now, :now)")
                    .bind("notifier", n.id()).bind("alert", a.alertId()).bind("event", a.event()).bind("target", target)
                    .bind("payload", payload).bind("now", nowMs)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        }
        return ids;
    }

    /** As {@link #enqueue(Handle, Notifier, Notification, long)} in a transaction of its own. */
    public List<Long> enqueue(Notifier n, Notification a, long nowMs) {
        return jdbi.inTransaction(h -> enqueue(h, n, a, nowMs));
    }

    private String payload(Notifier n, Notification a) {
        return switch (n.type()) {
            case WEBHOOK -> formats.webhook(n, a);
            case SLACK -> formats.slack(n, a);
            case DISCORD -> formats.discord(n, a);
            case ALERTMANAGER -> formats.alertmanager(n, a);
            case EMAIL -> {
                try {
                    yield json.writeValueAsString(formats.email(n, a));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("an e-mail could not be written", e);
                }
            }
        };
    }

    /** Pending deliveries due at {@code nowMs}, oldest first. */
    public List<Delivery> due(long nowMs, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM notification_deliveries WHERE status = 'pending' AND next_attempt_at_ms <= :now "
                + "ORDER BY next_attempt_at_ms, id LIMIT :limit").bind("now", nowMs).bind("limit", limit).map((rs, ctx) -> row(rs)).list());
    }

    /** When the next pending delivery is due, or null when none is pending. */
    public Long nextDueMs() {
        return jdbi.withHandle(h -> h.createQuery("SELECT MIN(next_attempt_at_ms) FROM notification_deliveries WHERE status = 'pending'")
                .mapTo(Long.class).findOne().orElse(null));
    }

    public List<Delivery> byIds(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM notification_deliveries WHERE id IN (<ids>) ORDER BY id")
                .bindList("ids", ids).map((rs, ctx) -> row(rs)).list());
    }

    /** The delivery log of a notifier, newest first. */
    public List<Delivery> forNotifier(long notifierId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM notification_deliveries WHERE notifier_id = :id ORDER BY id DESC LIMIT :limit")
                .bind("id", notifierId).bind("limit", limit).map((rs, ctx) -> row(rs)).list());
    }

    /** Records the outcome of an attempt; with {@code retry} false a failure is final. */
    public void record(Delivery d, Transport.Result result, long nowMs, boolean retry) {
        int attempts = d.attempts() + 1;
        String status;
        long next = d.nextAttemptAtMs();
        if (result.ok()) {
            status = "sent";
        } else if (retry && attempts < MAX_ATTEMPTS) {
            status = "pending";
            next = nowMs + BACKOFF_MS[attempts - 1];
        } else {
            status = "failed";
        }
        String error = result.error() == null ? null
                : result.error().length() > MAX_ERROR_LENGTH ? result.error().substring(0, MAX_ERROR_LENGTH) : result.error();
        String finalStatus = status;
        long nextAt = next;
        jdbi.useHandle(h -> h.createUpdate("UPDATE notification_deliveries SET status = :status, attempts = :attempts, next_attempt_at_ms = :next, "
                        + "last_error = :error, response_code = :code, finished_at_ms = :finished WHERE id = :id")
                .bind("id", d.id()).bind("status", finalStatus).bind("attempts", attempts).bind("next", nextAt).bind("error", error)
                .bind("code", result.code()).bind("finished", finalStatus.equals("pending") ? null : (Long) nowMs).execute());
    }

    private static Delivery row(ResultSet rs) throws SQLException {
        long alert = rs.getLong("alert_id");
        Long alertId = rs.wasNull() ? null : alert;
        int code = rs.getInt("response_code");
        Integer responseCode = rs.wasNull() ? null : code;
        long finished = rs.getLong("finished_at_ms");
        Long finishedAtMs = rs.wasNull() ? null : finished;
        return new Delivery(rs.getLong("id"), rs.getLong("notifier_id"), alertId, rs.getString("event"), rs.getString("target"),
                rs.getString("payload"), rs.getString("status"), rs.getInt("attempts"), rs.getLong("next_attempt_at_ms"),
                rs.getString("last_error"), responseCode, rs.getLong("created_at_ms"), finishedAtMs);
    }
}
