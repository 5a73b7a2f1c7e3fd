package dev.servmon.hub.hosts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import dev.servmon.hub.storage.Database;
import dev.servmon.hub.storage.Dialect;
import dev.servmon.hub.storage.IdLists;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * SQL for the hosts table, for both databases. Samples, series and rollups of a host are
 * removed with it (ON DELETE CASCADE).
 */
public final class HostStore {
    private static final String COLUMNS =
            "id, name, key_prefix, created_at_ms, last_seen_at_ms, interval_seconds, agent_version, latest_sample";

    private final Jdbi jdbi;
    private final Dialect dialect;

    public HostStore(Database db) {
        this.jdbi = db.jdbi();
        this.dialect = db.dialect();
    }

    /** A row of the hosts table, without the key hash. */
    public record Row(long id, String name, String keyPrefix, long createdAtMs, Long lastSeenAtMs,
                      Integer intervalSeconds, String agentVersion, String latestSampleJson) {}

    /** Inserts a host; empty when the name is taken. */
    public Optional<Row> insert(String name, String keyHash, String keyPrefix, long nowMs) {
        try {
            long id = jdbi.withHandle(h -> h.createUpdate(
                            "INSERT INTO hosts (name, key_hash, key_prefix, created_at_ms) VALUES (:name, :hash, :prefix, :now)")
                    .bind("name", name).bind("hash", keyHash).bind("prefix", keyPrefix).bind("now", nowMs)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
            return Optional.of(new Row(id, name, keyPrefix, nowMs, null, null, null, null));
        } catch (UnableToExecuteStatementException e) {
            if (isUniqueViolation(e) && findByName(name).isPresent()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public List<Row> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM hosts ORDER BY " + dialect.orderNoCase("name") + ", id")
                .map((rs, ctx) -> row(rs)).list());
    }

    public Optional<Row> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM hosts WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne());
    }

    /** The hosts with these ids that exist, in no particular order. */
    public List<Row> findAll(Collection<Long> ids) {
        return inChunks(ids, "SELECT " + COLUMNS + " FROM hosts WHERE id IN (<ids>)", HostStore::row);
    }

    /** When a host last reported and at what interval: all that liveness needs. */
    public record Seen(long id, Long lastSeenAtMs, Integer intervalSeconds) {}

    /** {@link Seen} of the hosts with these ids that exist (no sample JSON is read). */
    public List<Seen> seen(Collection<Long> ids) {
        return inChunks(ids, "SELECT id, last_seen_at_ms, interval_seconds FROM hosts WHERE id IN (<ids>)", rs -> {
            long seen = rs.getLong(2);
            Long seenAtMs = rs.wasNull() ? null : seen;
            int interval = rs.getInt(3);
            return new Seen(rs.getLong(1), seenAtMs, rs.wasNull() ? null : interval);
        });
    }

    /**
     * What the alert engine reads of a host on every pass: no sample JSON, only the seq of the
     * newest sample (its values are cached by seq, see {@link #latestSamples}).
     */
    public record Brief(long id, String name, Long lastSeenAtMs, Integer intervalSeconds, Long latestSeq) {}

    private static final String BRIEF_COLUMNS = "id, name, last_seen_at_ms, interval_seconds, latest_seq";

    /** {@link Brief} of every host, in the order of {@link #list()}. */
    public List<Brief> briefs() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + BRIEF_COLUMNS + " FROM hosts ORDER BY " + dialect.orderNoCase("name") + ", id")
                .map((rs, ctx) -> brief(rs)).list());
    }

    /** {@link Brief} of the hosts with these ids that exist, in no particular order. */
    public List<Brief> briefs(Collection<Long> ids) {
        return inChunks(ids, "SELECT " + BRIEF_COLUMNS + " FROM hosts WHERE id IN (<ids>)", HostStore::brief);
    }

    /** A host's newest sample as stored: its seq and JSON. */
    public record Latest(long id, long seq, String sampleJson) {}

    /** {@link Latest} of the hosts with these ids that have reported. */
    public List<Latest> latestSamples(Collection<Long> ids) {
        return inChunks(ids, "SELECT id, latest_seq, latest_sample FROM hosts WHERE id IN (<ids>) AND latest_sample IS NOT NULL",
                rs -> new Latest(rs.getLong(1), rs.getLong(2), rs.getString(3)));
    }

    private interface RowReader<T> {
        T read(java.sql.ResultSet rs) throws java.sql.SQLException;
    }

    /** Runs {@code sql} with its {@code <ids>} bound to {@code ids}, {@link IdLists#PER_QUERY} at a time. */
    private <T> List<T> inChunks(Collection<Long> ids, String sql, RowReader<T> reader) {
        List<T> rows = new ArrayList<>(ids.size());
        for (List<Long> some : IdLists.chunks(ids)) {
            rows.addAll(jdbi.withHandle(h -> h.createQuery(sql).bindList("ids", some).map((rs, ctx) -> reader.read(rs)).list()));
        }
        return rows;
    }

    private static Brief brief(java.sql.ResultSet rs) throws java.sql.SQLException {
        long lastSeen = rs.getLong(3);
        Long lastSeenAtMs = rs.wasNull() ? null : lastSeen;
        int interval = rs.getInt(4);
        Integer intervalSeconds = rs.wasNull() ? null : interval;
        long seq = rs.getLong(5);
        return new Brief(rs.getLong(1), rs.getString(2), lastSeenAtMs, intervalSeconds, rs.wasNull() ? null : seq);
    }

    public Optional<Row> findByName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM hosts WHERE name = :name")
                .bind("name", name).map((rs, ctx) -> row(rs)).findOne());
    }

    public Optional<Long> idForKeyHash(String keyHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM hosts WHERE key_hash = :hash")
                .bind("hash", keyHash).mapTo(Long.class).findOne());
    }

    /** Renames a host; empty when the name is taken, else whether the host exists. */
    public Optional<Boolean> rename(long id, String name) {
        try {
            return Optional.of(jdbi.withHandle(h -> h.createUpdate("UPDATE hosts SET name = :name WHERE id = :id")
                    .bind("name", name).bind("id", id).execute()) > 0);
        } catch (UnableToExecuteStatementException e) {
            if (isUniqueViolation(e) && findByName(name).isPresent()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Deletes a host and what is its alone (samples, series, details: by foreign keys). Checks its
     * agent ran are disabled in the same transaction: the foreign key clears their
     * {@code agent_host_id}, and a directory or TCP check would otherwise quietly go on from the
     * hub, against the hub's own disk and network.
     */
    public boolean delete(long id) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE checks SET enabled = 0 WHERE agent_host_id = :id").bind("id", id).execute();
            return h.createUpdate("DELETE FROM hosts WHERE id = :id").bind("id", id).execute();
        }) > 0;
    }

    public boolean replaceKey(long id, String keyHash, String keyPrefix) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE hosts SET key_hash = :hash, key_prefix = :prefix WHERE id = :id")
                .bind("hash", keyHash).bind("prefix", keyPrefix).bind("id", id).execute()) > 0;
    }

    /** The host's stored inventory JSON and the time of the sample that carried it, if any. */
    public Optional<Detail> inventory(long id) {
        return detail(id, "inventory");
    }

    /** The host's newest process scan (JSON list) and the time of the sample that carried it, if any. */
    public Optional<Detail> processes(long id) {
        return detail(id, "processes");
    }

    private Optional<Detail> detail(long id, String kind) {
        return jdbi.withHandle(h -> h.createQuery("SELECT json, at_ms FROM host_details WHERE host_id = :id AND kind = :kind")
                .bind("id", id).bind("kind", kind).map((rs, ctx) -> new Detail(rs.getString(1), rs.getLong(2))).findOne());
    }

    /** A host detail kept apart from the samples (inventory, last process scan): its JSON and the time of the sample that carried it. */
    public record Detail(String json, long atMs) {}

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        long lastSeen = rs.getLong("last_seen_at_ms");
        Long lastSeenAtMs = rs.wasNull() ? null : lastSeen;
        int interval = rs.getInt("interval_seconds");
        Integer intervalSeconds = rs.wasNull() ? null : interval;
        return new Row(rs.getLong("id"), rs.getString("name"), rs.getString("key_prefix"), rs.getLong("created_at_ms"),
                lastSeenAtMs, intervalSeconds, rs.getString("agent_version"), rs.getString("latest_sample"));
    }

    private static boolean isUniqueViolation(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String msg = t.getMessage();
            if (msg != null && (msg.contains("UNIQUE constraint failed") || msg.contains("duplicate key"))) {
                return true;
            }
        }
        return false;
    }
}
