package dev.servmon.hub.api;

import dev.servmon.hub.alerts.Alerts;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.cluster.HealthHandler;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.ingest.IngestHandler;
import dev.servmon.hub.install.InstallHandlers;
import dev.servmon.hub.live.LiveBus;
import dev.servmon.hub.metrics.MetricsHandlers;
import dev.servmon.hub.auth.Role;
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
            InstallHandlers install, HealthHandler health, Alerts alerts) {
        var r = new RouteTable(cfg);
        cfg.routes.before("/api/v1/*", auth::gate);
        r.open(HandlerType.GET, "/healthz", health::handle);

        r.open(HandlerType.POST, "/api/v1/session", auth::login);
        r.get("/api/v1/session", Role.VIEWER, auth::current);
        r.delete("/api/v1/session", Role.VIEWER, auth::logout);

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

        alerts(r, alerts);

        install(r, install);
        return r;
    }

    /** Alerts and notifiers (docs/alerts.md): viewers read, operators change. */
    private static void alerts(RouteTable r, Alerts alerts) {
        var rules = alerts.rules();
        r.get("/api/v1/alert-rules", Role.VIEWER, rules::list);
        r.post("/api/v1/alert-rules", Role.OPERATOR, rules::create);
        r.get("/api/v1/alert-rules/{id}", Role.VIEWER, rules::get);
        r.put("/api/v1/alert-rules/{id}", Role.OPERATOR, rules::update);
        r.delete("/api/v1/alert-rules/{id}", Role.OPERATOR, rules::delete);
        r.get("/api/v1/alert-metrics", Role.VIEWER, rules::metrics);

        var a = alerts.alerts();
        r.get("/api/v1/alerts", Role.VIEWER, a::list);
        r.get("/api/v1/alerts/summary", Role.VIEWER, a::summary);
        r.get("/api/v1/alerts/{id}", Role.VIEWER, a::get);
        r.post("/api/v1/alerts/{id}/ack", Role.OPERATOR, a::ack);
        r.get("/api/v1/silences", Role.VIEWER, a::silences);
        r.post("/api/v1/silences", Role.OPERATOR, a::createSilence);
        r.delete("/api/v1/silences/{id}", Role.OPERATOR, a::deleteSilence);
        r.get("/api/v1/hosts/{id}/dependencies", Role.VIEWER, a::dependencies);
        r.put("/api/v1/hosts/{id}/dependencies", Role.OPERATOR, a::setDependencies);

        var m = alerts.maintenance();
        r.get("/api/v1/maintenance-windows", Role.VIEWER, m::list);
        r.post("/api/v1/maintenance-windows", Role.OPERATOR, m::create);
        r.put("/api/v1/maintenance-windows/{id}", Role.OPERATOR, m::update);
        r.delete("/api/v1/maintenance-windows/{id}", Role.OPERATOR, m::delete);

        var n = alerts.notifiers();
        r.get("/api/v1/notifiers", Role.VIEWER, n::list);
        r.post("/api/v1/notifiers", Role.OPERATOR, n::create);
        r.get("/api/v1/notifiers/{id}", Role.VIEWER, n::get);
        r.put("/api/v1/notifiers/{id}", Role.OPERATOR, n::update);
        r.delete("/api/v1/notifiers/{id}", Role.OPERATOR, n::delete);
        r.post("/api/v1/notifiers/{id}/test", Role.OPERATOR, n::test);
        r.get("/api/v1/notifiers/{id}/deliveries", Role.VIEWER, n::deliveries);
    }

    /** The ingest port: agents only, authenticated by host key inside the handlers. */
    public static RouteTable ingest(JavalinConfig cfg, IngestHandler ingest, InstallHandlers install, HealthHandler health) {
        var r = new RouteTable(cfg);
        r.open(HandlerType.GET, "/healthz", health::handle);
        r.open(HandlerType.POST, "/api/v1/ingest", ingest::handle);
        install(r, install);
        return r;
    }

    /** Both ports: the install script and the jar it downloads, no login. */
    private static void install(RouteTable r, InstallHandlers install) {
        r.open(HandlerType.GET, InstallHandlers.SCRIPT_PATH, install::script);
        r.open(HandlerType.GET, InstallHandlers.JAR_PATH, install::jar);
    }
}
