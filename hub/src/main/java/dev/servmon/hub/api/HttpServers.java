package dev.servmon.hub.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.tls.HubTls;
import dev.servmon.hub.web.DashboardFiles;
import dev.servmon.protocol.Problem;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the two Javalin servers with the settings every servmon port shares. */
public final class HttpServers {
    private static final Logger log = LoggerFactory.getLogger(HttpServers.class);
    /** Content-Security-Policy of the dashboard: nothing inline, nothing from elsewhere. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private HttpServers() {}

    /**
     * A server with problem-JSON errors, security headers and a request body limit, over TLS when
     * {@code tls} is given: its only connector speaks TLS on {@code host:port} and every answer
     * carries HSTS.
     *
     * @param dashboard the dashboard's files to serve where no route matches, or null for none
     */
    public static Javalin create(String name, ObjectMapper json, long maxRequestBytes, DashboardFiles dashboard,
                                 HubTls tls, String host, int port, Consumer<JavalinConfig> routes) {
        Map<String, String> securityHeaders = securityHeaders(tls != null);
        return Javalin.create(cfg -> {
            if (tls != null) {
                cfg.jetty.addConnector((server, http) -> tls.connector(server, http, host, port));
            }
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jsonMapper(new JavalinJackson(json, false));
            cfg.http.maxRequestSize = maxRequestBytes;
            cfg.http.defaultContentType = "application/json";
            cfg.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(2_000);
                server.setErrorHandler(new ProblemErrorHandler(json, securityHeaders));
            });
            if (dashboard != null) {
                // Not cfg.staticFiles: for a classpath folder in a jar it mounts the jar as a zip
                // file system (four times), copying servmon.jar's central directory into the heap.
                cfg.resourceHandler(dashboard);
            }
            cfg.routes.before(ctx -> securityHeaders.forEach(ctx::header));
            cfg.routes.exception(ApiException.class, (e, ctx) -> {
                e.headers().forEach(ctx::header);
                problem(ctx, e.status(), e.getMessage(), e.extensions());
            });
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, e.getStatus(), e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} {} failed", name, ctx.method(), ctx.path(), e);
                problem(ctx, 500, "internal error; the hub log has the details");
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty() || !isProblem(ctx)) {
                    problem(ctx, 404, "no such resource: " + ctx.method() + " " + truncate(ctx.path()));
                }
            });
            cfg.routes.error(405, ctx -> problem(ctx, 405, ctx.method() + " is not allowed on " + truncate(ctx.path())));
            cfg.routes.error(413, ctx -> {
                if (!isProblem(ctx)) {
                    problem(ctx, 413, "request body larger than " + maxRequestBytes + " bytes");
                }
            });
            routes.accept(cfg);
        });
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(Problem.MEDIA_TYPE);
    }

    /**
     * The headers on every answer of both ports: set by the routes' before-handler, and by
     * {@link ProblemErrorHandler} on the refusals Jetty answers before any route runs.
     */
    static Map<String, String> securityHeaders(boolean tls) {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        if (tls) {
            h.put("Strict-Transport-Security", HubTls.HSTS);
        }
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Content-Security-Policy", CSP);
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        return Map.copyOf(h);
    }

    public static void problem(Context ctx, int status, String detail) {
        problem(ctx, status, detail, Map.of());
    }

    /** A problem body with extension members after the standard ones. */
    public static void problem(Context ctx, int status, String detail, Map<String, Object> extensions) {
        String title = HttpStatus.forStatus(status).getMessage();
        ctx.status(status);
        if (extensions.isEmpty()) {
            ctx.json(new Problem("about:blank", title, status, detail));
        } else {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("type", "about:blank");
            body.put("title", title);
            body.put("status", status);
            body.put("detail", detail);
            body.putAll(extensions);
            ctx.json(body);
        }
        ctx.contentType(Problem.MEDIA_TYPE);
    }

    private static String truncate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
