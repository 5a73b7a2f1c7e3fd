package dev.servmon.hub.api;

import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.cluster.HealthHandler;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.ingest.IngestHandler;
import dev.servmon.hub.install.InstallHandlers;
import dev.servmon.hub.live.LiveBus;
import dev.servmon.hub.metrics.MetricsHandlers;
import io.javalin.config.JavalinConfig;

/**
 * Every HTTP route of the hub, in one place. The UI/API port serves people; the ingest port
 * serves agents and nothing else (it never sees a session cookie, and the API port never
 * accepts a host key). Both serve the agent installer, which is public: servers can usually
 * reach only the ingest port, people browse the UI port. Both answer {@code /healthz} for load
 * balancers, without login.
 */
public final class Routes {
    private Routes() {}

    /** The UI/API port. */
    public static void api(JavalinConfig cfg, AuthHandlers auth, HostHandlers hosts, MetricsHandlers metrics, LiveBus live,
            InstallHandlers install, HealthHandler health) {
        var r = cfg.routes;
        r.get("/healthz", health::handle);
        r.before("/api/v1/*", auth::gate);

        r.post("/api/v1/session", auth::login);
        r.get("/api/v1/session", auth::current);
        r.delete("/api/v1/session", auth::logout);

        r.get("/api/v1/hosts", hosts::list);
        r.post("/api/v1/hosts", hosts::create);
        r.get("/api/v1/hosts/{id}", hosts::get);
        r.patch("/api/v1/hosts/{id}", hosts::update);
        r.delete("/api/v1/hosts/{id}", hosts::delete);

        r.get("/api/v1/metrics", metrics::catalog);
        r.get("/api/v1/hosts/{id}/series", metrics::series);
        r.get("/api/v1/hosts/{id}/metrics", metrics::metrics);
        r.get("/api/v1/hosts/{id}/history", metrics::history);

        r.before("/api/v1/events", LiveBus::requireEventStream);
        r.sse("/api/v1/events", live::join);

        install(cfg, install);
    }

    /** The ingest port. */
    public static void ingest(JavalinConfig cfg, IngestHandler ingest, InstallHandlers install, HealthHandler health) {
        cfg.routes.get("/healthz", health::handle);
        cfg.routes.post("/api/v1/ingest", ingest::handle);
        install(cfg, install);
    }

    /** Both ports: the install script and the jar it downloads, no login. */
    private static void install(JavalinConfig cfg, InstallHandlers install) {
        cfg.routes.get(InstallHandlers.SCRIPT_PATH, install::script);
        cfg.routes.get(InstallHandlers.JAR_PATH, install::jar);
    }
}
