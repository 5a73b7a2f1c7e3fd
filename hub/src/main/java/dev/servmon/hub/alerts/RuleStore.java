package dev.servmon.hub.alerts;

import dev.servmon.hub.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * SQL for {@code alert_rules}. A deleted rule stays as a row marked {@code deleted_at_ms}, so its
 * alerts keep their history and the engine can still tell of their resolution; only
 * {@link #findAll} sees it.
 */
public final class RuleStore {
    private static final String COLUMNS = "id, name, kind, metric, op, threshold, recover_threshold, for_ms, horizon_hours, "
            + "scope_kind, scope_hosts, scope_tag, notifier_ids, repeat_minutes, severity, enabled, builtin, created_at_ms, updated_at_ms";

    private final Jdbi jdbi;

    public RuleStore(Database db) {
        this.jdbi = db.jdbi();
    }

    public List<AlertRule> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE deleted_at_ms IS NULL ORDER BY builtin DESC, id")
                .map((rs, ctx) -> row(rs)).list());
    }

    public List<AlertRule> enabled() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE enabled = 1 AND deleted_at_ms IS NULL ORDER BY id")
                .map((rs, ctx) -> row(rs)).list());
    }

    public Optional<AlertRule> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE id = :id AND deleted_at_ms IS NULL")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne());
    }

    /** These rules, deleted ones included (to tell of their alerts' end). */
    public List<AlertRule> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids)).map((rs, ctx) -> row(rs)).list());
    }

    /** The built-in rule of {@code kind}, if it was not deleted. */
    public Optional<AlertRule> builtin(RuleKind kind) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE builtin = 1 AND kind = :kind AND deleted_at_ms IS NULL ORDER BY id")
                .bind("kind", kind.label()).map((rs, ctx) -> row(rs)).findFirst());
    }

    public AlertRule insert(AlertRule r, long nowMs) {
        long id = jdbi.withHandle(h -> bind(h.createUpdate("INSERT INTO alert_rules (name, kind, metric, op, threshold, recover_threshold, "
                        + "for_ms, horizon_hours, scope_kind, scope_hosts, scope_tag, notifier_ids, repeat_minutes, severity, enabled, builtin, "
                        + "created_at_ms, updated_at_ms) VALUES (:name, :kind, :metric, :op, :threshold, :recover, :forMs, :horizon, :scopeKind, "
                        + ":scopeHosts, :scopeTag, :notifiers, :repeat, :severity, :enabled, 0, :now, :now)"), r)
                .bind("now", nowMs).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return find(id).orElseThrow();
    }

    /** Replaces a rule's settings (kind and built-in flag stay); false when it does not exist. */
    public boolean update(AlertRule r, long nowMs) {
        return jdbi.withHandle(h -> bind(h.createUpdate("UPDATE alert_rules SET name = :name, metric = :metric, op = :op, "
                        + "threshold = :threshold, recover_threshold = :recover, for_ms = :forMs, horizon_hours = :horizon, "
                        + "scope_kind = :scopeKind, scope_hosts = :scopeHosts, scope_tag = :scopeTag, notifier_ids = :notifiers, "
                        + "repeat_minutes = :repeat, severity = :severity, enabled = :enabled, updated_at_ms = :now WHERE id = :id "
                        + "AND deleted_at_ms IS NULL"), r)
                .bind("id", r.id()).bind("now", nowMs).execute()) > 0;
    }

    /** Marks a rule deleted (and disabled); false when it does not exist or was deleted before. */
    public boolean delete(long id, long nowMs) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE alert_rules SET deleted_at_ms = :now, enabled = 0, updated_at_ms = :now "
                + "WHERE id = :id AND deleted_at_ms IS NULL").bind("id", id).bind("now", nowMs).execute()) > 0;
    }

    private static <T extends SqlStatement<T>> T bind(T s, AlertRule r) {
        Condition c = r.condition();
        return s.bind("name", r.name()).bind("kind", r.kind().label())
                .bind("metric", c == null ? null : c.metric())
                .bind("op", c == null ? null : c.op().symbol())
                .bind("threshold", c == null ? null : c.threshold())
                .bind("recover", c == null ? null : c.recover())
                .bind("forMs", r.forMs()).bind("horizon", r.horizonHours())
                .bind("scopeKind", r.scope().kind().name().toLowerCase(Locale.ROOT))
                .bind("scopeHosts", JsonLists.write(r.scope().hostIds())).bind("scopeTag", r.scope().tag())
                .bind("notifiers", JsonLists.write(r.notifierIds())).bind("repeat", r.repeatMinutes())
                .bind("severity", r.severity()).bind("enabled", r.enabled() ? 1 : 0);
    }

    private static AlertRule row(ResultSet rs) throws SQLException {
        RuleKind kind = RuleKind.of(rs.getString("kind"));
        long forMs = rs.getLong("for_ms");
        Condition condition = null;
        if (kind == RuleKind.METRIC) {
            double recover = rs.getDouble("recover_threshold");
            Double recoverOrNull = rs.wasNull() ? null : recover;
            condition = new Condition(rs.getString("metric"), Condition.Op.of(rs.getString("op")), rs.getDouble("threshold"),
                    forMs, recoverOrNull);
        }
        int horizon = rs.getInt("horizon_hours");
        Integer horizonHours = rs.wasNull() ? null : horizon;
        Scope scope = new Scope(Scope.Kind.valueOf(rs.getString("scope_kind").toUpperCase(Locale.ROOT)),
                JsonLists.read(rs.getString("scope_hosts")), rs.getString("scope_tag"));
        return new AlertRule(rs.getLong("id"), rs.getString("name"), kind, condition, forMs, horizonHours, scope,
                JsonLists.read(rs.getString("notifier_ids")), rs.getInt("repeat_minutes"), rs.getString("severity"),
                rs.getInt("enabled") != 0, rs.getInt("builtin") != 0, rs.getLong("created_at_ms"), rs.getLong("updated_at_ms"));
    }
}
