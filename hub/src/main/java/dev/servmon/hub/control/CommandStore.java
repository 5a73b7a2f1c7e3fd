package dev.servmon.hub.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * SQL for the command history ({@code commands}) and for which replica holds which agent
 * ({@code agent_links}), for both databases. Every state change is a guarded
 * {@code UPDATE … WHERE state IN (…)}, so replicas racing for the same command (two sweepers,
 * a late result and an expiry) change it once.
 */
public final class CommandStore {
    private static final String COLUMNS = "id, host_id, type, args, state, requested_by, created_at_ms, sent_at_ms, acked_at_ms, "
            + "finished_at_ms, expires_at_ms, message, data";
    /** Commands handed out per delivery; more wait for the next. */
    private static final int MAX_DELIVER = 100;

    private final Jdbi jdbi;
    private final ObjectMapper json;

    public CommandStore(Database db, ObjectMapper json) {
        this.jdbi = db.jdbi();
        this.json = json;
    }

    /** Stores a new command. */
    public void insert(Command c) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO commands (" + COLUMNS + ") VALUES (:id, :host, :type, :args, :state, :by, "
                        + ":created, :sent, :acked, :finished, :expires, :message, :data)")
                .bind("id", c.id()).bind("host", c.hostId()).bind("type", c.type()).bind("args", text(c.args()))
                .bind("state", c.state().name()).bind("by", c.requestedBy()).bind("created", c.createdAtMs())
                .bind("sent", c.sentAtMs()).bind("acked", c.ackedAtMs()).bind("finished", c.finishedAtMs())
                .bind("expires", c.expiresAtMs()).bind("message", c.message()).bind("data", text(c.data()))
                .execute());
    }

    public Optional<Command> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM commands WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne());
    }

    /** Commands with these ids, in no particular order. */
    public List<Command> findAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM commands WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids)).map((rs, ctx) -> row(rs)).list());
    }

    /** Removes a command; false when there was none. */
    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM commands WHERE id = :id").bind("id", id).execute()) > 0;
    }

    /** A host's commands, newest first, created before {@code beforeMs}. */
    public List<Command> history(long hostId, long beforeMs, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM commands WHERE host_id = :host AND created_at_ms < :before "
                        + "ORDER BY created_at_ms DESC, id DESC LIMIT :limit")
                .bind("host", hostId).bind("before", beforeMs).bind("limit", limit).map((rs, ctx) -> row(rs)).list());
    }

    /**
     * Marks the host's queued, unexpired commands SENT and returns them, oldest first. A command
     * another replica claimed meanwhile is not returned.
     */
    public List<Command> claimQueued(long hostId, long nowMs) {
        // One statement, writing first: on SQLite a transaction that reads before it writes fails
        // when another connection wrote in between.
        List<Command> claimed = new ArrayList<>(jdbi.withHandle(h -> h.createQuery("UPDATE commands SET state = 'SENT', sent_at_ms = :now "
                        + "WHERE id IN (SELECT id FROM commands WHERE state = 'QUEUED' AND host_id = :host AND expires_at_ms > :now "
                        + "ORDER BY created_at_ms, id LIMIT " + MAX_DELIVER + ") AND state = 'QUEUED' RETURNING " + COLUMNS)
                .bind("host", hostId).bind("now", nowMs).map((rs, ctx) -> row(rs)).list()));
        claimed.sort(Comparator.comparingLong(Command::createdAtMs).thenComparing(Command::id));
        return claimed;
    }

    /** Puts a command that could not be handed over back in the queue. */
    public void requeue(String id) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE commands SET state = 'QUEUED', sent_at_ms = NULL WHERE id = :id AND state = 'SENT'")
                .bind("id", id).execute());
    }

    /** The agent of {@code hostId} received command {@code id}; false when it is not that host's, or already further. */
    public boolean ack(long hostId, String id, long nowMs) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE commands SET state = 'ACKED', acked_at_ms = :now "
                        + "WHERE id = :id AND host_id = :host AND state IN ('QUEUED', 'SENT')")
                .bind("now", nowMs).bind("id", id).bind("host", hostId).execute()) == 1;
    }

    /**
     * The agent of {@code hostId} reports the outcome of command {@code id}; false when it is not
     * that host's command or already finished (a late result after a time-out).
     */
    public boolean finish(long hostId, String id, boolean ok, String message, JsonNode data, long nowMs) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE commands SET state = :state, finished_at_ms = :now, "
                        + "acked_at_ms = coalesce(acked_at_ms, :now), sent_at_ms = coalesce(sent_at_ms, :now), message = :message, data = :data "
                        + "WHERE id = :id AND host_id = :host AND state IN ('QUEUED', 'SENT', 'ACKED')")
                .bind("state", ok ? "SUCCEEDED" : "FAILED").bind("now", nowMs).bind("message", message).bind("data", text(data))
                .bind("id", id).bind("host", hostId).execute()) == 1;
    }

    /**
     * Moves a command from one of {@code from} to {@code to} with a message (the hub's own
     * changes: a wake that worked or not, a relay's outcome); false when it was elsewhere.
     */
    public boolean transition(String id, Collection<CommandState> from, CommandState to, String message, long nowMs) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE commands SET state = :to, message = :message, "
                        + "finished_at_ms = CASE WHEN :finished THEN :now ELSE finished_at_ms END, "
                        + "acked_at_ms = CASE WHEN :to = 'ACKED' THEN coalesce(acked_at_ms, :now) ELSE acked_at_ms END "
                        + "WHERE id = :id AND state IN (<from>)")
                .bind("to", to.name()).bind("message", message).bind("finished", to.finished()).bind("now", nowMs)
                .bind("id", id).bindList("from", from.stream().map(Enum::name).toList()).execute()) == 1;
    }

    /** Queued commands whose expiry passed become EXPIRED; returns their ids. */
    public List<String> expire(long nowMs) {
        return jdbi.withHandle(h -> h.createQuery("UPDATE commands SET state = 'EXPIRED', finished_at_ms = :now, message = :message "
                        + "WHERE state = 'QUEUED' AND expires_at_ms <= :now RETURNING id")
                .bind("now", nowMs)
                .bind("message", "expired: the agent did not connect before the command's expiry")
                .mapTo(String.class).list());
    }

    /**
     * Commands in {@code state} since before {@code sinceBeforeMs} fail with {@code message},
     * except those of {@code exceptTypes} (run by the hub itself, watched by their feature).
     */
    public List<String> timeOut(CommandState state, String column, long sinceBeforeMs, Collection<String> exceptTypes, String message,
                                long nowMs) {
        if (!column.equals("sent_at_ms") && !column.equals("acked_at_ms")) {
            throw new IllegalArgumentException("time-outs run on sent_at_ms or acked_at_ms, not " + column);
        }
        List<String> except = new ArrayList<>(exceptTypes);
        except.add("");
        return jdbi.withHandle(h -> h.createQuery("UPDATE commands SET state = 'FAILED', finished_at_ms = :now, message = :message "
                        + "WHERE state = :state AND " + column + " <= :since AND type NOT IN (<except>) RETURNING id")
                .bind("now", nowMs).bind("message", message).bind("state", state.name()).bind("since", sinceBeforeMs)
                .bindList("except", except).mapTo(String.class).list());
    }

    /** Open commands of {@code type} in {@code state}, oldest first (the wake watcher's list). */
    public List<Command> open(String type, CommandState state) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM commands WHERE state = :state AND type = :type "
                        + "ORDER BY created_at_ms LIMIT 1000")
                .bind("state", state.name()).bind("type", type).map((rs, ctx) -> row(rs)).list());
    }

    /** The host's QUEUED commands of {@code type}, and its SENT or ACKED ones sent at or after {@code sentSinceMs}, oldest first. */
    public List<Command> underWay(long hostId, String type, long sentSinceMs) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM commands WHERE host_id = :host AND type = :type "
                        + "AND (state = 'QUEUED' OR (state IN ('SENT', 'ACKED') AND sent_at_ms >= :since)) ORDER BY created_at_ms, id")
                .bind("host", hostId).bind("type", type).bind("since", sentSinceMs).map((rs, ctx) -> row(rs)).list());
    }

    // --- agent_links: which replica holds which agent -------------------------------------------

    /** This replica now holds the host's agent. */
    public void link(long hostId, String replica, String transport, long nowMs) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO agent_links (host_id, replica, transport, connected_at_ms, seen_at_ms) "
                        + "VALUES (:host, :replica, :transport, :now, :now) ON CONFLICT (host_id) DO UPDATE SET replica = excluded.replica, "
                        + "transport = excluded.transport, seen_at_ms = excluded.seen_at_ms, "
                        + "connected_at_ms = CASE WHEN agent_links.replica = excluded.replica AND agent_links.transport = excluded.transport "
                        + "THEN agent_links.connected_at_ms ELSE excluded.connected_at_ms END")
                .bind("host", hostId).bind("replica", replica).bind("transport", transport).bind("now", nowMs).execute());
    }

    /** Refreshes this replica's links to these hosts. */
    public void touch(String replica, Collection<Long> hostIds, long nowMs) {
        if (hostIds.isEmpty()) {
            return;
        }
        jdbi.useHandle(h -> h.createUpdate("UPDATE agent_links SET seen_at_ms = :now WHERE replica = :replica AND host_id IN (<ids>)")
                .bind("now", nowMs).bind("replica", replica).bindList("ids", List.copyOf(hostIds)).execute());
    }

    /** This replica no longer holds the host's agent (another may have taken it over meanwhile: then nothing changes). */
    public void unlink(long hostId, String replica) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM agent_links WHERE host_id = :host AND replica = :replica")
                .bind("host", hostId).bind("replica", replica).execute());
    }

    /** Forgets every link of this replica (it stops). */
    public void unlinkAll(String replica) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM agent_links WHERE replica = :replica").bind("replica", replica).execute());
    }

    /** Whether some replica saw the host's agent at or after {@code sinceMs}. */
    public boolean linked(long hostId, long sinceMs) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM agent_links WHERE host_id = :host AND seen_at_ms >= :since")
                .bind("host", hostId).bind("since", sinceMs).mapTo(Long.class).one()) > 0;
    }

    private String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored command JSON is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private Command row(ResultSet rs) throws SQLException {
        return new Command(rs.getString("id"), rs.getLong("host_id"), rs.getString("type"), tree(rs.getString("args")),
                CommandState.valueOf(rs.getString("state")), rs.getString("requested_by"), rs.getLong("created_at_ms"),
                nullableLong(rs, "sent_at_ms"), nullableLong(rs, "acked_at_ms"), nullableLong(rs, "finished_at_ms"),
                rs.getLong("expires_at_ms"), rs.getString("message"), tree(rs.getString("data")));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
