package dev.servmon.hub.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.IngestUrls;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.audit.AuditHandlers;
import dev.servmon.hub.audit.AuditLog;
import dev.servmon.hub.install.InstallHandlers;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in, sign-out, and the gate every API request passes: an API token ({@code Authorization:
 * Bearer smt_…}), or a session cookie with the CSRF token on state-changing requests.
 */
public final class AuthHandlers {
    private static final Logger log = LoggerFactory.getLogger(AuthHandlers.class);
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String SESSION_ATTRIBUTE = "servmon.session";
    private static final String PRINCIPAL_ATTRIBUTE = "servmon.principal";
    private static final String BAD_TOKEN_ATTRIBUTE = "servmon.bad-token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private static final String BEARER = "Bearer ";

    private final Users users;
    private final Sessions sessions;
    private final ApiTokens tokens;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final boolean secureCookies;
    private final IngestUrls ingestUrls;
    private final boolean installable;
    private final LoginThrottle throttle;
    private final TwoFactorHandlers twoFactor;

    /**
     * @param secureCookies mark the session cookie {@code Secure} (the hub serves TLS)
     * @param installable true when the hub serves the agent installer, so the dashboard may offer the one-line install
     * @param throttle slows down password guessing
     * @param twoFactor the second sign-in step for users with two-factor sign-in
     */
    public AuthHandlers(Users users, Sessions sessions, ApiTokens tokens, AuditLog audit, ObjectMapper json, boolean secureCookies,
                        IngestUrls ingestUrls, boolean installable, LoginThrottle throttle, TwoFactorHandlers twoFactor) {
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
        this.audit = audit;
        this.json = json;
        this.secureCookies = secureCookies;
        this.ingestUrls = ingestUrls;
        this.installable = installable;
        this.throttle = throttle;
        this.twoFactor = twoFactor;
    }

    /** The sign-in body; {@code code} or {@code recoveryCode} only for users with two-factor sign-in. */
    record Credentials(String username, String password, String code, String recoveryCode) {}

    /**
     * Who is signed in, the token for state-changing requests (null for an API token, which
     * needs none), where agents report, and the install script's URL (null when the hub has no
     * agent jar to serve) with the curl options to fetch it (they pin a self-signed hub's key).
     * {@code role} is the effective role; {@code scope} the host tags the caller is limited to
     * (empty: all hosts).
     */
    record SessionInfo(long userId, String username, String role, String csrfToken, String ingestUrl, String installScriptUrl,
                       java.util.List<String> scope, Long tokenId, String installCurlFlags) {}

    private SessionInfo info(Principal p, String csrfToken, Context ctx) {
        String ingestUrl = ingestUrls.forRequest(ctx);
        return new SessionInfo(p.user().id(), p.user().username(), p.role().label(), csrfToken, ingestUrl,
                installable ? ingestUrl + InstallHandlers.SCRIPT_PATH : null, java.util.List.copyOf(new java.util.TreeSet<>(p.scope())),
                p.tokenId(), ingestUrls.curlFlags().strip());
    }

    /** {@code POST /api/v1/session}. */
    public void login(Context ctx) {
        var creds = Json.read(json, ctx.bodyAsBytes(), Credentials.class);
        if (creds.username() == null || creds.username().isBlank() || creds.password() == null) {
            throw ApiException.badRequest("username and password are required");
        }
        throttle.check(ctx.ip(), creds.username());
        var user = users.authenticate(creds.username(), creds.password());
        String tried = creds.username().length() > 64 ? creds.username().substring(0, 64) : creds.username();
        AuditHandlers.recorded(ctx);
        if (user.isEmpty()) {
            throttle.failed(ctx.ip(), creds.username());
            log.info("login failed username={} ip={}", tried, ctx.ip());
            audit.record(null, tried, null, LOGIN_ACTION, "username=" + tried, ctx.ip(), 401);
            throw ApiException.unauthorized("wrong username or password");
        }
        try {
            twoFactor.secondStep(ctx, user.get(), creds.code(), creds.recoveryCode());
        } catch (ApiException e) {
            // Right password, second factor missing or wrong: audited like any failed sign-in.
            audit.record(user.get().id(), user.get().username(), null, LOGIN_ACTION, "username=" + tried + " second factor", ctx.ip(),
                    e.status());
            throw e;
        }
        // A fresh id at every login; any session the browser brought is ended (no fixation).
        sessions.find(ctx.cookie(Sessions.COOKIE)).ifPresent(old -> sessions.delete(old.idHash()));
        var created = sessions.create(user.get());
        ctx.header("Set-Cookie", cookie(created.cookieValue(), -1));
        log.info("login ok username={} ip={}", user.get().username(), ctx.ip());
        audit.record(user.get().id(), user.get().username(), null, LOGIN_ACTION, "username=" + tried, ctx.ip(), 200);
        ctx.json(info(principalOf(created.session()), created.session().csrfToken(), ctx));
    }

    /** The audit action of a sign-in (the route, like every other record). */
    public static final String LOGIN_ACTION = "POST /api/v1/session";

    /** {@code GET /api/v1/session}: who is calling, with a session or an API token. */
    public void current(Context ctx) {
        Sessions.Session s = ctx.attribute(SESSION_ATTRIBUTE);
        ctx.json(info(principal(ctx), s == null ? null : s.csrfToken(), ctx));
    }

    /** {@code DELETE /api/v1/session}: signs out (a session only; a token is revoked instead). */
    public void logout(Context ctx) {
        sessions.delete(session(ctx).idHash());
        ctx.header("Set-Cookie", cookie("", 0));
        ctx.status(204);
    }

    /**
     * Runs before every {@code /api/v1/*} route of the UI/API port: finds out who is calling
     * (session cookie) and checks the CSRF token on state-changing requests made with a
     * session. It does not refuse anonymous callers itself: each route declares its role in
     * {@link dev.servmon.hub.api.RouteTable} and {@link #require} refuses there, so public
     * routes (sign-in) need no exceptions here.
     */
    public void gate(Context ctx) {
        String method = ctx.method().name();
        if (ctx.path().equals("/api/v1/session") && method.equals("POST")) {
            return;
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            // A token wins over a cookie sent with it; a bad one is refused (by require(), so public
            // routes stay public), never passed over for the cookie.
            String secret = authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    ? authorization.substring(BEARER.length()).strip() : null;
            tokens.authenticate(secret).ifPresentOrElse(p -> ctx.attribute(PRINCIPAL_ATTRIBUTE, p),
                    () -> ctx.attribute(BAD_TOKEN_ATTRIBUTE, Boolean.TRUE));
            return;
        }
        var session = sessions.find(ctx.cookie(Sessions.COOKIE));
        if (session.isEmpty()) {
            return;
        }
        // Known before the CSRF check, so a refused request is audited under the user it was aimed at.
        ctx.attribute(PRINCIPAL_ATTRIBUTE, principalOf(session.get()));
        if (!SAFE_METHODS.contains(method) && !Tokens.same(ctx.header(CSRF_HEADER), session.get().csrfToken())) {
            throw new ApiException(403, "missing or wrong " + CSRF_HEADER + " header; reload the page");
        }
        ctx.attribute(SESSION_ATTRIBUTE, session.get());
    }

    private static Principal principalOf(Sessions.Session s) {
        return new Principal(s.user(), Role.of(s.user().role()), null);
    }

    /**
     * Lets the request through when its caller has at least {@code role}: 401 for nobody,
     * 403 for a role too low.
     */
    public static void require(Context ctx, Role role) {
        Principal p = ctx.attribute(PRINCIPAL_ATTRIBUTE);
        if (p == null && Boolean.TRUE.equals(ctx.attribute(BAD_TOKEN_ATTRIBUTE))) {
            throw new ApiException(401,
                    "unknown, revoked or expired API token (send 'Authorization: Bearer smt_…'; host keys only work on the ingest port)",
                    challenge());
        }
        if (p == null) {
            throw ApiException.unauthorized("sign in first");
        }
        if (!p.role().atLeast(role)) {
            throw new ApiException(403, "this needs the " + role.label() + " role; you have " + p.role().label());
        }
    }

    /** Who the gate let in, if anyone (no exception: for filters that treat everyone). */
    public static Optional<Principal> caller(Context ctx) {
        return Optional.ofNullable(ctx.attribute(PRINCIPAL_ATTRIBUTE));
    }

    /** Who the gate let in. */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL_ATTRIBUTE);
        if (p == null) {
            throw ApiException.unauthorized("sign in first");
        }
        return p;
    }

    /** Who the gate let in, or null for an anonymous request. */
    public static Principal callerOrNull(Context ctx) {
        return ctx.attribute(PRINCIPAL_ATTRIBUTE);
    }

    /**
     * The session the gate let in: 401 for nobody, 403 for an API token (what only a person at
     * a browser may do: sign out, change their password, create tokens).
     */
    public static Sessions.Session session(Context ctx) {
        Sessions.Session s = ctx.attribute(SESSION_ATTRIBUTE);
        if (s == null) {
            if (callerOrNull(ctx) != null) {
                throw new ApiException(403, "this needs a signed-in session, not an API token");
            }
            throw ApiException.unauthorized("sign in first");
        }
        return s;
    }

    private String cookie(String value, int maxAgeSeconds) {
        StringBuilder sb = new StringBuilder(Sessions.COOKIE).append('=').append(value)
                .append("; Path=/; HttpOnly; SameSite=Lax");
        if (maxAgeSeconds >= 0) {
            sb.append("; Max-Age=").append(maxAgeSeconds);
        }
        if (secureCookies) {
            sb.append("; Secure");
        }
        return sb.toString();
    }

    /** Headers for a 401 so API clients know how to authenticate. */
    public static Map<String, String> challenge() {
        return Map.of("WWW-Authenticate", "Bearer realm=\"servmon\"");
    }
}
