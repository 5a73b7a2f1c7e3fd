package dev.servmon.hub.api;

import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.ingest.IngestHandler;
import dev.servmon.hub.live.LiveBus;
import dev.servmon.hub.metrics.MetricsHandlers;
import io.javalin.config.JavalinConfig;

/**
 * Every HTTP route of the hub, in one place. The UI/API port serves people; the ingest port
 * serves agents and nothing else (it never sees a session cookie, and the API port never
 * accepts a host key).
 */
public final class Routes {
    private Routes() {}

    /** The UI/API port. */
    public static void api(JavalinConfig cfg, AuthHandlers auth, HostHandlers hosts, MetricsHandlers metrics, LiveBus live) {
        var r = cfg.routes;
        r.before("/api/v1/*", auth::gate);

        r.post("/api/v1/session", auth::login);
        r.get("/api/v1/session", auth::current);
        r.delete("/api/v1/session", auth::logout);

        r.get("/api/v1/hosts", hosts::list);
        r.post("/api/v1/hosts", hosts::create);
        r.get("/api/v1/hosts/{id}", hosts::get);
        r.delete("/api/v1/hosts/{id}", hosts::delete);

        r.get("/api/v1/metrics", metrics::catalog);
        r.get("/api/v1/hosts/{id}/series", metrics::series);
        r.get("/api/v1/hosts/{id}/metrics", metrics::metrics);
        r.get("/api/v1/hosts/{id}/history", metrics::history);

        r.before("/api/v1/events", LiveBus::requireEventStream);
        r.sse("/api/v1/events", live::join);
    }

    /** The ingest port. */
    public static void ingest(JavalinConfig cfg, IngestHandler ingest) {
        cfg.routes.post("/api/v1/ingest", ingest::handle);
    }
}
