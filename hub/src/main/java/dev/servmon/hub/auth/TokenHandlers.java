package dev.servmon.hub.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.api.PathIds;
import dev.servmon.hub.audit.AuditHandlers;
import io.javalin.http.Context;

/** {@code /api/v1/tokens}: everyone manages their own API tokens; admins see and revoke everyone's. */
public final class TokenHandlers {
    private final ApiTokens tokens;
    private final ObjectMapper json;

    public TokenHandlers(ApiTokens tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    record NewToken(String name, String role, Integer expiresInDays) {}

    /** A new token: the secret, shown this once, and how to use it. */
    record Created(ApiTokens.Token token, String secret, String header) {}

    /** {@code GET /api/v1/tokens}: the caller's tokens; an admin's list holds everyone's. */
    public void list(Context ctx) {
        Principal p = AuthHandlers.principal(ctx);
        ctx.json(tokens.list(p.role() == Role.ADMIN ? null : p.user().id()));
    }

    /**
     * {@code POST /api/v1/tokens} {@code {name, role, expiresInDays?}}: 201 with the secret. Needs
     * a session, so a leaked token cannot mint itself successors.
     */
    public void create(Context ctx) {
        Sessions.Session session = AuthHandlers.session(ctx);
        var body = Json.read(json, ctx.bodyAsBytes(), NewToken.class);
        Role role;
        try {
            role = body.role() == null ? null : Role.of(body.role());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        var created = tokens.create(session.user(), body.name(), role, body.expiresInDays());
        AuditHandlers.target(ctx, "token " + created.token().id() + " " + created.token().name() + " role=" + created.token().role());
        ctx.status(201).json(new Created(created.token(), created.secret(), "Authorization: Bearer " + created.secret()));
    }

    /** {@code DELETE /api/v1/tokens/{id}}: 204; the token stops working at once. Others' tokens: admins only (404 for the rest). */
    public void revoke(Context ctx) {
        long id = PathIds.of(ctx, "token");
        Principal p = AuthHandlers.principal(ctx);
        var token = tokens.find(id).filter(t -> p.role() == Role.ADMIN || t.userId() == p.user().id())
                .orElseThrow(() -> ApiException.notFound("no token with id " + id));
        tokens.revoke(id);
        AuditHandlers.target(ctx, "token " + id + " " + token.name() + " of " + token.username());
        ctx.status(204);
    }
}
