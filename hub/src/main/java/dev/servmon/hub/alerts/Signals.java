package dev.servmon.hub.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.storage.Database;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Where other features tell alerting about conditions it cannot measure itself: a health check
 * failing, a certificate expiring, a program that exited or that its supervisor gave up on.
 *
 * <p>A signal is raised until cleared. Raising is idempotent (raising again updates the detail
 * and values), may happen on any hub replica, and is stored, so the leader's engine — which turns
 * signals into alerts of the matching built-in rule — sees it wherever it was raised. The
 * engine is asked to look at once, so an alert does not wait for the next evaluation period.
 */
public final class Signals {
    /** Longest subject and detail kept. */
    public static final int MAX_SUBJECT_LENGTH = 200;
    public static final int MAX_DETAIL_LENGTH = 2_000;

    /** A raised signal as stored. */
    public record Signal(SignalKind kind, long hostId, String subject, String detail, String valuesJson, long raisedAtMs) {}

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final Clock clock;
    private final Runnable onChange;

    /**
     * @param onChange called after a signal was raised or cleared (asks the engine to evaluate now)
     */
    public Signals(Database db, ObjectMapper json, Clock clock, Runnable onChange) {
        this.jdbi = db.jdbi();
        this.json = json;
        this.clock = clock;
        this.onChange = onChange;
    }

    /**
     * Raises (or refreshes) a signal.
     *
     * @param hostId the host it concerns, or null when it concerns none (a check of an outside URL)
     * @param subject what it is about within the host: the check's or program's name; null means ''
     * @param detail one line for people ("exit code 137", "expires in 6 days")
     * @param values figures for notifications and the API (e.g. {@code exitCode}, {@code daysLeft}); may be null
     */
    public void raise(SignalKind kind, Long hostId, String subject, String detail, Map<String, Object> values) {
        String valuesJson;
        try {
            valuesJson = values == null || values.isEmpty() ? null : json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("signal values for " + kind.label() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        String s = subject(subject);
        String d = detail == null ? null : detail.length() > MAX_DETAIL_LENGTH ? detail.substring(0, MAX_DETAIL_LENGTH) : detail;
        long host = hostId == null ? 0 : hostId;
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO alert_signals (kind, host_id, subject, detail, values_json, raised_at_ms) "
                        + "VALUES (:kind, :host, :subject, :detail, :values, :now) ON CONFLICT (kind, host_id, subject) "
                        + "DO UPDATE SET detail = excluded.detail, values_json = excluded.values_json")
                .bind("kind", kind.label()).bind("host", host).bind("subject", s).bind("detail", d).bind("values", valuesJson)
                .bind("now", clock.millis()).execute());
        onChange.run();
    }

    /** Clears a signal; the alert it raised resolves at the engine's next look (asked for at once). */
    public void clear(SignalKind kind, Long hostId, String subject) {
        int n = jdbi.withHandle(h -> h.createUpdate("DELETE FROM alert_signals WHERE kind = :kind AND host_id = :host AND subject = :subject")
                .bind("kind", kind.label()).bind("host", hostId == null ? 0 : hostId).bind("subject", subject(subject)).execute());
        if (n > 0) {
            onChange.run();
        }
    }

    /** Every raised signal. */
    public List<Signal> active() {
        return jdbi.withHandle(h -> h.createQuery("SELECT kind, host_id, subject, detail, values_json, raised_at_ms FROM alert_signals")
                .map((rs, ctx) -> new Signal(SignalKind.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT)), rs.getLong(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6))).list());
    }

    private static String subject(String subject) {
        String s = subject == null ? "" : subject;
        if (s.length() > MAX_SUBJECT_LENGTH) {
            throw new IllegalArgumentException("signal subject is " + s.length() + " characters; at most " + MAX_SUBJECT_LENGTH);
        }
        return s;
    }
}
