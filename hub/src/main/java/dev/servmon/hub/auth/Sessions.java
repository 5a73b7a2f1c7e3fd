package dev.servmon.hub.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Server-side sessions. The browser holds a random id in an HttpOnly cookie; the database holds
 * only its hash, the user and the CSRF token. Sessions end after an idle time and after an
 * absolute lifetime, whichever comes first.
 */
public final class Sessions {
    public static final String COOKIE = "servmon_session";
    public static final Duration IDLE_TIMEOUT = Duration.ofHours(12);
    public static final Duration ABSOLUTE_TIMEOUT = Duration.ofDays(7);
    /** last_seen is written at most this often per session, to keep reads from writing. */
    private static final long TOUCH_EVERY_MS = 60_000;

    private final Jdbi jdbi;
    private final Clock clock;

    public Sessions(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A live session. */
    public record Session(String idHash, Users.User user, String csrfToken) {}

    /** A new session: the cookie value to give the browser, and the session. */
    public record Created(String cookieValue, Session session) {}

    public Created create(Users.User user) {
        String id = Tokens.newSecret("");
        String csrf = Tokens.newSecret("");
        long now = clock.millis();
        String hash = Tokens.hash(id);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO sessions (id_hash, user_id, csrf_token, created_at_ms, last_seen_at_ms)
                        VALUES (:id, :user, :csrf, :now, :now)""")
                .bind("id", hash).bind("user", user.id()).bind("csrf", csrf).bind("now", now).execute());
        return new Created(id, new Session(hash, user, csrf));
    }

    public Optional<Session> find(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 100) {
            return Optional.empty();
        }
        String hash = Tokens.hash(cookieValue);
        long now = clock.millis();
        record Row(Session session, long createdAtMs, long lastSeenAtMs) {}
        var row = jdbi.withHandle(h -> h.createQuery("""
                        SELECT s.csrf_token, s.created_at_ms, s.last_seen_at_ms, u.id, u.username, u.role, u.scope_tags
                        FROM sessions s JOIN users u ON u.id = s.user_id
                        WHERE s.id_hash = :id AND u.disabled = 0""")
                .bind("id", hash)
                .map((rs, ctx) -> new Row(new Session(hash, new Users.User(rs.getLong("id"), rs.getString("username"), rs.getString("role"),
                        dev.servmon.hub.hosts.Tags.split(rs.getString("scope_tags"))),
                        rs.getString("csrf_token")), rs.getLong("created_at_ms"), rs.getLong("last_seen_at_ms")))
                .findOne());
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Row r = row.get();
        if (now - r.lastSeenAtMs() > IDLE_TIMEOUT.toMillis() || now - r.createdAtMs() > ABSOLUTE_TIMEOUT.toMillis()) {
            delete(hash);
            return Optional.empty();
        }
        if (now - r.lastSeenAtMs() > TOUCH_EVERY_MS) {
            jdbi.useHandle(h -> h.createUpdate("UPDATE sessions SET last_seen_at_ms = :now WHERE id_hash = :id")
                    .bind("now", now).bind("id", hash).execute());
        }
        return Optional.of(r.session());
    }

    public void delete(String idHash) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE id_hash = :id").bind("id", idHash).execute());
    }

    /**
     * Ends every session of a user except {@code keepIdHash} (null: all of them), after a
     * password change or reset; returns how many.
     */
    public int deleteForUser(long userId, String keepIdHash) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM sessions WHERE user_id = :user AND id_hash <> :keep")
                .bind("user", userId).bind("keep", keepIdHash == null ? "" : keepIdHash).execute());
    }

    /** Removes expired sessions; returns how many. */
    public int purgeExpired() {
        long now = clock.millis();
        return jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM sessions WHERE last_seen_at_ms < :idle OR created_at_ms < :absolute")
                .bind("idle", now - IDLE_TIMEOUT.toMillis()).bind("absolute", now - ABSOLUTE_TIMEOUT.toMillis()).execute());
    }
}
