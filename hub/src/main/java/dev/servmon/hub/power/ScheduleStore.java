package dev.servmon.hub.power;

import dev.servmon.hub.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/** SQL for {@code power_schedules}. */
public final class ScheduleStore {
    private static final String COLUMNS = "id, scope_host_id, scope_tag, action, days, time_hhmm, time_zone, enabled, last_run_at_ms, "
            + "last_outcome, created_by, created_at_ms";

    private final Jdbi jdbi;

    public ScheduleStore(Database db) {
        this.jdbi = db.jdbi();
    }

    public List<PowerSchedule> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM power_schedules ORDER BY id")
                .map((rs, ctx) -> row(rs)).list());
    }

    public Optional<PowerSchedule> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM power_schedules WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> row(rs)).findOne());
    }

    /** Stores a new schedule (its id and outcome are ignored); returns it with its id. */
    public PowerSchedule insert(PowerSchedule s) {
        long id = jdbi.withHandle(h -> bind(h.createUpdate("INSERT INTO power_schedules (scope_host_id, scope_tag, action, days, "
                        + "time_hhmm, time_zone, enabled, last_run_at_ms, created_by, created_at_ms) VALUES (:host, :tag, :action, :days, "
                        + ":time, :zone, :enabled, :lastRun, :createdBy, :createdAt)"), s)
                .bind("createdBy", s.createdBy()).bind("createdAt", s.createdAtMs())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return find(id).orElseThrow();
    }

    /** Replaces what the schedule does and when (not who made it); false when it does not exist. */
    public boolean update(PowerSchedule s) {
        return jdbi.withHandle(h -> bind(h.createUpdate("UPDATE power_schedules SET scope_host_id = :host, scope_tag = :tag, "
                + "action = :action, days = :days, time_hhmm = :time, time_zone = :zone, enabled = :enabled, last_run_at_ms = :lastRun, "
                + "last_outcome = NULL WHERE id = :id"), s).bind("id", s.id()).execute()) > 0;
    }

    public boolean delete(long id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM power_schedules WHERE id = :id").bind("id", id).execute()) > 0;
    }

    /**
     * Claims occurrence {@code occurrenceMs} of a schedule: true for exactly one caller, however
     * many hubs evaluate the schedule, because the update only happens while the stored latest
     * occurrence is older.
     */
    public boolean claim(long id, long occurrenceMs) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE power_schedules SET last_run_at_ms = :at WHERE id = :id AND last_run_at_ms < :at")
                .bind("id", id).bind("at", occurrenceMs).execute()) == 1;
    }

    /** Notes what the claimed occurrence did. */
    public void outcome(long id, String outcome) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE power_schedules SET last_outcome = :o WHERE id = :id")
                .bind("id", id).bind("o", outcome.length() > 500 ? outcome.substring(0, 500) : outcome).execute());
    }

    private static <T extends SqlStatement<T>> T bind(T st, PowerSchedule s) {
        return st.bind("host", s.hostId()).bind("tag", s.tag()).bind("action", s.action())
                .bind("days", s.days().stream().sorted().map(d -> d.name().substring(0, 3)).collect(Collectors.joining(",")))
                .bind("time", s.time().toString()).bind("zone", s.zone().getId()).bind("enabled", s.enabled() ? 1 : 0)
                .bind("lastRun", s.lastRunAtMs());
    }

    private static PowerSchedule row(ResultSet rs) throws SQLException {
        long host = rs.getLong("scope_host_id");
        Long hostId = rs.wasNull() ? null : host;
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : rs.getString("days").split(",")) {
            days.add(dev.servmon.hub.alerts.MaintenanceWindows.day(d));
        }
        return new PowerSchedule(rs.getLong("id"), hostId, rs.getString("scope_tag"), rs.getString("action"), days,
                LocalTime.parse(rs.getString("time_hhmm")), ZoneId.of(rs.getString("time_zone")), rs.getInt("enabled") != 0,
                rs.getLong("last_run_at_ms"), rs.getString("last_outcome"), rs.getString("created_by"), rs.getLong("created_at_ms"));
    }
}
