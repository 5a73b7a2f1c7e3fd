package dev.servmon.hub.programs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.storage.Database;
import dev.servmon.protocol.ProgramSpec;
import dev.servmon.protocol.Sample;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The programs tables: definitions per host, the latest reported status, and events. */
public final class ProgramStore {
    /** Longest message or name stored from a sample; agents send one line, this cuts a broken one. */
    static final int MAX_TEXT = 1_000;
    private static final String DEF_COLUMNS = "id, host_id, name, spec, created_at_ms, updated_at_ms";
    private static final String STATUS_COLUMNS =
            "name, kind, state, pid, exit_code, restarts, started_at_ms, cpu_percent, rss_bytes, message, at_ms";

    private final Jdbi jdbi;
    private final ObjectMapper json;

    public ProgramStore(Database db, ObjectMapper json) {
        this.jdbi = db.jdbi();
        this.json = json;
    }

    /** A program as defined on the hub. */
    public record Definition(long id, long hostId, String name, ProgramSpec spec, long createdAtMs, long updatedAtMs) {}

    /** The latest status the agent reported for a program or watched unit. */
    public record Status(String name, String kind, String state, Long pid, Integer exitCode, int restarts, Long startedAtMs,
                         Double cpuPercent, Long rssBytes, String message, long atMs) {}

    /** Something that happened to a program, as stored. */
    public record Event(long id, long hostId, String program, String kind, long atMs, Integer exitCode, String message) {}

    public List<Definition> list(long hostId) {
        return jdbi.withHandle(h -> list(h, hostId));
    }

    private List<Definition> list(Handle h, long hostId) {
        return h.createQuery("SELECT " + DEF_COLUMNS + " FROM programs WHERE host_id = :host ORDER BY name")
                .bind("host", hostId).map((rs, ctx) -> definition(rs)).list();
    }

    public Optional<Definition> find(long hostId, long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + DEF_COLUMNS + " FROM programs WHERE host_id = :host AND id = :id")
                .bind("host", hostId).bind("id", id).map((rs, ctx) -> definition(rs)).findOne());
    }

    /** Inserts a definition; empty when the host already has a program of that name. */
    public Optional<Definition> insert(long hostId, ProgramSpec spec, long nowMs) {
        try {
            long id = jdbi.inTransaction(h -> {
                long created = h.createUpdate("""
                                INSERT INTO programs (host_id, name, spec, created_at_ms, updated_at_ms)
                                VALUES (:host, :name, :spec, :now, :now)""")
                        .bind("host", hostId).bind("name", spec.name()).bind("spec", write(spec)).bind("now", nowMs)
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
                bump(h, hostId, nowMs);
                return created;
            });
            return Optional.of(new Definition(id, hostId, spec.name(), spec, nowMs, nowMs));
        } catch (UnableToExecuteStatementException e) {
            if (list(hostId).stream().anyMatch(d -> d.name().equals(spec.name()))) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Replaces a definition's spec (same name); false when there is no such program. */
    public boolean update(long hostId, long id, ProgramSpec spec, long nowMs) {
        return jdbi.inTransaction(h -> {
            boolean updated = h.createUpdate("UPDATE programs SET spec = :spec, updated_at_ms = :now WHERE host_id = :host AND id = :id")
                    .bind("spec", write(spec)).bind("now", nowMs).bind("host", hostId).bind("id", id).execute() > 0;
            if (updated) {
                bump(h, hostId, nowMs);
            }
            return updated;
        });
    }

    /** Deletes a definition and its status (its events stay, as history); false when there is no such program. */
    public boolean delete(long hostId, Definition d, long nowMs) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM program_status WHERE host_id = :host AND name = :name").bind("host", hostId).bind("name", d.name()).execute();
            boolean deleted = h.createUpdate("DELETE FROM programs WHERE host_id = :host AND id = :id")
                    .bind("host", hostId).bind("id", d.id()).execute() > 0;
            if (deleted) {
                bump(h, hostId, nowMs);
            }
            return deleted;
        });
    }

    /** A host's desired set as the agent gets it: the revision, and the definitions by name. */
    public record Desired(long revision, List<Definition> programs) {}

    /**
     * The host's revision (0 when no program was ever defined), and then its definitions. In
     * this order, a change committed in between makes the set newer than its revision, never
     * older: the agent then reports an old revision and gets the set again, harmlessly.
     */
    public Desired desired(long hostId) {
        return jdbi.inTransaction(h -> new Desired(revision(h, hostId), list(h, hostId)));
    }

    /** The host's revision of its desired set; 0 when no program was ever defined. */
    public long revision(long hostId) {
        return jdbi.withHandle(h -> revision(h, hostId));
    }

    private static long revision(Handle h, long hostId) {
        return h.createQuery("SELECT revision FROM program_revisions WHERE host_id = :host").bind("host", hostId)
                .mapTo(Long.class).findOne().orElse(0L);
    }

    /**
     * Raises the host's revision, in the transaction of the change: to the larger of one more and
     * {@code nowMs}, so it grows even when clocks step back, and a hub restored from a backup
     * (whose revisions went back) gives later changes numbers its agents have not seen.
     */
    private static void bump(Handle h, long hostId, long nowMs) {
        h.createUpdate("""
                        INSERT INTO program_revisions (host_id, revision) VALUES (:host, :now)
                        ON CONFLICT (host_id) DO UPDATE SET revision = CASE WHEN program_revisions.revision + 1 > :now
                            THEN program_revisions.revision + 1 ELSE :now END""")
                .bind("host", hostId).bind("now", nowMs).execute();
    }

    /** The latest status of every program and unit of a host, by name. */
    public Map<String, Status> statuses(long hostId) {
        Map<String, Status> out = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT " + STATUS_COLUMNS + " FROM program_status WHERE host_id = :host ORDER BY name")
                .bind("host", hostId).map((rs, ctx) -> status(rs)).forEach(s -> out.put(s.name(), s)));
        return out;
    }

    /** A program's events, newest first, at most {@code limit}, before event id {@code beforeId} when given. */
    public List<Event> events(long hostId, String program, Long beforeId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, host_id, program, kind, at_ms, exit_code, message FROM program_events
                        WHERE host_id = :host AND program = :program AND id < :before
                        ORDER BY at_ms DESC, id DESC LIMIT :limit""")
                .bind("host", hostId).bind("program", program).bind("before", beforeId == null ? Long.MAX_VALUE : beforeId)
                .bind("limit", limit)
                .map((rs, ctx) -> new Event(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getObject(6) == null ? null : rs.getInt(6), rs.getString(7)))
                .list());
    }

    /** Deletes events older than {@code beforeMs}; returns how many. */
    public int purgeEvents(long beforeMs) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM program_events WHERE at_ms < :before").bind("before", beforeMs).execute());
    }

    /**
     * Stores a batch's program data in the batch's transaction: each sample's events (a replayed
     * sample's are ignored) and the status of the newest sample that has programs (unless a newer
     * one is stored).
     *
     * @return the events that were new, and the statuses written
     */
    Written write(Handle h, long hostId, List<Sample> samples) {
        List<Event> fresh = new ArrayList<>();
        Sample newest = null;
        for (Sample s : samples) {
            List<Sample.ProgramEvent> evs = s.programEvents();
            for (int i = 0; i < evs.size(); i++) {
                Sample.ProgramEvent e = evs.get(i);
                if (e == null || e.program() == null || e.kind() == null) {
                    continue;
                }
                String program = cut(e.program());
                String kind = cut(e.kind());
                String message = cut(e.message());
                Optional<Long> id = h.createQuery("""
                                INSERT INTO program_events (host_id, program, kind, at_ms, exit_code, message, sample_seq, idx)
                                VALUES (:host, :program, :kind, :at, :exit, :message, :seq, :idx)
                                ON CONFLICT (host_id, sample_seq, idx) DO NOTHING RETURNING id""")
                        .bind("host", hostId).bind("program", program).bind("kind", kind).bind("at", e.atMs())
                        .bind("exit", e.exitCode()).bind("message", message).bind("seq", s.seq()).bind("idx", i)
                        .mapTo(Long.class).findOne();
                id.ifPresent(n -> fresh.add(new Event(n, hostId, program, kind, e.atMs(), e.exitCode(), message)));
            }
            if (!s.programs().isEmpty() && (newest == null || s.atMs() >= newest.atMs())) {
                newest = s;
            }
        }
        List<Status> written = new ArrayList<>();
        if (newest != null) {
            for (Sample.Program p : newest.programs()) {
                if (p == null || p.name() == null || p.state() == null) {
                    continue;
                }
                Status st = new Status(cut(p.name()), cut(p.kind() == null ? "program" : p.kind()), cut(p.state()), p.pid(), p.exitCode(),
                        p.restarts(), p.startedAtMs(), finite(p.cpuPercent()), p.rssBytes(), cut(p.message()), newest.atMs());
                int n = h.createUpdate("""
                                INSERT INTO program_status (host_id, name, kind, state, pid, exit_code, restarts, started_at_ms,
                                    cpu_percent, rss_bytes, message, at_ms)
                                VALUES (:host, :name, :kind, :state, :pid, :exit, :restarts, :started, :cpu, :rss, :message, :at)
                                ON CONFLICT (host_id, name) DO UPDATE SET kind = excluded.kind, state = excluded.state,
                                    pid = excluded.pid, exit_code = excluded.exit_code, restarts = excluded.restarts,
                                    started_at_ms = excluded.started_at_ms, cpu_percent = excluded.cpu_percent,
                                    rss_bytes = excluded.rss_bytes, message = excluded.message, at_ms = excluded.at_ms
                                WHERE program_status.at_ms <= excluded.at_ms""")
                        .bind("host", hostId).bind("name", st.name()).bind("kind", st.kind()).bind("state", st.state())
                        .bind("pid", st.pid()).bind("exit", st.exitCode()).bind("restarts", st.restarts())
                        .bind("started", st.startedAtMs()).bind("cpu", st.cpuPercent()).bind("rss", st.rssBytes())
                        .bind("message", st.message()).bind("at", st.atMs())
                        .execute();
                if (n > 0) {
                    written.add(st);
                }
            }
        }
        return new Written(fresh, written);
    }

    /** What {@link #write} stored. */
    record Written(List<Event> events, List<Status> statuses) {}

    private Definition definition(ResultSet rs) throws SQLException {
        try {
            return new Definition(rs.getLong(1), rs.getLong(2), rs.getString(3), json.readValue(rs.getString(4), ProgramSpec.class),
                    rs.getLong(5), rs.getLong(6));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("program " + rs.getLong(1) + " has an unreadable spec in the database", e);
        }
    }

    private static Status status(ResultSet rs) throws SQLException {
        return new Status(rs.getString(1), rs.getString(2), rs.getString(3), nullableLong(rs, 4),
                rs.getObject(5) == null ? null : rs.getInt(5), rs.getInt(6), nullableLong(rs, 7),
                rs.getObject(8) == null ? null : rs.getDouble(8), nullableLong(rs, 9), rs.getString(10), rs.getLong(11));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    String write(ProgramSpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("program spec " + spec.name() + " cannot be serialised", e);
        }
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }

    private static Double finite(Double d) {
        return d == null || !Double.isFinite(d) ? null : d;
    }
}
