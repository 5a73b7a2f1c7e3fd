package dev.servmon.hub.auth;

import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** People who may sign in. */
public final class Users {
    private static final Logger log = LoggerFactory.getLogger(Users.class);

    private final Jdbi jdbi;
    private final Clock clock;

    public Users(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A signed-in user as handlers see it. */
    public record User(long id, String username, String role) {}

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
            String problem = Passwords.problemWith(password);
            if (problem != null) {
                throw new IllegalArgumentException("servmon: SERVMON_ADMIN_PASSWORD is not acceptable: " + problem);
            }
        }
        create("admin", password, "admin");
        log.info("first admin user created username=admin password_source={}", generated ? "generated" : "SERVMON_ADMIN_PASSWORD");
        return generated ? Optional.of(password) : Optional.empty();
    }

    public User create(String username, String password, String role) {
        String hash = Passwords.hash(password);
        long id = jdbi.withHandle(h -> h.createUpdate(
                        "INSERT INTO users (username, password_hash, role, created_at_ms) VALUES (:u, :h, :r, :now)")
                .bind("u", username).bind("h", hash).bind("r", role).bind("now", clock.millis())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return new User(id, username, role);
    }

    /** The user with these credentials, if they are right and the user is enabled. */
    public Optional<User> authenticate(String username, String password) {
        record Found(User user, String hash, boolean disabled) {}
        var found = username == null ? Optional.<Found>empty() : jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, username, role, password_hash, disabled FROM users WHERE username = :u")
                .bind("u", username)
                .map((rs, ctx) -> new Found(new User(rs.getLong("id"), rs.getString("username"), rs.getString("role")),
                        rs.getString("password_hash"), rs.getInt("disabled") != 0))
                .findOne());
        boolean ok = Passwords.verify(password, found.map(Found::hash).orElse(null));
        return ok && found.isPresent() && !found.get().disabled() ? Optional.of(found.get().user()) : Optional.empty();
    }
}
