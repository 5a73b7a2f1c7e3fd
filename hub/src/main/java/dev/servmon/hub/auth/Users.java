package dev.servmon.hub.auth;

import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.hosts.Tags;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * People who may sign in, and the rules every way of changing them shares (the API and
 * {@code servmon user}): usernames are unique whatever their case, passwords pass
 * {@link Passwords#problemWith}, and there is always at least one enabled admin.
 */
public final class Users {
    private static final Logger log = LoggerFactory.getLogger(Users.class);
    public static final int MAX_USERNAME_LENGTH = 64;
    private static final String COLUMNS = "id, username, role, disabled, scope_tags, created_at_ms";

    private final Jdbi jdbi;
    private final Clock clock;

    public Users(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * A signed-in user as handlers see it.
     *
     * @param scope the host tags the user is limited to; empty: every host
     */
    public record User(long id, String username, String role, Set<String> scope) {
        public User {
            scope = Set.copyOf(scope);
        }

        /** An unscoped user. */
        public User(long id, String username, String role) {
            this(id, username, role, Set.of());
        }
    }

    /** A user as the users API lists it (never the password hash). */
    public record Account(long id, String username, String role, boolean disabled, List<String> scope, long createdAtMs) {
        public User user() {
            return new User(id, username, role, Set.copyOf(scope));
        }
    }

    /**
     * A change to a user; null fields stay as they are.
     *
     * @param scope the new tag scope; an empty set removes the scope
     * @param password a new password (a reset: the user's sessions end)
     */
    public record Change(Role role, Boolean disabled, Set<String> scope, String password) {}

    /**
     * Creates the first admin when there are no users yet.
     *
     * @param initialPassword the password to give it (from {@code SERVMON_ADMIN_PASSWORD}), or
     *     null to generate one
     * @return the generated password, to be shown once; empty when a password was given or
     *     users already exist
     */
    public Optional<String> ensureFirstAdmin(String initialPassword) {
        long count = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM users").mapTo(Long.class).one());
        if (count > 0) {
            return Optional.empty();
        }
        String password = initialPassword;
        boolean generated = password == null || password.isEmpty();
        if (generated) {
            password = Passwords.generate();
        } else {
            String problem = Passwords.problemWith(password, "admin");
            if (problem != null) {
                throw new IllegalArgumentException("servmon: SERVMON_ADMIN_PASSWORD is not acceptable: " + problem);
            }
        }
        insert("admin", password, Role.ADMIN, Set.of());
        log.info("first admin user created username=admin password_source={}", generated ? "generated" : "SERVMON_ADMIN_PASSWORD");
        return generated ? Optional.of(password) : Optional.empty();
    }

    /** Adds a user; 400 for a bad name, password or scope, 409 when the name is taken. */
    public Account add(String rawUsername, String password, Role role, Set<String> scope) {
        String username = validUsername(rawUsername);
        requireGoodPassword(password, username);
        if (role == null) {
            throw ApiException.badRequest("role is required: viewer, operator or admin");
        }
        if (findByName(username).isPresent()) {
            throw new ApiException(409, "a user named '" + username + "' already exists");
        }
        long id = insert(username, password, role, scope);
        log.info("user added id={} username={} role={} scope={}", id, username, role.label(), scope);
        return find(id).orElseThrow();
    }

    private long insert(String username, String password, Role role, Set<String> scope) {
        String hash = Passwords.hash(password);
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO users (username, password_hash, role, created_at_ms, scope_tags)
                        VALUES (:u, :h, :r, :now, :scope)""")
                .bind("u", username).bind("h", hash).bind("r", role.label()).bind("now", clock.millis())
                .bind("scope", Tags.join(scope))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    /** Every user, by name. */
    public List<Account> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users ORDER BY lower(username), id")
                .map((rs, ctx) -> account(rs)).list());
    }

    public Optional<Account> find(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    /** The user with this name, whatever its case. */
    public Optional<Account> findByName(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE lower(username) = lower(:u)")
                .bind("u", username).map((rs, ctx) -> account(rs)).findOne());
    }

    /**
     * Applies a change; 404 for an unknown user, 409 when it would leave no enabled admin.
     * Sessions and tokens of a disabled user stop working at once: their lookups join on
     * {@code users.disabled}.
     */
    public Account update(long id, Change change) {
        Account before = find(id).orElseThrow(() -> notFound(id));
        if (change.password() != null) {
            requireGoodPassword(change.password(), before.username());
        }
        String hash = change.password() == null ? null : Passwords.hash(change.password());
        jdbi.useTransaction(h -> {
            Account current = find(h, id).orElseThrow(() -> notFound(id));
            Role role = change.role() == null ? Role.of(current.role()) : change.role();
            boolean disabled = change.disabled() == null ? current.disabled() : change.disabled();
            boolean wasAdmin = current.role().equals(Role.ADMIN.label()) && !current.disabled();
            if (wasAdmin && (role != Role.ADMIN || disabled)) {
                requireAnotherAdmin(h, id, current.username(), disabled ? "disable" : "demote");
            }
            h.createUpdate("UPDATE users SET role = :role, disabled = :disabled WHERE id = :id")
                    .bind("role", role.label()).bind("disabled", disabled ? 1 : 0).bind("id", id).execute();
            if (change.scope() != null) {
                h.createUpdate("UPDATE users SET scope_tags = :scope WHERE id = :id")
                        .bind("scope", Tags.join(change.scope())).bind("id", id).execute();
            }
            if (hash != null) {
                h.createUpdate("UPDATE users SET password_hash = :hash WHERE id = :id").bind("hash", hash).bind("id", id).execute();
            }
        });
        Account after = find(id).orElseThrow(() -> notFound(id));
        log.info("user changed id={} username={} role={} disabled={} scope={} password_reset={}", id, after.username(), after.role(),
                after.disabled(), after.scope(), hash != null);
        return after;
    }

    /** Deletes a user (their sessions and tokens go with them); 409 for the last enabled admin. */
    public Account delete(long id) {
        Account gone = jdbi.inTransaction(h -> {
            Account current = find(h, id).orElseThrow(() -> notFound(id));
            if (current.role().equals(Role.ADMIN.label()) && !current.disabled()) {
                requireAnotherAdmin(h, id, current.username(), "delete");
            }
            h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id).execute();
            return current;
        });
        log.info("user deleted id={} username={}", id, gone.username());
        return gone;
    }

    /** Whether {@code password} is the user's current password (bcrypt; false for unknown or disabled users). */
    public boolean checkPassword(long id, String password) {
        String hash = jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE id = :id AND disabled = 0")
                .bind("id", id).mapTo(String.class).findOne().orElse(null));
        return Passwords.verify(password, hash);
    }

    /** The user with these credentials, if they are right and the user is enabled. */
    public Optional<User> authenticate(String username, String password) {
        record Found(User user, String hash, boolean disabled) {}
        var found = username == null ? Optional.<Found>empty() : jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, username, role, password_hash, disabled, scope_tags FROM users WHERE username = :u")
                .bind("u", username)
                .map((rs, ctx) -> new Found(new User(rs.getLong("id"), rs.getString("username"), rs.getString("role"),
                        Tags.split(rs.getString("scope_tags"))), rs.getString("password_hash"), rs.getInt("disabled") != 0))
                .findOne());
        boolean ok = Passwords.verify(password, found.map(Found::hash).orElse(null));
        return ok && found.isPresent() && !found.get().disabled() ? Optional.of(found.get().user()) : Optional.empty();
    }

    /** 400 with the policy's reason when the password is not acceptable. */
    public static void requireGoodPassword(String password, String username) {
        String problem = Passwords.problemWith(password, username);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
    }

    /** A username: 1 to 64 of letters, digits and {@code . _ @ -}; 400 otherwise. */
    static String validUsername(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest("username is required");
        }
        String name = raw.strip();
        if (name.length() > MAX_USERNAME_LENGTH) {
            throw ApiException.badRequest("username must be at most " + MAX_USERNAME_LENGTH + " characters, got " + name.length());
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '@' || c == '-')) {
                throw ApiException.badRequest("username may only hold letters, digits and . _ @ - (position " + i + ")");
            }
        }
        return name;
    }

    private static void requireAnotherAdmin(Handle h, long id, String username, String verb) {
        long others = h.createQuery("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id <> :id")
                .bind("id", id).mapTo(Long.class).one();
        if (others == 0) {
            throw new ApiException(409, "cannot " + verb + " '" + username + "': it is the last enabled admin; make another user admin first");
        }
    }

    private static Optional<Account> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id").bind("id", id).map((rs, ctx) -> account(rs)).findOne();
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getLong("id"), rs.getString("username"), rs.getString("role"), rs.getInt("disabled") != 0,
                List.copyOf(new TreeSet<>(Tags.split(rs.getString("scope_tags")))), rs.getLong("created_at_ms"));
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("no user with id " + id);
    }
}
