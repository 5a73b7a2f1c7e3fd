package dev.servmon.hub.alerts;

import dev.servmon.hub.storage.Database;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** SQL for {@code silences}. */
public final class Silences {
    private final Jdbi jdbi;

    public Silences(Database db) {
        this.jdbi = db.jdbi();
    }

    /** Silences that have not ended at {@code nowMs} (including those that start later). */
    public List<Silence> current(long nowMs) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM silences WHERE ends_at_ms > :now ORDER BY ends_at_ms")
                .bind("now", nowMs).map((rs, ctx) -> new Silence(rs.getLong("id"), AlertStore.nullableLong(rs, "rule_id"),
                        AlertStore.nullableLong(rs, "host_id"), rs.getLong("starts_at_ms"), rs.getLong("ends_at_ms"),
                        rs.getString("comment"), rs.getString("created_by"), rs.getLong("created_at_ms"))).list());
    }

    public Silence insert(Silence s) {
        long id = jdbi.withHandle(h -> h.createUpdate("INSERT INTO silences (rule_id, host_id, starts_at_ms, ends_at_ms, comment, created_by, "
                        + "created_at_ms) VALUES (:rule, :host, :starts, :ends, :comment, :by, :now)")
                .bind("rule", s.ruleId()).bind("host", s.hostId()).bind("starts", s.startsAtMs()).bind("ends", s.endsAtMs())
                .bind("comment", s.comment()).bind("by", s.createdBy()).bind("now", s.createdAtMs())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return new Silence(id, s.ruleId(), s.hostId(), s.startsAtMs(), s.endsAtMs(), s.comment(), s.createdBy(), s.createdAtMs());
    }

    /** Ends a silence now (it stays out of {@link #current}); false when there is none with that id. */
    public boolean delete(long id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM silences WHERE id = :id").bind("id", id).execute()) > 0;
    }
}
