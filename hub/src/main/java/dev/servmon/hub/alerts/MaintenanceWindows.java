package dev.servmon.hub.alerts;

import dev.servmon.hub.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The maintenance windows: stored in {@code maintenance_windows}, asked by the alert engine (an
 * alert of a host in maintenance shows "in maintenance" and notifies nobody) and, through
 * {@link #isInMaintenance}, by any feature that should leave hosts alone meanwhile (power policy,
 * schedules).
 */
public final class MaintenanceWindows {
    private final Jdbi jdbi;
    private final HostGroups groups;

    public MaintenanceWindows(Database db, HostGroups groups) {
        this.jdbi = db.jdbi();
        this.groups = groups;
    }

    /** Whether a maintenance window covers host {@code hostId} at {@code at}. */
    public boolean isInMaintenance(long hostId, Instant at) {
        return snapshot().covers(hostId, at);
    }

    /** Every window, loaded once: for checking many hosts at one instant. */
    public Snapshot snapshot() {
        return new Snapshot(list(), groups);
    }

    /** The windows as loaded, with tags resolved on first use. */
    public static final class Snapshot {
        private final List<MaintenanceWindow> windows;
        private final HostGroups groups;
        private final Map<String, Set<Long>> tagged = new HashMap<>();

        Snapshot(List<MaintenanceWindow> windows, HostGroups groups) {
            this.windows = windows;
            this.groups = groups;
        }

        /** The same windows, with tags resolved afresh (host tags may have changed since). */
        public Snapshot again() {
            return new Snapshot(windows, groups);
        }

        public boolean covers(long hostId, Instant at) {
            for (MaintenanceWindow w : windows) {
                if (w.covers(at) && w.scope().covers(hostId, tagged.computeIfAbsent(w.scope().tag() == null ? "" : w.scope().tag(),
                        t -> t.isEmpty() ? Set.of() : groups.hostsTagged(t)))) {
                    return true;
                }
            }
            return false;
        }
    }

    public List<MaintenanceWindow> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM maintenance_windows ORDER BY id").map((rs, ctx) -> row(rs)).list());
    }

    public Optional<MaintenanceWindow> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM maintenance_windows WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> row(rs)).findOne());
    }

    public MaintenanceWindow insert(MaintenanceWindow w, long nowMs) {
        long id = jdbi.withHandle(h -> bind(h.createUpdate("INSERT INTO maintenance_windows (name, scope_kind, scope_hosts, scope_tag, "
                        + "starts_at_ms, ends_at_ms, days, start_time, duration_minutes, time_zone, created_by, created_at_ms) VALUES (:name, "
                        + ":scopeKind, :scopeHosts, :scopeTag, :starts, :ends, :days, :startTime, :duration, :zone, :by, :now)"), w)
                .bind("by", w.createdBy()).bind("now", nowMs)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return find(id).orElseThrow();
    }

    /** Replaces a window's settings; its author and creation time stay. False when it does not exist. */
    public boolean update(MaintenanceWindow w) {
        return jdbi.withHandle(h -> bind(h.createUpdate("UPDATE maintenance_windows SET name = :name, scope_kind = :scopeKind, "
                + "scope_hosts = :scopeHosts, scope_tag = :scopeTag, starts_at_ms = :starts, ends_at_ms = :ends, days = :days, "
                + "start_time = :startTime, duration_minutes = :duration, time_zone = :zone WHERE id = :id"), w)
                .bind("id", w.id()).execute()) > 0;
    }

    private static <T extends SqlStatement<T>> T bind(T s, MaintenanceWindow w) {
        return s.bind("name", w.name()).bind("scopeKind", w.scope().kind().name().toLowerCase(Locale.ROOT))
                .bind("scopeHosts", JsonLists.write(w.scope().hostIds())).bind("scopeTag", w.scope().tag())
                .bind("starts", w.startsAtMs()).bind("ends", w.endsAtMs())
                .bind("days", w.recurring() ? String.join(",", dayNames(w.days())) : null)
                .bind("startTime", w.startTime() == null ? null : w.startTime().toString())
                .bind("duration", w.durationMinutes()).bind("zone", w.zone() == null ? null : w.zone().getId());
    }

    public boolean delete(long id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM maintenance_windows WHERE id = :id").bind("id", id).execute()) > 0;
    }

    /** {@code MON}, {@code monday} or {@code Monday} as a day of the week. */
    public static DayOfWeek day(String text) {
        String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (t.length() >= 3 && d.name().startsWith(t)) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a day of the week; use MON, TUE, WED, THU, FRI, SAT or SUN");
    }

    private static MaintenanceWindow row(ResultSet rs) throws SQLException {
        Scope scope = new Scope(Scope.Kind.valueOf(rs.getString("scope_kind").toUpperCase(Locale.ROOT)),
                JsonLists.read(rs.getString("scope_hosts")), rs.getString("scope_tag"));
        String daysText = rs.getString("days");
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (daysText != null) {
            for (String d : daysText.split(",")) {
                days.add(day(d));
            }
        }
        String start = rs.getString("start_time");
        int duration = rs.getInt("duration_minutes");
        Integer durationMinutes = rs.wasNull() ? null : duration;
        String zone = rs.getString("time_zone");
        return new MaintenanceWindow(rs.getLong("id"), rs.getString("name"), scope, AlertStore.nullableLong(rs, "starts_at_ms"),
                AlertStore.nullableLong(rs, "ends_at_ms"), days, start == null ? null : LocalTime.parse(start), durationMinutes,
                zone == null ? null : ZoneId.of(zone), rs.getString("created_by"), rs.getLong("created_at_ms"));
    }

    static List<String> dayNames(Set<DayOfWeek> days) {
        List<String> out = new ArrayList<>();
        days.stream().sorted().forEach(d -> out.add(d.name().substring(0, 3)));
        return out;
    }
}
