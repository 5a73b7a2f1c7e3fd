package dev.servmon.hub.api;

import dev.servmon.hub.alerts.Alerts;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.checks.CheckHandlers;
import dev.servmon.hub.checks.PushHandler;
import dev.servmon.hub.checks.StatusPage;
import dev.servmon.hub.audit.AuditHandlers;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.auth.TokenHandlers;
import dev.servmon.hub.auth.UserHandlers;
import dev.servmon.hub.cluster.HealthHandler;
import dev.servmon.hub.control.AgentChannelHandlers;
import dev.servmon.hub.control.HistoryHandlers;
import dev.servmon.hub.power.PowerHandlers;
import dev.servmon.hub.power.PowerPolicy;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.ingest.IngestHandler;
import dev.servmon.hub.install.InstallHandlers;
import dev.servmon.hub.live.LiveBus;
import dev.servmon.hub.metrics.MetricsHandlers;
import dev.servmon.hub.programs.ProgramHandlers;
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
    /** The feature handlers beyond hosts and accounts, grouped to keep {@link #api}'s parameter list readable. */
    public record Features(Alerts alerts, ProgramHandlers programs, CheckHandlers checks, StatusPage status, HistoryHandlers commands,
            PowerHandlers power, TwoFactorHandlers twoFactor, RequestLimits limits, PowerPolicy policy) {}

    public static RouteTable api(JavalinConfig cfg, AuthHandlers auth, UserHandlers users, TokenHandlers tokens, AuditHandlers audit,
            HostHandlers hosts, MetricsHandlers metrics, LiveBus live, InstallHandlers install, HealthHandler health, Features features) {
        var alerts = features.alerts();
        var programs = features.programs();
        var checks = features.checks();
        var status = features.status();
        var commands = features.commands();
        var power = features.power();
        var twoFactor = features.twoFactor();
        var limits = features.limits();
        var r = new RouteTable(cfg);
        cfg.routes.before("/api/v1/*", auth::gate);
        // Security edge: per-principal rate limit, then required two-factor enrolment.
        cfg.routes.before("/api/v1/*", limits::api);
        cfg.routes.before("/api/v1/*", twoFactor::enrolmentGate);
        // Accounts: a scoped user reaches only hosts with one of their tags, on every host route
        // (404 otherwise); every state-changing request is audited, whatever its route.
        cfg.routes.before("/api/v1/hosts/{id}", hosts.scope()::check);
        cfg.routes.before("/api/v1/hosts/{id}/*", hosts.scope()::check);
        cfg.routes.after("/api/v1/*", ctx -> audit.afterRequest(ctx, r));
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

        // Programs supervised by agents (docs/programs.md). The output's tail may hold secrets: operators only.
        r.get("/api/v1/hosts/{id}/programs", Role.VIEWER, programs::list);
        r.post("/api/v1/hosts/{id}/programs", Role.OPERATOR, programs::create);
        r.get("/api/v1/hosts/{id}/programs/{pid}", Role.VIEWER, programs::get);
        r.put("/api/v1/hosts/{id}/programs/{pid}", Role.OPERATOR, programs::update);
        r.delete("/api/v1/hosts/{id}/programs/{pid}", Role.OPERATOR, programs::delete);
        r.post("/api/v1/hosts/{id}/programs/{pid}/start", Role.OPERATOR, programs::start);
        r.post("/api/v1/hosts/{id}/programs/{pid}/stop", Role.OPERATOR, programs::stop);
        r.post("/api/v1/hosts/{id}/programs/{pid}/restart", Role.OPERATOR, programs::restart);
        r.get("/api/v1/hosts/{id}/programs/{pid}/history", Role.VIEWER, programs::history);
        r.get("/api/v1/hosts/{id}/programs/{pid}/events", Role.VIEWER, programs::events);
        r.get("/api/v1/hosts/{id}/programs/{pid}/log", Role.OPERATOR, programs::log);

        r.sse("/api/v1/events", Role.VIEWER, LiveBus::requireEventStream, c -> live.join(c, AuthHandlers.principal(c.ctx()).scope()));

        // Accounts (issue 7): users, own password, API tokens, audit log, host keys.
        r.get("/api/v1/users", Role.ADMIN, users::list);
        r.post("/api/v1/users", Role.ADMIN, users::create);
        r.get("/api/v1/users/{id}", Role.ADMIN, users::get);
        r.patch("/api/v1/users/{id}", Role.ADMIN, users::update);
        r.delete("/api/v1/users/{id}", Role.ADMIN, users::delete);
        r.post("/api/v1/session/password", Role.VIEWER, users::changeOwnPassword);
        r.get("/api/v1/tokens", Role.VIEWER, tokens::list);
        r.post("/api/v1/tokens", Role.VIEWER, tokens::create);
        r.delete("/api/v1/tokens/{id}", Role.VIEWER, tokens::revoke);
        r.get("/api/v1/audit", Role.ADMIN, audit::list);
        r.post("/api/v1/hosts/{id}/key", Role.OPERATOR, hosts::rotateKey);

        alerts(r, alerts);
        // Health checks (issue 8, docs/checks.md) and the public status page.
        r.get("/api/v1/checks", Role.VIEWER, checks::list);
        r.post("/api/v1/checks", Role.OPERATOR, checks::create);
        r.get("/api/v1/checks/{id}", Role.VIEWER, checks::get);
        r.put("/api/v1/checks/{id}", Role.OPERATOR, checks::update);
        r.delete("/api/v1/checks/{id}", Role.OPERATOR, checks::delete);
        r.post("/api/v1/checks/{id}/run", Role.OPERATOR, checks::run);
        r.get("/api/v1/checks/{id}/results", Role.VIEWER, checks::results);
        r.get("/api/v1/hosts/{id}/public", Role.VIEWER, checks::hostPublic);
        r.put("/api/v1/hosts/{id}/public", Role.OPERATOR, checks::setHostPublic);
        r.open(HandlerType.GET, "/status", status::html);
        r.open(HandlerType.GET, "/api/v1/status", status::json);

        // Command channel and power (docs/control.md)
        r.get("/api/v1/hosts/{id}/commands", Role.VIEWER, commands::list);
        r.get("/api/v1/commands/{id}", Role.VIEWER, commands::get);
        r.post("/api/v1/hosts/{id}/power", Role.OPERATOR, power::power);
        r.post("/api/v1/hosts/{id}/wake", Role.OPERATOR, power::wake);
        r.get("/api/v1/hosts/{id}/wol", Role.VIEWER, power::getWol);
        r.put("/api/v1/hosts/{id}/wol", Role.OPERATOR, power::putWol);
        r.get("/api/v1/power/wakeable", Role.VIEWER, power::wakeable);
        powerPolicy(r, features.policy());

        install(r, install);
        return r;
    }

    /** Power policy (issue 5, docs/control.md "Schedules", "Idle policy", "Energy"): viewers read, operators change. */
    private static void powerPolicy(RouteTable r, PowerPolicy policy) {
        var schedules = policy.schedules();
        r.get("/api/v1/power/schedules", Role.VIEWER, schedules::list);
        r.post("/api/v1/power/schedules", Role.OPERATOR, schedules::create);
        r.put("/api/v1/power/schedules/{id}", Role.OPERATOR, schedules::update);
        r.delete("/api/v1/power/schedules/{id}", Role.OPERATOR, schedules::delete);
        r.get("/api/v1/hosts/{id}/power-decisions", Role.VIEWER, policy.decisions()::list);
        r.get("/api/v1/hosts/{id}/idle-policy", Role.VIEWER, policy.idle()::get);
        r.put("/api/v1/hosts/{id}/idle-policy", Role.OPERATOR, policy.idle()::put);
        r.get("/api/v1/energy", Role.VIEWER, policy.energy()::get);
        r.put("/api/v1/hosts/{id}/energy", Role.OPERATOR, policy.energy()::put);
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
    public static RouteTable ingest(JavalinConfig cfg, IngestHandler ingest, InstallHandlers install, HealthHandler health,
            PushHandler push, AgentChannelHandlers agents, RequestLimits limits) {
        var r = new RouteTable(cfg);
        r.open(HandlerType.GET, "/healthz", health::handle);
        r.open(HandlerType.POST, "/api/v1/ingest", limits.ingest(ingest::handle));
        // Push checks (docs/checks.md): authenticated by host key inside the handler, like ingest.
        r.open(HandlerType.POST, "/api/v1/push", limits.ingest(push::handle));
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
        r.open(HandlerType.GET, InstallHandlers.CA_PATH, install::ca);
    }
}
