package dev.servmon.hub.power;

import dev.servmon.hub.storage.Database;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * What schedules and idle policies did or did not do, and why ({@code power_decisions}): the
 * host page's "last decisions", and the acted shutdowns the energy report's saving counts.
 */
public final class Decisions {
    /** A decision's outcome. */
    public static final String ACTED = "acted";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";

    /**
     * One decision.
     *
     * @param source {@code schedule #3} or {@code idle policy}
     * @param action wake, shutdown or suspend
     * @param outcome acted, skipped or failed
     * @param commandId the command in the host's history, or null
     */
    public record Decision(long id, long hostId, String source, String action, String outcome, String reason, String commandId,
                           long atMs) {
        /** An acted shutdown or suspend: the host should be OFF afterwards. */
        public boolean turnedOff() {
            return outcome.equals(ACTED) && !action.equals("wake");
        }
    }

    private final Jdbi jdbi;

    public Decisions(Database db) {
        this.jdbi = db.jdbi();
    }

    public void add(long hostId, String source, String action, String outcome, String reason, String commandId, long atMs) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO power_decisions (host_id, source, action, outcome, reason, command_id, at_ms) "
                        + "VALUES (:host, :source, :action, :outcome, :reason, :command, :at)")
                .bind("host", hostId).bind("source", source).bind("action", action).bind("outcome", outcome)
                .bind("reason", reason.length() > 500 ? reason.substring(0, 500) : reason).bind("command", commandId).bind("at", atMs)
                .execute());
    }

    /** The host's latest decisions, newest first. */
    public List<Decision> latest(long hostId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM power_decisions WHERE host_id = :host ORDER BY at_ms DESC, id DESC LIMIT :n")
                .bind("host", hostId).bind("n", limit).map((rs, ctx) -> row(rs)).list());
    }

    /** The host's latest decision from {@code source}. */
    public Optional<Decision> latest(long hostId, String source) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM power_decisions WHERE host_id = :host AND source = :source "
                        + "ORDER BY at_ms DESC, id DESC LIMIT 1")
                .bind("host", hostId).bind("source", source).map((rs, ctx) -> row(rs)).findOne());
    }

    /** Acted shutdowns and suspends of the host in [fromMs, toMs), oldest first. */
    public List<Decision> turnedOff(long hostId, long fromMs, long toMs) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM power_decisions WHERE host_id = :host AND outcome = 'acted' "
                        + "AND action <> 'wake' AND at_ms >= :from AND at_ms < :to ORDER BY at_ms")
                .bind("host", hostId).bind("from", fromMs).bind("to", toMs).map((rs, ctx) -> row(rs)).list());
    }

    private static Decision row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Decision(rs.getLong("id"), rs.getLong("host_id"), rs.getString("source"), rs.getString("action"),
                rs.getString("outcome"), rs.getString("reason"), rs.getString("command_id"), rs.getLong("at_ms"));
    }
}
