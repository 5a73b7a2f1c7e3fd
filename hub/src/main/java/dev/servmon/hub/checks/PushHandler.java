package dev.servmon.hub.checks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.Tokens;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.ingest.IngestHandler;
import io.javalin.http.Context;

/**
 * {@code POST /api/v1/push} on the ingest port: a cron job reports to a push check with a
 * host key ({@code Authorization: Bearer <host key>}, as agents do). The check, value, status
 * and message come as JSON or, for curl one-liners, as query parameters (which win).
 */
public final class PushHandler {
    private final Hosts hosts;
    private final Checks checks;
    private final ObjectMapper json;

    public PushHandler(Hosts hosts, Checks checks, ObjectMapper json) {
        this.hosts = hosts;
        this.checks = checks;
        this.json = json;
    }

    /** The JSON body: {@code {"check":"backup","value":12.3,"status":"up","message":"…"}}. */
    record Push(String check, Double value, String status, String message) {}

    public void handle(Context ctx) {
        String key = IngestHandler.bearer(ctx.header("Authorization"));
        long hostId = hosts.authenticate(key).orElseThrow(() ->
                ApiException.unauthorized("unknown or revoked host key " + Tokens.prefixOf(key) + "; push with the key of a registered host"));
        byte[] body = ctx.bodyAsBytes();
        Push p = body.length == 0 ? new Push(null, null, null, null) : Json.read(json, body, Push.class);
        String check = first(ctx.queryParam("check"), p.check());
        String status = first(ctx.queryParam("status"), p.status());
        String message = first(ctx.queryParam("message"), p.message());
        Double value = p.value();
        String rawValue = ctx.queryParam("value");
        if (rawValue != null && !rawValue.isBlank()) {
            try {
                value = Double.valueOf(rawValue.strip());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("value must be a number, got '" + (rawValue.length() > 20 ? rawValue.substring(0, 20) + "…" : rawValue) + "'");
            }
        }
        ctx.json(checks.push(hostId, check, value, status, message));
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
