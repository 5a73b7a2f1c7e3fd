package dev.servmon.hub.api;

import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.cluster.HealthHandler;
import dev.servmon.hub.control.AgentChannelHandlers;
import dev.servmon.hub.control.HistoryHandlers;
import dev.servmon.hub.power.PowerHandlers;
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
            InstallHandlers install, HealthHandler health, HistoryHandlers commands, PowerHandlers power) {
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

        // Command channel and power (docs/control.md)
        r.get("/api/v1/hosts/{id}/commands", Role.VIEWER, commands::list);
        r.get("/api/v1/commands/{id}", Role.VIEWER, commands::get);
        r.post("/api/v1/hosts/{id}/power", Role.OPERATOR, power::power);
        r.post("/api/v1/hosts/{id}/wake", Role.OPERATOR, power::wake);
        r.get("/api/v1/hosts/{id}/wol", Role.VIEWER, power::getWol);
        r.put("/api/v1/hosts/{id}/wol", Role.OPERATOR, power::putWol);
        r.get("/api/v1/power/wakeable", Role.VIEWER, power::wakeable);

        install(r, install);
        return r;
    }

    /** The ingest port: agents only, authenticated by host key inside the handlers. */
    public static RouteTable ingest(JavalinConfig cfg, IngestHandler ingest, InstallHandlers install, HealthHandler health,
                                    AgentChannelHandlers agents) {
        var r = new RouteTable(cfg);
        r.open(HandlerType.GET, "/healthz", health::handle);
        r.open(HandlerType.POST, "/api/v1/ingest", ingest::handle);
        // Command channel: WebSocket, or long polls where proxies block WebSockets (docs/control.md)
        r.openWebSocket(AgentChannelHandlers.WS_PATH, agents::beforeUpgrade, agents::socket);
        r.open(HandlerType.POST, AgentChannelHandlers.POLL_PATH, agents::poll);
        r.open(HandlerType.POST, AgentChannelHandlers.RESULTS_PATH, agents::results);
        install(r, install);
        return r;
    }

    /** Both ports: the install script and the jar it downloads, no login. */
    private static void install(RouteTable r, InstallHandlers install) {
        r.open(HandlerType.GET, InstallHandlers.SCRIPT_PATH, install::script);
        r.open(HandlerType.GET, InstallHandlers.JAR_PATH, install::jar);
    }
}
