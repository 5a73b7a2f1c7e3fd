package dev.servmon.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.alerts.Alerts;
import dev.servmon.hub.alerts.SignalBridge;
import dev.servmon.hub.alerts.TagTable;
import dev.servmon.hub.api.HttpServers;
import dev.servmon.hub.api.IngestUrls;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.api.RouteTable;
import dev.servmon.hub.api.Routes;
import dev.servmon.hub.audit.AuditHandlers;
import dev.servmon.hub.audit.AuditLog;
import dev.servmon.hub.auth.ApiTokens;
import dev.servmon.hub.api.RequestLimits;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.auth.LoginThrottle;
import dev.servmon.hub.auth.TwoFactor;
import dev.servmon.hub.auth.TwoFactorHandlers;
import dev.servmon.hub.auth.Sessions;
import dev.servmon.hub.auth.TokenHandlers;
import dev.servmon.hub.auth.UserHandlers;
import dev.servmon.hub.auth.Users;
import dev.servmon.hub.checks.CheckHandlers;
import dev.servmon.hub.checks.CheckRetention;
import dev.servmon.hub.checks.CheckScheduler;
import dev.servmon.hub.checks.CheckStore;
import dev.servmon.hub.checks.Checks;
import dev.servmon.hub.checks.PushHandler;
import dev.servmon.hub.checks.StatusPage;
import dev.servmon.hub.cluster.Broadcast;
import dev.servmon.hub.cluster.HealthHandler;
import dev.servmon.hub.cluster.Leadership;
import dev.servmon.hub.control.CommandSender;
import dev.servmon.hub.control.AgentChannelHandlers;
import dev.servmon.hub.control.CommandChannel;
import dev.servmon.hub.control.CommandStore;
import dev.servmon.hub.control.HistoryHandlers;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.hosts.HostStore;
import dev.servmon.hub.hosts.HostTags;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.hosts.Liveness;
import dev.servmon.hub.ingest.IngestHandler;
import dev.servmon.hub.ingest.SampleWriter;
import dev.servmon.hub.install.AgentJar;
import dev.servmon.hub.install.InstallHandlers;
import dev.servmon.hub.live.HostUpdates;
import dev.servmon.hub.live.LiveBus;
import dev.servmon.hub.metrics.HistoryQuery;
import dev.servmon.hub.metrics.Maintenance;
import dev.servmon.hub.metrics.MetricsHandlers;
import dev.servmon.hub.metrics.MetricsQuery;
import dev.servmon.hub.metrics.RawTier;
import dev.servmon.hub.metrics.Rollups;
import dev.servmon.hub.programs.CommandResults;
import dev.servmon.hub.programs.ProgramFeed;
import dev.servmon.hub.programs.ProgramHandlers;
import dev.servmon.hub.programs.ProgramReconciler;
import dev.servmon.hub.programs.ProgramStore;
import dev.servmon.hub.power.PowerHandlers;
import dev.servmon.hub.power.PowerPolicy;
import dev.servmon.hub.power.PowerStore;
import dev.servmon.hub.power.Wakes;
import dev.servmon.hub.storage.Database;
import dev.servmon.hub.tls.HubTls;
import dev.servmon.hub.web.DashboardFiles;
import dev.servmon.protocol.BuildVersion;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running hub: storage, the UI/API server, the ingest server and the background tasks.
 * {@link #start} wires everything with plain constructors; {@link #close} stops it in order
 * (stop taking requests, flush the writer, close the database). Several hubs may share one
 * PostgreSQL database (docs/scaling.md): one of them, the leader, runs the maintenance, and
 * changes to hosts reach the browsers of all of them.
 */
public final class Hub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    private static final long API_MAX_BODY_BYTES = 64 * 1024;
    private static final long INGEST_MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final int WRITE_QUEUE_BATCHES = 2_048;
    /** Checks that may run at the same time (each waits on the network, not the CPU). */
    private static final int CHECK_THREADS = 8;
    /** An agent's socket silent this long is closed (it is pinged every 25 s, so only a dead one is). */
    private static final java.time.Duration AGENT_SOCKET_IDLE = java.time.Duration.ofSeconds(90);

    private final HubConfig config;
    private final Database db;
    private final Hosts hosts;
    private final Users users;
    private final ApiTokens tokens;
    private final AuditLog audit;
    /** The UI/API port's routes with their roles, for the authorization-matrix test. */
    private volatile RouteTable apiRoutes;
    private final LiveBus live;
    private final Broadcast broadcast;
    private final HostUpdates updates;
    private final CommandChannel commands;
    private final Wakes wakes;
    private final PowerPolicy powerPolicy;
    private final Leadership leadership;
    private final SampleWriter writer;
    private final RawTier raw;
    private final Maintenance maintenance;
    private final Alerts alerts;
    private final ProgramFeed programs;
    private final Checks checks;
    private final CheckScheduler checkScheduler;
    private final ScheduledExecutorService timers;
    private final Javalin api;
    private final Javalin ingest;
    private final String generatedAdminPassword;
    private final HubTls tls;

    /** How long program events are kept. */
    private static final java.time.Duration PROGRAM_EVENTS_KEPT = java.time.Duration.ofDays(90);

    /**
     * @param senderOverride sends program commands instead of the command channel (tests record
     *     them), or null
     * @param resultsOverride where program features read command results instead, or null
     */
    private Hub(HubConfig config, CommandSender senderOverride, CommandResults resultsOverride) {
        this.config = config.validate();
        ObjectMapper json = Json.mapper();
        var clock = config.clock();
        this.db = Database.open(config.database());
        Javalin startedIngest = null;
        SampleWriter startedWriter = null;
        LiveBus startedLive = null;
        Broadcast startedBroadcast = null;
        HostUpdates startedUpdates = null;
        CommandChannel startedCommands = null;
        Leadership startedLeadership = null;
        Alerts startedAlerts = null;
        Checks startedChecks = null;
        CheckScheduler startedScheduler = null;
        try {
            this.users = new Users(db.jdbi(), clock);
            this.generatedAdminPassword = users.ensureFirstAdmin(config.initialAdminPassword()).orElse(null);
            var sessions = new Sessions(db.jdbi(), clock);
            this.tokens = new ApiTokens(db.jdbi(), clock);
            this.audit = new AuditLog(db.jdbi(), clock);
            var liveness = new Liveness(config.livenessGraceSeconds() * 1000L);
            this.hosts = new Hosts(new HostStore(db), json, liveness, clock);
            var hostTags = new HostTags(db);
            this.live = startedLive = new LiveBus(json);
            this.broadcast = startedBroadcast = Broadcast.open(db);
            this.updates = startedUpdates = new HostUpdates(hosts, hostTags, liveness, clock, live, broadcast);
            // Subscribes to the broadcast, so before it starts.
            this.commands = startedCommands = new CommandChannel(new CommandStore(db, json), hosts, live, broadcast, clock, json);
            this.checks = startedChecks = new Checks(new CheckStore(db, json), clock, live, broadcast, id -> hosts.find(id, false).isPresent(),
                    commands, id -> hosts.find(id, false).map(h -> h.name()).orElse("#" + id));
            this.raw = new RawTier(db);
            var rollups = new Rollups(db);
            var programStore = new ProgramStore(db, json);
            this.programs = new ProgramFeed(programStore, live);
            this.writer = startedWriter = new SampleWriter(db, raw, json, WRITE_QUEUE_BATCHES, programs);
            this.leadership = startedLeadership = Leadership.over(db, config.leaderLockInterval());
            var metricsQuery = new MetricsQuery(raw, rollups, config.retention(), clock);
            // Alerts: evaluated and sent by the leader; subscribes to the broadcast, so before it starts.
            this.alerts = startedAlerts = new Alerts(db, leadership, hosts, liveness, metricsQuery, live, broadcast, json, clock,
                    config.alerts(), new TagTable(db), this::publicUrl);
            broadcast.start();
            commands.start();
            updates.start();
            // Leader-only work writes through the leader's own session (see Leadership).
            var leaderDb = leadership.database();
            this.maintenance = new Maintenance(new RawTier(leaderDb), new Rollups(leaderDb), config.retention(), clock);
            leadership.schedule("maintenance", config.maintenanceEvery(), maintenance::runScheduled);
            var leaderPrograms = new ProgramStore(leaderDb, json);
            leadership.schedule("program-events", java.time.Duration.ofHours(1),
                    () -> leaderPrograms.purgeEvents(clock.millis() - PROGRAM_EVENTS_KEPT.toMillis()));
            leadership.schedule("check-retention", config.maintenanceEvery(),
                    new CheckRetention(new CheckStore(leaderDb, json), clock)::runScheduled);
            leadership.start();
            alerts.start();
            // Check results and program events feed the built-in alert rules.
            var bridge = new SignalBridge(alerts.signals());
            checks.addListener(bridge);
            programs.addListener(bridge);
            this.checkScheduler = startedScheduler = new CheckScheduler(checks, leadership::isLeader, CHECK_THREADS);
            checkScheduler.start();
            var health = new HealthHandler(db, leadership, BuildVersion.current());

            var ingestHandler = new IngestHandler(hosts, writer, json, clock, INGEST_MAX_BODY_BYTES, (id, newest) -> {
                updates.changed(id);
                alerts.hostReported(id, newest);
            });
            var agentChannel = new AgentChannelHandlers(hosts, commands, json);
            // Agents that (re)connect with another programs revision get the current set.
            var reconciler = new ProgramReconciler(programStore, commands, json);
            commands.onHello(reconciler);
            commands.onFinished(reconciler::applied);
            var powerStore = new PowerStore(db, json);
            this.wakes = new Wakes(commands, powerStore, hosts, config.power(), clock, json);
            var power = new PowerHandlers(commands, wakes, powerStore, config.power(), json);
            this.powerPolicy = new PowerPolicy(db, hosts, hostTags, commands, wakes, alerts.maintenanceWindows(), config.power(), json, clock);
            powerPolicy.scheduleOn(leadership);
            var history = new HistoryHandlers(commands, hosts);
            var security = config.security();
            this.tls = security.tls().enabled() ? HubTls.load(security.tls(), config.dataDir(), certificateNames(config)) : null;
            var ingestUrls = new IngestUrls(config.publicIngestUrl(), this::ingestPort, tls != null && tls.selfSigned() ? tls.publicKeyPin() : null);
            var agentJar = AgentJar.find(config.agentJar(), Hub.class.getClassLoader());
            agentJar.ifPresentOrElse(
                    j -> log.info("agent installer ready jar={} bytes={} sha256={}", j.source(), j.sizeBytes(), j.sha256()),
                    () -> log.info("agent installer off: no agent jar (servmon.jar carries one; or pass --agent-jar FILE)"));
            var install = tls != null && tls.selfSigned()
                    ? new InstallHandlers(agentJar, ingestUrls, tls.caPem(), tls.caPemSha256())
                    : new InstallHandlers(agentJar, ingestUrls);
            var limits = new RequestLimits(security.rateLimits());
            this.ingest = startedIngest = listen(HttpServers.create("ingest", json, INGEST_MAX_BODY_BYTES, null,
                    tls, config.ingestBind(), config.ingestPort(), cfg -> {
                        cfg.jetty.modifyWebSocketServletFactory(ws -> ws.setIdleTimeout(AGENT_SOCKET_IDLE));
                        Routes.ingest(cfg, ingestHandler, install, health, new PushHandler(hosts, checks, json), agentChannel, limits);
                    }), config.ingestBind(), config.ingestPort(), "--ingest-port");

            var throttle = new LoginThrottle(security.rateLimits().loginFailuresPerMinute());
            var twoFactor = new TwoFactorHandlers(new TwoFactor(db.jdbi(), clock), users, json, throttle, security.require2faFor());
            var auth = new AuthHandlers(users, sessions, tokens, audit, json, tls != null, ingestUrls, install.available(), throttle, twoFactor);
            var userHandlers = new UserHandlers(users, sessions, json);
            var tokenHandlers = new TokenHandlers(tokens, json);
            var auditHandlers = new AuditHandlers(audit, clock);
            var hostHandlers = new HostHandlers(hosts, hostTags, json, ingestUrls, install.available(), h -> updates.changed(h.id()),
                    updates::keyRevoked);
            var metricsHandlers = new MetricsHandlers(hosts, metricsQuery, new HistoryQuery(raw), clock);
            var programHandlers = new ProgramHandlers(hosts, programStore, senderOverride != null ? senderOverride : commands,
                    resultsOverride != null ? resultsOverride : commands, metricsQuery, json, clock);
            var checkHandlers = new CheckHandlers(checks, json);
            var dashboard = DashboardFiles.fromClasspath();
            log.info("dashboard files ready files={} heldBytes={}", dashboard.paths().size() - 1, dashboard.heldBytes());
            var statusPage = new StatusPage(checks, hosts, dashboard);
            var features = new Routes.Features(alerts, programHandlers, checkHandlers, statusPage, history, power, twoFactor, limits,
                    powerPolicy);
            this.api = listen(HttpServers.create("api", json, API_MAX_BODY_BYTES, dashboard,
                    tls, config.bind(), config.port(), cfg -> apiRoutes = Routes.api(cfg, auth, userHandlers, tokenHandlers, auditHandlers,
                            hostHandlers, metricsHandlers, live, install, health, features)),
                    config.bind(), config.port(), "--port");

            this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "servmon-timers");
                t.setDaemon(true);
                return t;
            });
            timers.scheduleAtFixedRate(live::ping, 15, 15, TimeUnit.SECONDS);
            timers.scheduleAtFixedRate(this::purgeExpired, 1, 60, TimeUnit.MINUTES);
            timers.scheduleWithFixedDelay(wakes::check, 1, 1, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            if (startedIngest != null) {
                startedIngest.stop();
            }
            if (startedScheduler != null) {
                startedScheduler.close();
            }
            if (startedAlerts != null) {
                startedAlerts.close();
            }
            if (startedLeadership != null) {
                startedLeadership.close();
            }
            if (startedChecks != null) {
                startedChecks.close();
            }
            if (startedWriter != null) {
                startedWriter.close();
            }
            if (startedCommands != null) {
                startedCommands.close();
            }
            if (startedUpdates != null) {
                startedUpdates.close();
            }
            if (startedBroadcast != null) {
                startedBroadcast.close();
            }
            if (startedLive != null) {
                startedLive.close();
            }
            db.close();
            throw e;
        }
        log.info("hub started api={}:{} ingest={}:{} db={} role={}", config.bind(), api.port(), config.ingestBind(), ingest.port(),
                db.description(), leadership.role().label());
    }

    /** Starts a server, turning "address in use" into a message that names the flag to change. */
    private static Javalin listen(Javalin server, String bind, int port, String flag) {
        try {
            return server.start(bind, port);
        } catch (JavalinBindException e) {
            server.stop();
            throw new IllegalArgumentException("servmon: cannot listen on " + bind + ":" + port + ": the port is in use "
                    + "(another servmon?); stop that process or choose another " + flag, e);
        }
    }

    /** Starts a hub; throws IllegalArgumentException for bad configuration. */
    public static Hub start(HubConfig config) {
        return new Hub(config, null, null);
    }

    /**
     * Starts a hub whose features send agent commands through {@code commands} and read their
     * results from {@code results} (tests record them; the command channel provides both).
     */
    public static Hub start(HubConfig config, CommandSender commands, CommandResults results) {
        return new Hub(config, commands, results);
    }

    /** Program status and events from agents; add {@link dev.servmon.hub.programs.ProgramEventListener}s here. */
    public ProgramFeed programs() {
        return programs;
    }

    public int port() {
        return api.port();
    }

    public int ingestPort() {
        return ingest.port();
    }

    public HubConfig config() {
        return config;
    }

    /** The hub's host registry, for in-process use (the demo registers its own host). */
    public Hosts hosts() {
        return hosts;
    }

    /** The raw tier of stored samples (the bench and tests read it). */
    public RawTier samples() {
        return raw;
    }

    /**
     * The background rollup, packing and retention task; {@link Maintenance#runOnce} runs a pass
     * now (on PostgreSQL only while this hub is the leader).
     */
    public Maintenance maintenance() {
        return maintenance;
    }

    /** The health checks: add a {@link dev.servmon.hub.checks.CheckListener} here to hear every result. */
    public Checks checks() {
        return checks;
    }

    /**
     * The command channel: the {@link dev.servmon.hub.control.CommandSender} features use to
     * send commands to agents, and the command history.
     */
    public CommandChannel commands() {
        return commands;
    }

    /** Schedules, idle policies and the energy report (tests run their evaluators directly). */
    public PowerPolicy powerPolicy() {
        return powerPolicy;
    }

    /** Whether this hub runs the leader-only work, and the hook to add more of it. */
    public Leadership leadership() {
        return leadership;
    }

    /**
     * Alerting: {@link Alerts#signals()} for checks and programs, {@link Alerts#maintenanceWindows()}
     * for the power policy, {@link Alerts#engine()} to evaluate now (tests).
     */
    public Alerts alerts() {
        return alerts;
    }

    /** The dashboard's address for links in notifications: --public-url, else this hub's own. */
    private String publicUrl() {
        String configured = config.alerts().publicUrlBase();
        if (configured != null) {
            return configured;
        }
        String host = config.bind().equals("0.0.0.0") || config.bind().equals("::") ? "localhost" : config.bind();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + (api == null ? config.port() : api.port());
    }

    /** The audit log (tests and the purge read it). */
    public AuditLog audit() {
        return audit;
    }

    /** The TLS identity both ports serve, when TLS is on. */
    public Optional<HubTls> tls() {
        return Optional.ofNullable(tls);
    }

    /** Names a self-signed certificate made now should carry besides the machine's own. */
    private static java.util.List<String> certificateNames(HubConfig config) {
        var names = new java.util.ArrayList<String>();
        for (String bind : new String[] {config.bind(), config.ingestBind()}) {
            if (bind != null && !bind.equals("0.0.0.0") && !bind.equals("::")) {
                names.add(bind);
            }
        }
        if (config.publicIngestUrl() != null) {
            names.add(java.net.URI.create(config.publicIngestUrl()).getHost());
        }
        return names;
    }

    /** The first admin's generated password, when this start created it; shown once. */
    public Optional<String> generatedAdminPassword() {
        return Optional.ofNullable(generatedAdminPassword);
    }

    /** Hourly: expired sessions, long-expired API tokens, audit records past their retention (365 days). */
    private void purgeExpired() {
        purge("expired sessions", () -> new Sessions(db.jdbi(), config.clock()).purgeExpired());
        purge("expired api tokens", tokens::purgeExpired);
        purge("audit records older than " + AuditLog.RETENTION.toDays() + " days", audit::purge);
    }

    private static void purge(String what, java.util.function.IntSupplier task) {
        try {
            int n = task.getAsInt();
            if (n > 0) {
                log.info("{} removed count={}", what, n);
            }
        } catch (RuntimeException e) {
            log.error("purge of {} failed", what, e);
        }
    }

    @Override
    public void close() {
        log.info("hub stopping");
        // Each step runs even if one before it failed (a connection that outlives Jetty's 2 s
        // graceful stop must not leave the writer unflushed or the database open).
        stopStep("timers", timers::shutdownNow);
        stopStep("command channel", commands::close);
        stopStep("ingest server", ingest::stop);
        stopStep("check scheduler", checkScheduler::close);
        stopStep("alerts", alerts::close);
        stopStep("leadership", leadership::close);
        stopStep("checks", checks::close);
        stopStep("sample writer", writer::close);
        stopStep("live updates", updates::close);
        stopStep("broadcast", broadcast::close);
        stopStep("live bus", live::close);
        stopStep("api server", api::stop);
        stopStep("database", db::close);
        log.info("hub stopped");
    }

    private static void stopStep(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.warn("stopping the {} did not finish cleanly: {}", what, e.toString());
        }
    }

    /** Every route of the UI/API port with the least role that may call it. */
    public java.util.List<RouteTable.Entry> apiRoutes() {
        return apiRoutes.entries();
    }
}
