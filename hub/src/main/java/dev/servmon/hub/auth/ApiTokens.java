package dev.servmon.hub.auth;

import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.hosts.Tags;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens: bearer secrets that act for a user, for scripts and other tools. A token has its
 * own role, never higher than its user's at creation, and acts with the lower of its role and
 * its user's current role, so demoting a user demotes their tokens. Tokens of a disabled or
 * deleted user, and expired ones, stop working at once. Only the SHA-256 of the secret is stored.
 */
public final class ApiTokens {
    private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);
    /** Secrets start with this, so a leaked one is recognisable by secret scanners (host keys: {@code smk_}). */
    public static final String PREFIX = "smt_";
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_EXPIRY_DAYS = 3650;
    /** last_used_at_ms is written at most this often per token, to keep reads from writing. */
    static final long TOUCH_EVERY_MS = 60_000;
    private static final String COLUMNS = """
            t.id, t.user_id, u.username, t.name, t.secret_prefix, t.role, t.created_at_ms, t.expires_at_ms, t.last_used_at_ms""";

    private final Jdbi jdbi;
    private final Clock clock;

    public ApiTokens(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * A token as listed (never its secret).
     *
     * @param prefix the secret's first characters, to tell tokens apart
     * @param expiresAtMs null: never
     * @param lastUsedAtMs null: never used; accurate to a minute
     */
    public record Token(long id, long userId, String username, String name, String prefix, String role, long createdAtMs,
                        Long expiresAtMs, Long lastUsedAtMs) {}

    /** A new token and its secret, which is never shown again. */
    public record Created(Token token, String secret) {}

    /**
     * Creates a token for {@code owner}; 400 for a bad name or expiry, 403 for a role above the owner's.
     *
     * @param expiresInDays null: never expires
     */
    public Created create(Users.User owner, String rawName, Role role, Integer expiresInDays) {
        String name = rawName == null ? "" : rawName.strip();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw ApiException.badRequest("name must be 1 to " + MAX_NAME_LENGTH + " characters, got " + name.length());
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("name must not contain control characters");
        }
        if (role == null) {
            throw ApiException.badRequest("role is required: viewer, operator or admin (at most your own)");
        }
        Role ownerRole = Role.of(owner.role());
        if (!ownerRole.atLeast(role)) {
            throw new ApiException(403, "a token's role can be at most your own (" + ownerRole.label() + "), got " + role.label());
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > MAX_EXPIRY_DAYS)) {
            throw ApiException.badRequest("expiresInDays must be between 1 and " + MAX_EXPIRY_DAYS + " (or left out: never), got " + expiresInDays);
        }
        String secret = Tokens.newSecret(PREFIX);
        long now = clock.millis();
        Long expiresAtMs = expiresInDays == null ? null : now + expiresInDays * 86_400_000L;
        long id = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO api_tokens (user_id, name, secret_hash, secret_prefix, role, created_at_ms, expires_at_ms)
                        VALUES (:user, :name, :hash, :prefix, :role, :now, :expires)""")
                .bind("user", owner.id()).bind("name", name).bind("hash", Tokens.hash(secret)).bind("prefix", Tokens.prefixOf(secret))
                .bind("role", role.label()).bind("now", now).bind("expires", expiresAtMs)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        log.info("api token created id={} user={} role={} prefix={} expires_at_ms={}", id, owner.username(), role.label(),
                Tokens.prefixOf(secret), expiresAtMs);
        return new Created(find(id).orElseThrow(), secret);
    }

    /** The tokens of one user, or of everyone ({@code userId} null), newest first. */
    public List<Token> list(Long userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_tokens t JOIN users u ON u.id = t.user_id"
                        + " WHERE :all = 1 OR t.user_id = :user ORDER BY t.id DESC")
                .bind("all", userId == null ? 1 : 0).bind("user", userId == null ? 0 : userId).map((rs, ctx) -> token(rs)).list());
    }

    public Optional<Token> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = :id")
                .bind("id", id).map((rs, ctx) -> token(rs)).findOne());
    }

    /** Revokes a token: it stops working with the next request. */
    public boolean revoke(long id) {
        boolean gone = jdbi.withHandle(h -> h.createUpdate("DELETE FROM api_tokens WHERE id = :id").bind("id", id).execute()) > 0;
        if (gone) {
            log.info("api token revoked id={}", id);
        }
        return gone;
    }

    /**
     * Who a bearer secret acts for, with the effective role: empty for an unknown, revoked or
     * expired token, and for one whose user is disabled.
     */
    public Optional<Principal> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        long now = clock.millis();
        record Row(Principal principal, Long expiresAtMs, Long lastUsedAtMs) {}
        var row = jdbi.withHandle(h -> h.createQuery("""
                        SELECT t.id, t.role AS token_role, t.expires_at_ms, t.last_used_at_ms, u.id AS user_id, u.username, u.role, u.scope_tags
                        FROM api_tokens t JOIN users u ON u.id = t.user_id
                        WHERE t.secret_hash = :hash AND u.disabled = 0""")
                .bind("hash", Tokens.hash(secret))
                .map((rs, ctx) -> {
                    var user = new Users.User(rs.getLong("user_id"), rs.getString("username"), rs.getString("role"),
                            Tags.split(rs.getString("scope_tags")));
                    Role tokenRole = Role.of(rs.getString("token_role"));
                    Role userRole = Role.of(user.role());
                    Role effective = tokenRole.atLeast(userRole) ? userRole : tokenRole;
                    return new Row(new Principal(user, effective, rs.getLong("id")), nullable(rs, "expires_at_ms"), nullable(rs, "last_used_at_ms"));
                })
                .findOne());
        if (row.isEmpty() || (row.get().expiresAtMs() != null && now >= row.get().expiresAtMs())) {
            return Optional.empty();
        }
        Row r = row.get();
        if (r.lastUsedAtMs() == null || now - r.lastUsedAtMs() >= TOUCH_EVERY_MS) {
            jdbi.useHandle(h -> h.createUpdate("UPDATE api_tokens SET last_used_at_ms = :now WHERE id = :id")
                    .bind("now", now).bind("id", r.principal().tokenId()).execute());
        }
        return Optional.of(r.principal());
    }

    /** Removes tokens that expired more than 30 days ago (until then they are listed as expired); returns how many. */
    public int purgeExpired() {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM api_tokens WHERE expires_at_ms < :before")
                .bind("before", clock.millis() - 30 * 86_400_000L).execute());
    }

    private static Token token(ResultSet rs) throws SQLException {
        return new Token(rs.getLong("id"), rs.getLong("user_id"), rs.getString("username"), rs.getString("name"), rs.getString("secret_prefix"),
                rs.getString("role"), rs.getLong("created_at_ms"), nullable(rs, "expires_at_ms"), nullable(rs, "last_used_at_ms"));
    }

    private static Long nullable(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
