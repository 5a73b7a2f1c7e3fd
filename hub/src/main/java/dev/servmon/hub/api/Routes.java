package dev.servmon.hub.api;

import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.cluster.HealthHandler;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.ingest.IngestHandler;
import dev.servmon.hub.install.InstallHandlers;
import dev.servmon.hub.live.LiveBus;
import dev.servmon.hub.metrics.MetricsHandlers;
import dev.servmon.hub.auth.Role;
import dev.servmon.hub.auth.TwoFactorHandlers;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;

/**
 * Every HTTP route of the hub, in one place. The UI/API port serves people; the ingest port
 * serves agents and nothing else (it never sees a session cookie, and the API port never
 * accepts a host key). Both serve the agent installer, which is public: servers can usually
 * reach only the ingest port, people browse the UI port. Both answer {@code /healthz} for load
 * balancers, without login.
 */
public final class Routes {
    private Routes() {}

    /**
     * The UI/API port. Every route declares the least role that may call it; the returned table
     * is what the authorization-matrix test walks.
     */
    public static RouteTable api(JavalinConfig cfg, AuthHandlers auth, HostHandlers hosts, MetricsHandlers metrics, LiveBus live,
            InstallHandlers install, HealthHandler health, TwoFactorHandlers twoFactor, RequestLimits limits) {
        var r = new RouteTable(cfg);
        cfg.routes.before("/api/v1/*", auth::gate);
        // Security edge: per-principal rate limit, then required two-factor enrolment.
        cfg.routes.before("/api/v1/*", limits::api);
        cfg.routes.before("/api/v1/*", twoFactor::enrolmentGate);
        r.open(HandlerType.GET, "/healthz", health::handle);

        r.open(HandlerType.POST, "/api/v1/session", auth::login);
        r.get("/api/v1/session", Role.VIEWER, auth::current);
        r.delete("/api/v1/session", Role.VIEWER, auth::logout);

        // Two-factor sign-in of the signed-in user.
        r.get("/api/v1/session/totp", Role.VIEWER, twoFactor::status);
        r.post("/api/v1/session/totp", Role.VIEWER, twoFactor::begin);
        r.post("/api/v1/session/totp/confirm", Role.VIEWER, twoFactor::confirm);
        r.delete("/api/v1/session/totp", Role.VIEWER, twoFactor::disable);

        r.get("/api/v1/hosts", Role.VIEWER, hosts::list);
        r.post("/api/v1/hosts", Role.OPERATOR, hosts::create);
        r.get("/api/v1/hosts/{id}", Role.VIEWER, hosts::get);
        r.patch("/api/v1/hosts/{id}", Role.OPERATOR, hosts::update);
        r.delete("/api/v1/hosts/{id}", Role.OPERATOR, hosts::delete);

        r.get("/api/v1/metrics", Role.VIEWER, metrics::catalog);
        r.get("/api/v1/hosts/{id}/series", Role.VIEWER, metrics::series);
        r.get("/api/v1/hosts/{id}/metrics", Role.VIEWER, metrics::metrics);
        r.get("/api/v1/hosts/{id}/history", Role.VIEWER, metrics::history);

        r.sse("/api/v1/events", Role.VIEWER, LiveBus::requireEventStream, live::join);

        install(r, install);
        return r;
    }

    /** The ingest port: agents only, authenticated by host key inside the handlers. */
    public static RouteTable ingest(JavalinConfig cfg, IngestHandler ingest, InstallHandlers install, HealthHandler health,
            RequestLimits limits) {
        var r = new RouteTable(cfg);
        r.open(HandlerType.GET, "/healthz", health::handle);
        r.open(HandlerType.POST, "/api/v1/ingest", limits.ingest(ingest::handle));
        install(r, install);
        return r;
    }

    /** Both ports: the install script and the jar it downloads, no login. */
    private static void install(RouteTable r, InstallHandlers install) {
        r.open(HandlerType.GET, InstallHandlers.SCRIPT_PATH, install::script);
        r.open(HandlerType.GET, InstallHandlers.JAR_PATH, install::jar);
        r.open(HandlerType.GET, InstallHandlers.CA_PATH, install::ca);
    }
}
