package dev.servmon.hub.power;

import dev.servmon.hub.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** SQL for {@code idle_policies}. */
public final class IdlePolicyStore {
    private final Jdbi jdbi;

    public IdlePolicyStore(Database db) {
        this.jdbi = db.jdbi();
    }

    public Optional<IdlePolicy> find(long hostId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM idle_policies WHERE host_id = :id").bind("id", hostId)
                .map((rs, ctx) -> row(rs)).findOne());
    }

    public List<IdlePolicy> enabled() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM idle_policies WHERE enabled = 1 ORDER BY host_id")
                .map((rs, ctx) -> row(rs)).list());
    }

    /** Stores the settings; the acting state (acted, seen OFF) is kept. */
    public void save(IdlePolicy p) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO idle_policies (host_id, enabled, cpu_below_percent, no_users_minutes, action, "
                        + "use_maintenance_windows, protected_from, protected_to, time_zone, updated_by, updated_at_ms) VALUES (:host, :enabled, "
                        + ":cpu, :minutes, :action, :mw, :from, :to, :zone, :by, :at) ON CONFLICT (host_id) DO UPDATE SET "
                        + "enabled = excluded.enabled, cpu_below_percent = excluded.cpu_below_percent, no_users_minutes = excluded.no_users_minutes, "
                        + "action = excluded.action, use_maintenance_windows = excluded.use_maintenance_windows, "
                        + "protected_from = excluded.protected_from, protected_to = excluded.protected_to, time_zone = excluded.time_zone, "
                        + "updated_by = excluded.updated_by, updated_at_ms = excluded.updated_at_ms")
                .bind("host", p.hostId()).bind("enabled", p.enabled() ? 1 : 0).bind("cpu", p.cpuBelowPercent())
                .bind("minutes", p.noUsersMinutes()).bind("action", p.action()).bind("mw", p.useMaintenanceWindows() ? 1 : 0)
                .bind("from", p.protectedFrom() == null ? null : p.protectedFrom().toString())
                .bind("to", p.protectedTo() == null ? null : p.protectedTo().toString())
                .bind("zone", p.zone() == null ? null : p.zone().getId()).bind("by", p.updatedBy()).bind("at", p.updatedAtMs())
                .execute());
    }

    /** The policy acted at {@code atMs}: it now waits for the host to go OFF and come back. */
    public void acted(long hostId, long atMs) {
        state(hostId, atMs, null);
    }

    /** After acting, the host was seen OFF. */
    public void offSeen(long hostId, Long actedAtMs, long atMs) {
        state(hostId, actedAtMs, atMs);
    }

    /** The host came back ON: the policy may act again. */
    public void rearm(long hostId) {
        state(hostId, null, null);
    }

    private void state(long hostId, Long actedAtMs, Long offSeenAtMs) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE idle_policies SET acted_at_ms = :acted, off_seen_at_ms = :off WHERE host_id = :host")
                .bind("host", hostId).bind("acted", actedAtMs).bind("off", offSeenAtMs).execute());
    }

    private static IdlePolicy row(ResultSet rs) throws SQLException {
        String from = rs.getString("protected_from");
        String to = rs.getString("protected_to");
        String zone = rs.getString("time_zone");
        long acted = rs.getLong("acted_at_ms");
        Long actedAt = rs.wasNull() ? null : acted;
        long off = rs.getLong("off_seen_at_ms");
        Long offAt = rs.wasNull() ? null : off;
        return new IdlePolicy(rs.getLong("host_id"), rs.getInt("enabled") != 0, rs.getDouble("cpu_below_percent"),
                rs.getInt("no_users_minutes"), rs.getString("action"), rs.getInt("use_maintenance_windows") != 0,
                from == null ? null : LocalTime.parse(from), to == null ? null : LocalTime.parse(to), zone == null ? null : ZoneId.of(zone),
                actedAt, offAt, rs.getString("updated_by"), rs.getLong("updated_at_ms"));
    }
}
