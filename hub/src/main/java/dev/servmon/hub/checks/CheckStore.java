package dev.servmon.hub.checks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * SQL for checks, their results and the hosts shown on the status page, for both databases.
 * Uptime is counted in SQL over the covering index {@code (check_id, at_ms, up)}.
 */
public final class CheckStore {
    private static final String COLUMNS = "id, name, type, host_id, agent_host_id, interval_seconds, timeout_seconds, enabled, public, "
            + "settings, created_at_ms";
    private static final String RESULT_COLUMNS = "check_id, at_ms, up, response_ms, value, cert_days_left, method, message";
    /** Result rows one {@code /results} answer carries at most (newest first). */
    public static final int MAX_RESULTS = 5_000;

    private final Jdbi jdbi;
    private final ObjectMapper json;

    public CheckStore(Database db, ObjectMapper json) {
        this.jdbi = db.jdbi();
        this.json = json;
    }

    /** Up and total results since two cut-offs; {@link #percent} makes the uptime. */
    public record Uptime(long up24h, long total24h, long up30d, long total30d) {
        static final Uptime NONE = new Uptime(0, 0, 0, 0);

        public Double percent24h() {
            return percent(up24h, total24h);
        }

        public Double percent30d() {
            return percent(up30d, total30d);
        }

        /** 100 × up / total with two decimals, or null without results. */
        static Double percent(long up, long total) {
            return total == 0 ? null : Math.round(10_000.0 * up / total) / 100.0;
        }
    }

    /** One bucket of a time series: its start, average response time of its UP results, results and how many were up. */
    public record Bucket(long atMs, Double responseMs, long total, long up) {}

    public long insert(Check c) {
        try {
            return jdbi.withHandle(h -> bindCheck(h.createUpdate("INSERT INTO checks (name, type, host_id, agent_host_id, interval_seconds, "
                    + "timeout_seconds, enabled, public, settings, created_at_ms) VALUES (:name, :type, :host, :agent, :interval, :timeout, "
                    + ":enabled, :public, :settings, :created)"), c)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        } catch (UnableToExecuteStatementException e) {
            throw nameTaken(e, c.name());
        }
    }

    /** Replaces a check's fields (not its id or creation time); false when it does not exist. */
    public boolean update(Check c) {
        try {
            return jdbi.withHandle(h -> bindCheck(h.createUpdate("UPDATE checks SET name = :name, type = :type, host_id = :host, "
                    + "agent_host_id = :agent, interval_seconds = :interval, timeout_seconds = :timeout, enabled = :enabled, "
                    + "public = :public, settings = :settings WHERE id = :id"), c).bind("id", c.id()).execute()) > 0;
        } catch (UnableToExecuteStatementException e) {
            throw nameTaken(e, c.name());
        }
    }

    private <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindCheck(T st, Check c) {
        return st.bind("name", c.name()).bind("type", c.type().label()).bind("host", c.hostId()).bind("agent", c.agentHostId())
                .bind("interval", c.intervalSeconds()).bind("timeout", c.timeoutSeconds()).bind("enabled", c.enabled() ? 1 : 0)
                .bind("public", c.publicOnStatusPage() ? 1 : 0).bind("settings", write(c.settings())).bind("created", c.createdAtMs());
    }

    private static RuntimeException nameTaken(UnableToExecuteStatementException e, String name) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String msg = t.getMessage();
            if (msg != null && (msg.contains("UNIQUE constraint failed") || msg.contains("duplicate key"))) {
                return new ApiException(409, "a check named '" + name + "' already exists");
            }
        }
        return e;
    }

    public boolean delete(long id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM checks WHERE id = :id").bind("id", id).execute()) > 0;
    }

    public List<Check> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM checks ORDER BY name, id").map((rs, ctx) -> check(rs)).list());
    }

    public List<Check> listByHost(long hostId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM checks WHERE host_id = :host ORDER BY name, id")
                .bind("host", hostId).map((rs, ctx) -> check(rs)).list());
    }

    public List<Check> listPublic() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM checks WHERE public = 1 ORDER BY name, id")
                .map((rs, ctx) -> check(rs)).list());
    }

    public Optional<Check> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM checks WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> check(rs)).findOne());
    }

    public Optional<Check> findByName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM checks WHERE name = :name").bind("name", name)
                .map((rs, ctx) -> check(rs)).findOne());
    }

    public void insertResult(CheckResult r) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO check_results (" + RESULT_COLUMNS + ") VALUES (:check, :at, :up, :ms, :value, "
                        + ":cert, :method, :message)")
                .bind("check", r.checkId()).bind("at", r.atMs()).bind("up", r.up() ? 1 : 0).bind("ms", r.responseMs())
                .bind("value", r.value()).bind("cert", r.certDaysLeft()).bind("method", r.method()).bind("message", r.message())
                .execute());
    }

    /** The newest result of each of these checks that has one. */
    public Map<Long, CheckResult> latest(List<Long> checkIds) {
        Map<Long, CheckResult> out = new HashMap<>();
        if (checkIds.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> {
            for (long id : checkIds) {
                h.createQuery("SELECT " + RESULT_COLUMNS + " FROM check_results WHERE check_id = :id ORDER BY at_ms DESC, id DESC LIMIT 1")
                        .bind("id", id).map((rs, ctx) -> result(rs)).findOne().ifPresent(r -> out.put(id, r));
            }
        });
        return out;
    }

    /** When the check last received a push, or empty. */
    public Optional<Long> lastPushAtMs(long checkId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT at_ms FROM check_results WHERE check_id = :id AND method = 'push' "
                + "ORDER BY at_ms DESC LIMIT 1").bind("id", checkId).mapTo(Long.class).findOne());
    }

    /** Uptime over the last 24 h and 30 d at {@code nowMs}, of every check with results (one scan). */
    public Map<Long, Uptime> uptime(long nowMs) {
        return uptimeOf(nowMs, null);
    }

    public Uptime uptime(long checkId, long nowMs) {
        return uptimeOf(nowMs, checkId).getOrDefault(checkId, Uptime.NONE);
    }

    private Map<Long, Uptime> uptimeOf(long nowMs, Long onlyCheck) {
        long day = nowMs - 86_400_000L;
        long month = nowMs - 30 * 86_400_000L;
        String sql = "SELECT check_id, SUM(CASE WHEN at_ms >= :day THEN up ELSE 0 END), SUM(CASE WHEN at_ms >= :day THEN 1 ELSE 0 END), "
                + "SUM(up), COUNT(*) FROM check_results WHERE " + (onlyCheck == null ? "" : "check_id = :check AND ")
                + "at_ms >= :month AND at_ms <= :now GROUP BY check_id";
        return jdbi.withHandle(h -> {
            var q = h.createQuery(sql).bind("day", day).bind("month", month).bind("now", nowMs);
            if (onlyCheck != null) {
                q.bind("check", onlyCheck);
            }
            Map<Long, Uptime> out = new HashMap<>();
            q.map((rs, ctx) -> {
                out.put(rs.getLong(1), new Uptime(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                return null;
            }).list();
            return out;
        });
    }

    /** Results of a check in [from, to], newest first, at most {@code limit}. */
    public List<CheckResult> results(long checkId, long fromMs, long toMs, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RESULT_COLUMNS + " FROM check_results WHERE check_id = :id AND at_ms >= :from "
                        + "AND at_ms <= :to ORDER BY at_ms DESC, id DESC LIMIT :limit")
                .bind("id", checkId).bind("from", fromMs).bind("to", toMs).bind("limit", limit).map((rs, ctx) -> result(rs)).list());
    }

    /** Results of a check in [from, to] in buckets of {@code stepMs} from {@code fromMs}, oldest first; empty buckets left out. */
    public List<Bucket> buckets(long checkId, long fromMs, long toMs, long stepMs) {
        return jdbi.withHandle(h -> h.createQuery("SELECT (at_ms - :from) / :step AS b, AVG(CASE WHEN up = 1 THEN response_ms END), COUNT(*), SUM(up) FROM check_results "
                        + "WHERE check_id = :id AND at_ms >= :from AND at_ms <= :to GROUP BY b ORDER BY b")
                .bind("id", checkId).bind("from", fromMs).bind("to", toMs).bind("step", stepMs)
                .map((rs, ctx) -> {
                    double avg = rs.getDouble(2);
                    Double ms = rs.wasNull() ? null : Math.round(avg * 10) / 10.0;
                    return new Bucket(fromMs + rs.getLong(1) * stepMs, ms, rs.getLong(3), rs.getLong(4));
                }).list());
    }

    /** Deletes results older than {@code cutoffMs}; returns how many. */
    public int expire(long cutoffMs) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM check_results WHERE at_ms < :cutoff").bind("cutoff", cutoffMs).execute());
    }

    /** Shows or hides a host (name and ON/OFF) on the status page; false when there is no such host. */
    public boolean setPublicHost(long hostId, boolean shown) {
        return jdbi.inTransaction(h -> {
            boolean exists = h.createQuery("SELECT COUNT(*) FROM hosts WHERE id = :id").bind("id", hostId).mapTo(Long.class).one() > 0;
            if (!exists) {
                return false;
            }
            h.createUpdate("DELETE FROM status_page_hosts WHERE host_id = :id").bind("id", hostId).execute();
            if (shown) {
                h.createUpdate("INSERT INTO status_page_hosts (host_id) VALUES (:id)").bind("id", hostId).execute();
            }
            return true;
        });
    }

    public boolean isPublicHost(long hostId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM status_page_hosts WHERE host_id = :id").bind("id", hostId)
                .mapTo(Long.class).one() > 0);
    }

    public List<Long> publicHostIds() {
        return jdbi.withHandle(h -> h.createQuery("SELECT host_id FROM status_page_hosts ORDER BY host_id").mapTo(Long.class).list());
    }

    private Check check(ResultSet rs) throws SQLException {
        long host = rs.getLong("host_id");
        Long hostId = rs.wasNull() ? null : host;
        long agent = rs.getLong("agent_host_id");
        Long agentId = rs.wasNull() ? null : agent;
        return new Check(rs.getLong("id"), rs.getString("name"), CheckType.of(rs.getString("type")), hostId, agentId,
                rs.getInt("interval_seconds"), rs.getInt("timeout_seconds"), rs.getInt("enabled") != 0, rs.getInt("public") != 0,
                read(rs.getString("settings"), rs.getLong("id")), rs.getLong("created_at_ms"));
    }

    private static CheckResult result(ResultSet rs) throws SQLException {
        return new CheckResult(rs.getLong(1), rs.getLong(2), rs.getInt(3) != 0, nullableDouble(rs, 4), nullableDouble(rs, 5),
                nullableInt(rs, 6), rs.getString(7), rs.getString(8));
    }

    private static Double nullableDouble(ResultSet rs, int col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }

    private static Integer nullableInt(ResultSet rs, int col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }

    private String write(CheckSettings s) {
        try {
            return json.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("check settings cannot be written as JSON", e);
        }
    }

    private CheckSettings read(String text, long id) {
        try {
            return json.readValue(text, CheckSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored settings of check id=" + id + " are unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
