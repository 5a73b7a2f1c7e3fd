package dev.servmon.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.HttpServers;
import dev.servmon.hub.api.IngestUrls;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.api.RouteTable;
import dev.servmon.hub.api.Routes;
import dev.servmon.hub.api.RequestLimits;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.auth.LoginThrottle;
import dev.servmon.hub.auth.TwoFactor;
import dev.servmon.hub.auth.TwoFactorHandlers;
import dev.servmon.hub.auth.Sessions;
import dev.servmon.hub.auth.Users;
import dev.servmon.hub.cluster.Broadcast;
import dev.servmon.hub.cluster.HealthHandler;
import dev.servmon.hub.cluster.Leadership;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.hosts.HostStore;
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
import dev.servmon.hub.storage.Database;
import dev.servmon.hub.tls.HubTls;
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

    private final HubConfig config;
    private final Database db;
    private final Hosts hosts;
    private final Users users;
    /** The UI/API port's routes with their roles, for the authorization-matrix test. */
    private volatile RouteTable apiRoutes;
    private final LiveBus live;
    private final Broadcast broadcast;
    private final HostUpdates updates;
    private final Leadership leadership;
    private final SampleWriter writer;
    private final RawTier raw;
    private final Maintenance maintenance;
    private final ScheduledExecutorService timers;
    private final Javalin api;
    private final Javalin ingest;
    private final String generatedAdminPassword;
    private final HubTls tls;

    private Hub(HubConfig config) {
        this.config = config.validate();
        ObjectMapper json = Json.mapper();
        var clock = config.clock();
        this.db = Database.open(config.database());
        Javalin startedIngest = null;
        SampleWriter startedWriter = null;
        LiveBus startedLive = null;
        Broadcast startedBroadcast = null;
        HostUpdates startedUpdates = null;
        Leadership startedLeadership = null;
        try {
            this.users = new Users(db.jdbi(), clock);
            this.generatedAdminPassword = users.ensureFirstAdmin(config.initialAdminPassword()).orElse(null);
            var sessions = new Sessions(db.jdbi(), clock);
            var liveness = new Liveness(config.livenessGraceSeconds() * 1000L);
            this.hosts = new Hosts(new HostStore(db), json, liveness, clock);
            this.live = startedLive = new LiveBus(json);
            this.broadcast = startedBroadcast = Broadcast.open(db);
            this.updates = startedUpdates = new HostUpdates(hosts, liveness, clock, live, broadcast);
            broadcast.start();
            updates.start();
            this.raw = new RawTier(db);
            var rollups = new Rollups(db);
            this.writer = startedWriter = new SampleWriter(db, raw, json, WRITE_QUEUE_BATCHES);
            this.leadership = startedLeadership = Leadership.over(db, config.leaderLockInterval());
            // Leader-only work writes through the leader's own session (see Leadership).
            var leaderDb = leadership.database();
            this.maintenance = new Maintenance(new RawTier(leaderDb), new Rollups(leaderDb), config.retention(), clock);
            leadership.schedule("maintenance", config.maintenanceEvery(), maintenance::runScheduled);
            leadership.start();
            var health = new HealthHandler(db, leadership, BuildVersion.current());

            var ingestHandler = new IngestHandler(hosts, writer, json, clock, updates::changed);
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
            this.ingest = startedIngest = listen(HttpServers.create("ingest", json, INGEST_MAX_BODY_BYTES, false,
                    tls, config.ingestBind(), config.ingestPort(), cfg -> Routes.ingest(cfg, ingestHandler, install, health, limits)), config.ingestBind(), config.ingestPort(), "--ingest-port");

            var throttle = new LoginThrottle(security.rateLimits().loginFailuresPerMinute());
            var twoFactor = new TwoFactorHandlers(new TwoFactor(db.jdbi(), clock), users, json, throttle, security.require2faFor());
            var auth = new AuthHandlers(users, sessions, json, tls != null, ingestUrls, install.available(), throttle, twoFactor);
            var hostHandlers = new HostHandlers(hosts, json, ingestUrls, install.available(), h -> updates.changed(h.id()), updates::keyRevoked);
            var metricsHandlers = new MetricsHandlers(hosts, new MetricsQuery(raw, rollups, config.retention(), clock),
                    new HistoryQuery(raw), clock);
            this.api = listen(HttpServers.create("api", json, API_MAX_BODY_BYTES, true,
                    tls, config.bind(), config.port(), cfg -> apiRoutes = Routes.api(cfg, auth, hostHandlers, metricsHandlers, live, install, health, twoFactor, limits)), config.bind(), config.port(), "--port");

            this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "servmon-timers");
                t.setDaemon(true);
                return t;
            });
            timers.scheduleAtFixedRate(live::ping, 15, 15, TimeUnit.SECONDS);
            timers.scheduleAtFixedRate(this::purgeSessions, 1, 60, TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            if (startedIngest != null) {
                startedIngest.stop();
            }
            if (startedLeadership != null) {
                startedLeadership.close();
            }
            if (startedWriter != null) {
                startedWriter.close();
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
        return new Hub(config);
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

    /** Whether this hub runs the leader-only work, and the hook to add more of it. */
    public Leadership leadership() {
        return leadership;
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

    private void purgeSessions() {
        try {
            int n = new Sessions(db.jdbi(), config.clock()).purgeExpired();
            if (n > 0) {
                log.info("expired sessions removed count={}", n);
            }
        } catch (RuntimeException e) {
            log.error("session purge failed", e);
        }
    }

    @Override
    public void close() {
        log.info("hub stopping");
        timers.shutdownNow();
        ingest.stop();
        leadership.close();
        writer.close();
        updates.close();
        broadcast.close();
        live.close();
        api.stop();
        db.close();
        log.info("hub stopped");
    }

    /** Every route of the UI/API port with the least role that may call it. */
    public java.util.List<RouteTable.Entry> apiRoutes() {
        return apiRoutes.entries();
    }
}
