package dev.servmon.hub.control;

import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.hosts.Hosts;
import io.javalin.http.Context;

/** The command history on the API port: a host's commands, and one command. */
public final class HistoryHandlers {
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final CommandChannel channel;
    private final Hosts hosts;

    public HistoryHandlers(CommandChannel channel, Hosts hosts) {
        this.channel = channel;
        this.hosts = hosts;
    }

    /** {@code GET /api/v1/hosts/{id}/commands?limit=50&before=<ms>}: newest first. */
    public void list(Context ctx) {
        long hostId = HostHandlers.id(ctx);
        hosts.find(hostId, false).orElseThrow(() -> ApiException.notFound("no host with id " + hostId));
        int limit = (int) number(ctx.queryParam("limit"), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        long before = number(ctx.queryParam("before"), "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        ctx.json(channel.history(hostId, before, limit));
    }

    /** {@code GET /api/v1/commands/{id}}. */
    public void get(Context ctx) {
        String id = ctx.pathParam("id");
        if (id.length() > 64) {
            throw ApiException.badRequest("a command id is at most 64 characters");
        }
        ctx.json(channel.get(id));
    }

    static long number(String raw, String name, long dflt, long min, long max) {
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        try {
            long v = Long.parseLong(raw.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the 400 below names the range
        }
        throw ApiException.badRequest(name + " must be a whole number from " + min + " to " + max + ", got '"
                + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw) + "'");
    }
}
