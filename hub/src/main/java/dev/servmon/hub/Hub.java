package dev.servmon.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.HttpServers;
import dev.servmon.hub.api.IngestUrls;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.api.Routes;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.auth.Sessions;
import dev.servmon.hub.auth.Users;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.hosts.HostStore;
import dev.servmon.hub.hosts.HostView;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.hosts.Liveness;
import dev.servmon.hub.hosts.LivenessWatcher;
import dev.servmon.hub.ingest.IngestHandler;
import dev.servmon.hub.ingest.SampleWriter;
import dev.servmon.hub.install.AgentJar;
import dev.servmon.hub.install.InstallHandlers;
import dev.servmon.hub.live.LiveBus;
import dev.servmon.hub.metrics.HistoryQuery;
import dev.servmon.hub.metrics.Maintenance;
import dev.servmon.hub.metrics.MetricsHandlers;
import dev.servmon.hub.metrics.MetricsQuery;
import dev.servmon.hub.metrics.RawTier;
import dev.servmon.hub.metrics.Rollups;
import dev.servmon.hub.storage.Database;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running hub: storage, the UI/API server, the ingest server and the background tasks.
 * {@link #start} wires everything with plain constructors; {@link #close} stops it in order
 * (stop taking requests, flush the writer, close the database).
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
    private final LiveBus live;
    private final SampleWriter writer;
    private final RawTier raw;
    private final Maintenance maintenance;
    private final LivenessWatcher watcher;
    private final ScheduledExecutorService timers;
    private final Javalin api;
    private final Javalin ingest;
    private final String generatedAdminPassword;

    private Hub(HubConfig config) {
        this.config = config.validate();
        ObjectMapper json = Json.mapper();
        var clock = config.clock();
        this.db = Database.open(config.database());
        Javalin startedIngest = null;
        SampleWriter startedWriter = null;
        LiveBus startedLive = null;
        Maintenance startedMaintenance = null;
        try {
            this.users = new Users(db.jdbi(), clock);
            this.generatedAdminPassword = users.ensureFirstAdmin(config.initialAdminPassword()).orElse(null);
            var sessions = new Sessions(db.jdbi(), clock);
            var liveness = new Liveness(config.livenessGraceSeconds() * 1000L);
            this.hosts = new Hosts(new HostStore(db), json, liveness, clock);
            this.live = startedLive = new LiveBus(json);
            this.watcher = new LivenessWatcher(liveness, clock, this::publishHost);
            hosts.list().forEach(h -> watcher.track(h.id(), h.lastSeenAtMs(), h.intervalSeconds()));
            this.raw = new RawTier(db);
            var rollups = new Rollups(db);
            this.writer = startedWriter = new SampleWriter(db, raw, json, WRITE_QUEUE_BATCHES);
            this.maintenance = startedMaintenance = new Maintenance(raw, rollups, config.retention(), clock);
            maintenance.start(config.maintenanceEvery());

            var ingestHandler = new IngestHandler(hosts, writer, json, clock, this::onReport);
            var ingestUrls = new IngestUrls(config.publicIngestUrl(), this::ingestPort);
            var agentJar = AgentJar.find(config.agentJar(), Hub.class.getClassLoader());
            agentJar.ifPresentOrElse(
                    j -> log.info("agent installer ready jar={} bytes={} sha256={}", j.source(), j.sizeBytes(), j.sha256()),
                    () -> log.info("agent installer off: no agent jar (servmon.jar carries one; or pass --agent-jar FILE)"));
            var install = new InstallHandlers(agentJar, ingestUrls);
            this.ingest = startedIngest = listen(HttpServers.create("ingest", json, INGEST_MAX_BODY_BYTES, false,
                    cfg -> Routes.ingest(cfg, ingestHandler, install)), config.ingestBind(), config.ingestPort(), "--ingest-port");

            var auth = new AuthHandlers(users, sessions, json, false, ingestUrls, install.available());
            var hostHandlers = new HostHandlers(hosts, json, ingestUrls, install.available(), this::onHostChanged, this::onHostDeleted);
            var metricsHandlers = new MetricsHandlers(hosts, new MetricsQuery(raw, rollups, config.retention(), clock),
                    new HistoryQuery(raw), clock);
            this.api = listen(HttpServers.create("api", json, API_MAX_BODY_BYTES, true,
                    cfg -> Routes.api(cfg, auth, hostHandlers, metricsHandlers, live, install)), config.bind(), config.port(), "--port");

            this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "servmon-timers");
                t.setDaemon(true);
                return t;
            });
            timers.scheduleAtFixedRate(this::tickLiveness, 250, 250, TimeUnit.MILLISECONDS);
            timers.scheduleAtFixedRate(live::ping, 15, 15, TimeUnit.SECONDS);
            timers.scheduleAtFixedRate(this::purgeSessions, 1, 60, TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            if (startedIngest != null) {
                startedIngest.stop();
            }
            if (startedMaintenance != null) {
                startedMaintenance.close();
            }
            if (startedWriter != null) {
                startedWriter.close();
            }
            if (startedLive != null) {
                startedLive.close();
            }
            db.close();
            throw e;
        }
        log.info("hub started api={}:{} ingest={}:{} db={}", config.bind(), api.port(), config.ingestBind(), ingest.port(),
                db.description());
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

    /** The background rollup, packing and retention task; {@link Maintenance#runOnce} runs a pass now. */
    public Maintenance maintenance() {
        return maintenance;
    }

    /** The first admin's generated password, when this start created it; shown once. */
    public Optional<String> generatedAdminPassword() {
        return Optional.ofNullable(generatedAdminPassword);
    }

    private void onReport(long hostId) {
        hosts.find(hostId, false).ifPresent(h -> {
            watcher.track(h.id(), h.lastSeenAtMs(), h.intervalSeconds());
            live.publish("host", h);
        });
    }

    private void onHostChanged(HostView h) {
        watcher.track(h.id(), h.lastSeenAtMs(), h.intervalSeconds());
        live.publish("host", h.withoutSample());
    }

    private void onHostDeleted(long id) {
        watcher.forget(id);
        live.publish("host-deleted", Map.of("id", id));
    }

    private void publishHost(long id) {
        hosts.find(id, false).ifPresent(h -> live.publish("host", h));
    }

    private void tickLiveness() {
        try {
            watcher.tick();
        } catch (RuntimeException e) {
            log.error("liveness check failed", e);
        }
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
        maintenance.close();
        writer.close();
        live.close();
        api.stop();
        db.close();
        log.info("hub stopped");
    }
}
