package dev.servmon.hub.audit;

import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.RouteTable;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.auth.Principal;
import dev.servmon.hub.metrics.QueryParams;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/audit}, and the after-handler that records every state-changing API
 * request by itself, so a new route is audited without anyone remembering to: method and route
 * template as the action, path parameters (or what the handler named with {@link #target}) as
 * the target, the caller, the source address and the final status.
 */
public final class AuditHandlers {
    private static final String TARGET_ATTRIBUTE = "servmon.audit.target";
    private static final String RECORDED_ATTRIBUTE = "servmon.audit.recorded";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final AuditLog audit;
    private final Clock clock;

    public AuditHandlers(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** Names what a request acted on, for its audit record (e.g. {@code user 7 alice}), instead of its path parameters. */
    public static void target(Context ctx, String target) {
        ctx.attribute(TARGET_ATTRIBUTE, target);
    }

    /** Says the request's handler wrote its own audit record (sign-in), so the after-handler does not add another. */
    public static void recorded(Context ctx) {
        ctx.attribute(RECORDED_ATTRIBUTE, Boolean.TRUE);
    }

    /** {@code GET /api/v1/audit?user=&action=&target=&from=&to=&page=&size=}: newest first. */
    public void list(Context ctx) {
        // Either bound may be left out: no lower or upper limit (so records of this very millisecond show).
        long now = clock.millis();
        Long fromMs = blank(ctx.queryParam("from")) ? null : QueryParams.time("from", ctx.queryParam("from"), now);
        Long toMs = blank(ctx.queryParam("to")) ? null : QueryParams.time("to", ctx.queryParam("to"), now);
        if (fromMs != null && toMs != null && fromMs >= toMs) {
            throw ApiException.badRequest("from must be before to, got from=" + fromMs + " to=" + toMs);
        }
        var filter = new AuditLog.Filter(param(ctx, "user"), param(ctx, "action"), param(ctx, "target"), fromMs, toMs);
        int page = QueryParams.integer("page", ctx.queryParam("page"), 0, 0, 1_000_000);
        int size = QueryParams.integer("size", ctx.queryParam("size"), 50, 1, AuditLog.MAX_PAGE_SIZE);
        ctx.json(audit.query(filter, page, size));
    }

    /** After every {@code /api/v1/*} request of the API port: records it unless it only read. */
    public void afterRequest(Context ctx, RouteTable routes) {
        String method = ctx.method().name();
        if (SAFE_METHODS.contains(method) || Boolean.TRUE.equals(ctx.attribute(RECORDED_ATTRIBUTE))) {
            return;
        }
        String path = ctx.path();
        var match = routes.match(method, path);
        String action = method + " " + match.map(m -> m.entry().path()).orElse(path);
        String target = ctx.attribute(TARGET_ATTRIBUTE);
        if (target == null) {
            target = match.map(m -> params(m.pathParams())).orElse(null);
        }
        Principal who = AuthHandlers.callerOrNull(ctx);
        audit.record(who, action, target, ctx.ip(), ctx.statusCode());
    }

    private static String params(Map<String, String> params) {
        return params.isEmpty() ? null : params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return blank(v) ? null : v.strip();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
