package dev.servmon.hub.api;

import io.javalin.http.Context;

/** The {@code {id}} path parameter of a route as a positive id (pure; a bad one is a 400 naming the kind of id). */
public final class PathIds {
    private PathIds() {}

    /** The {@code {id}} path parameter as an id of a {@code what} ("host", "user", "token"); 400 when it is not a positive integer. */
    public static long of(Context ctx, String what) {
        return parse(ctx.pathParam("id"), what);
    }

    static long parse(String raw, String what) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // fall through to the 400 below
        }
        throw ApiException.badRequest(what + " id must be a positive integer, got '" + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw) + "'");
    }
}
