package dev.servmon.hub.api;

import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.auth.Principal;
import dev.servmon.hub.auth.Tokens;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request-rate limits of both ports: API calls per principal, ingest reports per host key.
 * A caller over its limit gets 429 with {@code Retry-After} (whole seconds) and a problem body;
 * other callers are not affected.
 */
public final class RequestLimits {
    private static final Logger log = LoggerFactory.getLogger(RequestLimits.class);

    private final RateLimiter api;
    private final RateLimiter ingest;

    public RequestLimits(RateLimits limits) {
        this.api = limits.apiPerSecond() == 0 ? null : RateLimiter.perSecond(limits.apiPerSecond(), limits.apiBurst());
        this.ingest = limits.ingestPerSecond() == 0 ? null : RateLimiter.perSecond(limits.ingestPerSecond(), limits.ingestBurst());
    }

    /**
     * Runs after the sign-in gate on {@code /api/v1/*}: one token per request from the bucket of
     * the session's user or the API token, or of the client address for anonymous callers.
     */
    public void api(Context ctx) {
        if (api == null) {
            return;
        }
        String key = AuthHandlers.caller(ctx).map(RequestLimits::principalKey).orElseGet(() -> "ip:" + ctx.ip());
        limit(api, key, ctx, "API requests");
    }

    /** Wraps the ingest handler: one token per report from the bucket of its host key. */
    public Handler ingest(Handler handler) {
        if (ingest == null) {
            return handler;
        }
        return ctx -> {
            String auth = ctx.header("Authorization");
            // The key itself is never kept: buckets are named by its hash.
            String key = auth == null ? "ip:" + ctx.ip() : "key:" + Tokens.hash(auth);
            limit(ingest, key, ctx, "reports from this host key");
            handler.handle(ctx);
        };
    }

    private static String principalKey(Principal p) {
        return p.viaToken() ? "token:" + p.tokenId() : "user:" + p.user().id();
    }

    private static void limit(RateLimiter limiter, String key, Context ctx, String what) {
        long waitNanos = limiter.tryTake(key);
        if (waitNanos > 0) {
            long seconds = RateLimiter.retryAfterSeconds(waitNanos);
            log.debug("rate limited what={} key={} ip={} path={}", what, key.startsWith("key:") ? key.substring(0, 14) : key, ctx.ip(), ctx.path());
            throw tooMany("too many " + what + "; retry in " + seconds + " s", seconds);
        }
    }

    /** 429 with {@code Retry-After}. */
    public static ApiException tooMany(String detail, long retryAfterSeconds) {
        return new ApiException(429, detail, Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }
}
