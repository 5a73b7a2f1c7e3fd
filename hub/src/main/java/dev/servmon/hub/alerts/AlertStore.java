package dev.servmon.hub.alerts;

import dev.servmon.hub.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL for {@code alerts}: the open episodes the engine works on, and the history the API reads. */
public final class AlertStore {
    private static final String COLUMNS = "a.id, a.rule_id, a.host_id, a.host_name, a.subject, a.state, a.value, a.threshold, a.detail, "
            + "a.pending_at_ms, a.firing_at_ms, a.resolved_at_ms, a.suppressed, a.notified_state, a.last_notified_at_ms, "
            + "a.acked_by, a.acked_comment, a.acked_at_ms, a.updated_at_ms";
    /** Most alerts in one answer. */
    public static final int MAX_LIMIT = 1_000;

    private final Jdbi jdbi;

    public AlertStore(Database db) {
        this.jdbi = db.jdbi();
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** Every pending and firing episode. */
    List<Episode> open() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM alerts a WHERE a.state <> 'resolved'")
                .map((rs, ctx) -> episode(rs)).list());
    }

    /** The pending and firing episodes of these hosts (not empty). */
    List<Episode> open(java.util.Collection<Long> hostIds) {
        List<Long> ids = dev.servmon.hub.storage.IdLists.padded(List.copyOf(hostIds));
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM alerts a WHERE a.state <> 'resolved' AND a.host_id IN (<ids>)")
                .bindList("ids", ids).map((rs, ctx) -> episode(rs)).list());
    }

    void insert(Handle h, Episode e) {
        e.id = h.createUpdate("INSERT INTO alerts (rule_id, host_id, host_name, subject, state, value, threshold, detail, pending_at_ms, "
                        + "firing_at_ms, resolved_at_ms, suppressed, notified_state, last_notified_at_ms, updated_at_ms) VALUES (:rule, :host, "
                        + ":hostName, :subject, :state, :value, :threshold, :detail, :pending, :firing, :resolved, :suppressed, :notified, "
                        + ":notifiedAt, :updated)")
                .bind("rule", e.ruleId).bind("host", e.hostId).bind("hostName", e.hostName).bind("subject", e.subject)
                .bind("state", e.state.label()).bind("value", e.value).bind("threshold", e.threshold).bind("detail", e.detail)
                .bind("pending", e.pendingAtMs).bind("firing", e.firingAtMs).bind("resolved", e.resolvedAtMs)
                .bind("suppressed", e.suppressed).bind("notified", e.notifiedState).bind("notifiedAt", e.lastNotifiedAtMs)
                .bind("updated", e.updatedAtMs)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** Writes what the engine may change; acknowledgements are the API's and are left alone. */
    void update(Handle h, Episode e) {
        h.createUpdate("UPDATE alerts SET host_name = :hostName, state = :state, value = :value, threshold = :threshold, detail = :detail, "
                        + "firing_at_ms = :firing, resolved_at_ms = :resolved, suppressed = :suppressed, notified_state = :notified, "
                        + "last_notified_at_ms = :notifiedAt, updated_at_ms = :updated WHERE id = :id")
                .bind("id", e.id).bind("hostName", e.hostName).bind("state", e.state.label()).bind("value", e.value)
                .bind("threshold", e.threshold).bind("detail", e.detail).bind("firing", e.firingAtMs).bind("resolved", e.resolvedAtMs)
                .bind("suppressed", e.suppressed).bind("notified", e.notifiedState).bind("notifiedAt", e.lastNotifiedAtMs)
                .bind("updated", e.updatedAtMs).execute();
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM alerts WHERE id = :id").bind("id", id).execute();
    }

    /** A filter on the history; null fields do not filter. */
    public record Filter(AlertState state, Long hostId, Long ruleId, Long fromMs, Long toMs, int limit) {}

    /** Alerts matching {@code f}, newest first. An episode is in [from, to) when it was open at some time in it. */
    public List<AlertView> query(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", r.name AS rule_name, r.kind AS rule_kind, r.severity, r.metric "
                + "FROM alerts a JOIN alert_rules r ON r.id = a.rule_id WHERE 1 = 1");
        if (f.state() != null) {
            sql.append(" AND a.state = :state");
        }
        if (f.hostId() != null) {
            sql.append(" AND a.host_id = :host");
        }
        if (f.ruleId() != null) {
            sql.append(" AND a.rule_id = :rule");
        }
        if (f.toMs() != null) {
            sql.append(" AND a.pending_at_ms < :to");
        }
        if (f.fromMs() != null) {
            sql.append(" AND (a.resolved_at_ms IS NULL OR a.resolved_at_ms >= :from)");
        }
        sql.append(" ORDER BY a.pending_at_ms DESC, a.id DESC LIMIT :limit");
        return jdbi.withHandle(h -> {
            var q = h.createQuery(sql.toString());
            if (f.state() != null) {
                q.bind("state", f.state().label());
            }
            if (f.hostId() != null) {
                q.bind("host", f.hostId());
            }
            if (f.ruleId() != null) {
                q.bind("rule", f.ruleId());
            }
            if (f.toMs() != null) {
                q.bind("to", f.toMs());
            }
            if (f.fromMs() != null) {
                q.bind("from", f.fromMs());
            }
            return q.bind("limit", f.limit()).map((rs, ctx) -> view(rs)).list();
        });
    }

    public Optional<AlertView> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", r.name AS rule_name, r.kind AS rule_kind, r.severity, r.metric "
                        + "FROM alerts a JOIN alert_rules r ON r.id = a.rule_id WHERE a.id = :id")
                .bind("id", id).map((rs, ctx) -> view(rs)).findOne());
    }

    /** Acknowledges an open alert; false when it does not exist or is resolved. */
    public boolean acknowledge(long id, String by, String comment, long nowMs) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE alerts SET acked_by = :by, acked_comment = :comment, acked_at_ms = :now, "
                        + "updated_at_ms = :now WHERE id = :id AND state <> 'resolved'")
                .bind("id", id).bind("by", by).bind("comment", comment).bind("now", nowMs).execute()) > 0;
    }

    /** Open alerts per state, and alerts resolved since {@code sinceMs}; plus how many firing ones notify nobody now. */
    public Map<String, Long> summary(long sinceMs) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("pending", 0L);
        counts.put("firing", 0L);
        counts.put("resolved", 0L);
        counts.put("inMaintenance", 0L);
        counts.put("acknowledged", 0L);
        jdbi.useHandle(h -> {
            h.createQuery("SELECT state, COUNT(*) FROM alerts WHERE state <> 'resolved' GROUP BY state")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> counts.put(e.getKey(), e.getValue()));
            counts.put("resolved", h.createQuery("SELECT COUNT(*) FROM alerts WHERE state = 'resolved' AND resolved_at_ms >= :since")
                    .bind("since", sinceMs).mapTo(Long.class).one());
            counts.put("inMaintenance", h.createQuery("SELECT COUNT(*) FROM alerts WHERE state = 'firing' AND suppressed = 'maintenance'")
                    .mapTo(Long.class).one());
            counts.put("acknowledged", h.createQuery("SELECT COUNT(*) FROM alerts WHERE state = 'firing' AND acked_at_ms IS NOT NULL")
                    .mapTo(Long.class).one());
        });
        return counts;
    }

    private static Episode episode(ResultSet rs) throws SQLException {
        Episode e = new Episode();
        e.id = rs.getLong("id");
        e.ruleId = rs.getLong("rule_id");
        e.hostId = rs.getLong("host_id");
        e.hostName = rs.getString("host_name");
        e.subject = rs.getString("subject");
        e.state = AlertState.of(rs.getString("state"));
        e.value = nullableDouble(rs, "value");
        e.threshold = nullableDouble(rs, "threshold");
        e.detail = rs.getString("detail");
        e.pendingAtMs = rs.getLong("pending_at_ms");
        e.firingAtMs = nullableLong(rs, "firing_at_ms");
        e.resolvedAtMs = nullableLong(rs, "resolved_at_ms");
        e.suppressed = rs.getString("suppressed");
        e.notifiedState = rs.getString("notified_state");
        e.lastNotifiedAtMs = nullableLong(rs, "last_notified_at_ms");
        e.ackedBy = rs.getString("acked_by");
        e.ackedComment = rs.getString("acked_comment");
        e.ackedAtMs = nullableLong(rs, "acked_at_ms");
        e.updatedAtMs = rs.getLong("updated_at_ms");
        return e;
    }

    private static AlertView view(ResultSet rs) throws SQLException {
        Episode e = episode(rs);
        RuleKind kind = RuleKind.of(rs.getString("rule_kind"));
        String metric = rs.getString("metric");
        return new AlertView(e.id, e.ruleId, rs.getString("rule_name"), kind.label(), rs.getString("severity"),
                metric != null ? metric : kind == RuleKind.HOST_OFF ? "secondsSinceLastReport" : kind == RuleKind.DISK_FULL ? "hoursUntilDiskFull" : kind.label(),
                e.hostId == 0 ? null : e.hostId, e.hostName, e.subject, e.state.label(), e.value, e.threshold, e.detail,
                e.pendingAtMs, e.firingAtMs, e.resolvedAtMs, e.suppressed, e.notifiedState, e.lastNotifiedAtMs, e.ackedBy,
                e.ackedComment, e.ackedAtMs, e.updatedAtMs);
    }

    static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
