package dev.servmon.hub.audit;

import dev.servmon.hub.auth.Principal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: who did what to which target, when, from where, and how it ended. Writing a
 * record never fails the action it records: a failed write is logged and the request goes on
 * (the hub log then says what the table misses).
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    /** How long records are kept. */
    public static final Duration RETENTION = Duration.ofDays(365);
    public static final int MAX_PAGE_SIZE = 500;
    private static final int MAX_TEXT = 200;

    private final Jdbi jdbi;
    private final Clock clock;

    public AuditLog(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * One record.
     *
     * @param username who acted: the signed-in user, the token's user, the username tried at a
     *     failed sign-in, or {@code cli} / null (anonymous)
     * @param tokenId the API token used, if any
     * @param action what was done: {@code METHOD /route/{template}}
     * @param target what it was done to (path parameters such as {@code id=3}, or what the handler named)
     * @param outcome {@code ok} (below 400), {@code denied} (401, 403) or {@code failed}
     */
    public record Entry(long id, long atMs, Long userId, String username, Long tokenId, String action, String target, String ip,
                        int status, String outcome) {}

    /** What to show: every field optional (null). {@code action} and {@code target} match parts, case-insensitively. */
    public record Filter(String username, String action, String target, Long fromMs, Long toMs) {}

    /** A page of records, newest first, and how many match in all. */
    public record Page(List<Entry> entries, long total, int page, int size) {}

    /** The outcome word for an HTTP status. */
    public static String outcome(int status) {
        if (status < 400) {
            return "ok";
        }
        return status == 401 || status == 403 ? "denied" : "failed";
    }

    /** Records what {@code who} (null: anonymous) did; never throws. */
    public void record(Principal who, String action, String target, String ip, int status) {
        record(who == null ? null : who.user().id(), who == null ? null : who.user().username(), who == null ? null : who.tokenId(),
                action, target, ip, status);
    }

    /** Records an action by a named actor without a principal (a failed sign-in, the CLI); never throws. */
    public void record(Long userId, String username, Long tokenId, String action, String target, String ip, int status) {
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            INSERT INTO audit_log (at_ms, user_id, username, token_id, action, target, ip, status, outcome)
                            VALUES (:at, :user, :username, :token, :action, :target, :ip, :status, :outcome)""")
                    .bind("at", clock.millis()).bind("user", userId).bind("username", cut(username)).bind("token", tokenId)
                    .bind("action", cut(action)).bind("target", cut(target)).bind("ip", cut(ip)).bind("status", status)
                    .bind("outcome", outcome(status)).execute());
        } catch (RuntimeException e) {
            log.error("audit record lost (the action itself went on): user={} action={} target={} ip={} status={}",
                    username, action, target, ip, status, e);
        }
    }

    /** A page of the records matching {@code filter}, newest first. */
    public Page query(Filter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        Map<String, Object> binds = new LinkedHashMap<>();
        if (filter.username() != null) {
            where.append(" AND username = :username");
            binds.put("username", filter.username());
        }
        if (filter.action() != null) {
            where.append(" AND lower(action) LIKE :action ESCAPE '!'");
            binds.put("action", contains(filter.action()));
        }
        if (filter.target() != null) {
            where.append(" AND lower(target) LIKE :target ESCAPE '!'");
            binds.put("target", contains(filter.target()));
        }
        if (filter.fromMs() != null) {
            where.append(" AND at_ms >= :from");
            binds.put("from", filter.fromMs());
        }
        if (filter.toMs() != null) {
            where.append(" AND at_ms < :to");
            binds.put("to", filter.toMs());
        }
        return jdbi.withHandle(h -> {
            Query count = h.createQuery("SELECT count(*) FROM audit_log" + where);
            binds.forEach(count::bind);
            long total = count.mapTo(Long.class).one();
            Query rows = h.createQuery("SELECT * FROM audit_log" + where + " ORDER BY at_ms DESC, id DESC LIMIT :limit OFFSET :offset");
            binds.forEach(rows::bind);
            List<Entry> entries = new ArrayList<>(rows.bind("limit", size).bind("offset", (long) page * size)
                    .map((rs, ctx) -> entry(rs)).list());
            return new Page(entries, total, page, size);
        });
    }

    /** Removes records older than {@link #RETENTION}; returns how many. */
    public int purge() {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM audit_log WHERE at_ms < :before")
                .bind("before", clock.millis() - RETENTION.toMillis()).execute());
    }

    private static String contains(String part) {
        String escaped = part.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return "%" + escaped + "%";
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "…";
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong("id"), rs.getLong("at_ms"), nullable(rs, "user_id"), rs.getString("username"), nullable(rs, "token_id"),
                rs.getString("action"), rs.getString("target"), rs.getString("ip"), rs.getInt("status"), rs.getString("outcome"));
    }

    private static Long nullable(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
