package dev.servmon.hub.power;

import dev.servmon.hub.hosts.HostHandlers;
import io.javalin.http.Context;

/** {@code GET /api/v1/hosts/{id}/power-decisions}: what schedules and the idle policy did to the host, and why, newest first. */
public final class DecisionHandlers {
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 200;

    private final Decisions decisions;

    public DecisionHandlers(Decisions decisions) {
        this.decisions = decisions;
    }

    public void list(Context ctx) {
        long hostId = HostHandlers.id(ctx);
        String raw = ctx.queryParam("limit");
        int limit = DEFAULT_LIMIT;
        if (raw != null) {
            try {
                limit = Math.max(1, Math.min(MAX_LIMIT, Integer.parseInt(raw)));
            } catch (NumberFormatException e) {
                throw dev.servmon.hub.api.ApiException.badRequest("limit must be a number from 1 to " + MAX_LIMIT + ", got '" + raw + "'");
            }
        }
        ctx.json(decisions.latest(hostId, limit));
    }
}
