package dev.servmon.hub.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.api.PathIds;
import dev.servmon.hub.audit.AuditHandlers;
import dev.servmon.hub.hosts.Tags;
import io.javalin.http.Context;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/v1/users} (admins) and {@code POST /api/v1/session/password} (everyone, for themselves). */
public final class UserHandlers {
    private static final Logger log = LoggerFactory.getLogger(UserHandlers.class);

    private final Users users;
    private final Sessions sessions;
    private final ObjectMapper json;

    public UserHandlers(Users users, Sessions sessions, ObjectMapper json) {
        this.users = users;
        this.sessions = sessions;
        this.json = json;
    }

    record NewUser(String username, String password, String role, List<String> scope) {}

    /** Fields left out (null) stay as they are; {@code scope: []} removes the scope. */
    record UserChange(String role, Boolean disabled, List<String> scope, String password) {}

    record PasswordChange(String currentPassword, String newPassword) {}

    /** {@code GET /api/v1/users}. */
    public void list(Context ctx) {
        ctx.json(users.list());
    }

    /** {@code GET /api/v1/users/{id}}. */
    public void get(Context ctx) {
        long id = PathIds.of(ctx, "user");
        ctx.json(users.find(id).orElseThrow(() -> ApiException.notFound("no user with id " + id)));
    }

    /** {@code POST /api/v1/users} {@code {username, password, role, scope?}}: 201 with the user. */
    public void create(Context ctx) {
        var body = Json.read(json, ctx.bodyAsBytes(), NewUser.class);
        var added = users.add(body.username(), body.password(), role(body.role(), true), Tags.normalize(body.scope(), "scope"));
        AuditHandlers.target(ctx, "user " + added.id() + " " + added.username());
        ctx.status(201).json(added);
    }

    /**
     * {@code PATCH /api/v1/users/{id}} {@code {role?, disabled?, scope?, password?}}. Disabling a
     * user or resetting their password ends their sessions; their tokens stop working while
     * they are disabled.
     */
    public void update(Context ctx) {
        long id = PathIds.of(ctx, "user");
        var body = Json.read(json, ctx.bodyAsBytes(), UserChange.class);
        var change = new Users.Change(role(body.role(), false), body.disabled(),
                body.scope() == null ? null : Tags.normalize(body.scope(), "scope"), body.password());
        var changed = users.update(id, change);
        AuditHandlers.target(ctx, "user " + id + " " + changed.username() + " " + what(body));
        if (Boolean.TRUE.equals(body.disabled()) || body.password() != null) {
            Sessions.Session own = ctx.attribute(AuthHandlers.SESSION_ATTRIBUTE);
            int ended = sessions.deleteForUser(id, own == null ? null : own.idHash());
            log.info("sessions ended user_id={} count={}", id, ended);
        }
        ctx.json(changed);
    }

    /** {@code DELETE /api/v1/users/{id}}: 204; the user's sessions and tokens go with them. */
    public void delete(Context ctx) {
        long id = PathIds.of(ctx, "user");
        var gone = users.delete(id);
        AuditHandlers.target(ctx, "user " + id + " " + gone.username());
        ctx.status(204);
    }

    /**
     * {@code POST /api/v1/session/password} {@code {currentPassword, newPassword}}: 204; every other
     * session of the user ends. Needs a session: a stolen API token cannot take over the account.
     */
    public void changeOwnPassword(Context ctx) {
        Sessions.Session session = AuthHandlers.session(ctx);
        var body = Json.read(json, ctx.bodyAsBytes(), PasswordChange.class);
        if (body.currentPassword() == null || body.newPassword() == null) {
            throw ApiException.badRequest("currentPassword and newPassword are required");
        }
        long id = session.user().id();
        if (!users.checkPassword(id, body.currentPassword())) {
            throw new ApiException(403, "the current password is wrong");
        }
        users.update(id, new Users.Change(null, null, null, body.newPassword()));
        int ended = sessions.deleteForUser(id, session.idHash());
        log.info("password changed user={} other_sessions_ended={}", session.user().username(), ended);
        AuditHandlers.target(ctx, "user " + id + " " + session.user().username());
        ctx.status(204);
    }

    private static Role role(String label, boolean required) {
        if (label == null) {
            if (required) {
                throw ApiException.badRequest("role is required: viewer, operator or admin");
            }
            return null;
        }
        try {
            return Role.of(label);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** What a change touched, for the audit record (never the password itself). */
    private static String what(UserChange c) {
        StringBuilder sb = new StringBuilder();
        if (c.role() != null) {
            sb.append("role=").append(c.role()).append(' ');
        }
        if (c.disabled() != null) {
            sb.append("disabled=").append(c.disabled()).append(' ');
        }
        if (c.scope() != null) {
            sb.append("scope=").append(String.join(",", c.scope())).append(' ');
        }
        if (c.password() != null) {
            sb.append("password=reset ");
        }
        return sb.toString().strip();
    }
}
