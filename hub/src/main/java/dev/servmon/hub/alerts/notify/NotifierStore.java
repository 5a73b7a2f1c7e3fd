package dev.servmon.hub.alerts.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servmon.hub.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** SQL for {@code notifiers}. */
public final class NotifierStore {
    private final Jdbi jdbi;
    private final ObjectMapper json;

    public NotifierStore(Database db, ObjectMapper json) {
        this.jdbi = db.jdbi();
        this.json = json;
    }

    public List<Notifier> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM notifiers ORDER BY id").map((rs, ctx) -> row(rs)).list());
    }

    public Optional<Notifier> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM notifiers WHERE id = :id").bind("id", id).map((rs, ctx) -> row(rs)).findOne());
    }

    /** The notifiers with these ids that exist. */
    public List<Notifier> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM notifiers WHERE id IN (<ids>) ORDER BY id").bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> row(rs)).list());
    }

    /** Inserts; empty when the name is taken. */
    public Optional<Notifier> insert(String name, NotifierType type, ObjectNode config, String title, String body, long nowMs) {
        try {
            long id = jdbi.withHandle(h -> h.createUpdate("INSERT INTO notifiers (name, type, config, title_template, body_template, "
                            + "created_at_ms, updated_at_ms) VALUES (:name, :type, :config, :title, :body, :now, :now)")
                    .bind("name", name).bind("type", type.label()).bind("config", write(config)).bind("title", title).bind("body", body)
                    .bind("now", nowMs).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
            return find(id);
        } catch (UnableToExecuteStatementException e) {
            if (nameTaken(name, -1)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Updates; empty when the name is taken by another, else whether it exists. */
    public Optional<Boolean> update(long id, String name, ObjectNode config, String title, String body, long nowMs) {
        try {
            return Optional.of(jdbi.withHandle(h -> h.createUpdate("UPDATE notifiers SET name = :name, config = :config, "
                            + "title_template = :title, body_template = :body, updated_at_ms = :now WHERE id = :id")
                    .bind("id", id).bind("name", name).bind("config", write(config)).bind("title", title).bind("body", body)
                    .bind("now", nowMs).execute()) > 0);
        } catch (UnableToExecuteStatementException e) {
            if (nameTaken(name, id)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public boolean delete(long id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM notifiers WHERE id = :id").bind("id", id).execute()) > 0;
    }

    private boolean nameTaken(String name, long exceptId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM notifiers WHERE name = :name AND id <> :id")
                .bind("name", name).bind("id", exceptId).mapTo(Long.class).one()) > 0;
    }

    private String write(ObjectNode config) {
        try {
            return json.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notifier config could not be written", e);
        }
    }

    private Notifier row(ResultSet rs) throws SQLException {
        ObjectNode config;
        try {
            config = (ObjectNode) json.readTree(rs.getString("config"));
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored config of notifier id=" + rs.getLong("id") + " is not a JSON object; edit or delete it", e);
        }
        return new Notifier(rs.getLong("id"), rs.getString("name"), NotifierType.of(rs.getString("type")), config,
                rs.getString("title_template"), rs.getString("body_template"), rs.getLong("created_at_ms"), rs.getLong("updated_at_ms"));
    }
}
