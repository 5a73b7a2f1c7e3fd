package dev.servmon.hub;

import dev.servmon.hub.alerts.AlertSettings;
import dev.servmon.hub.metrics.Retention;
import dev.servmon.hub.power.PowerSettings;
import dev.servmon.hub.storage.DbConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything a hub needs to start; validated once by {@link #validate()}.
 *
 * @param bind address the UI/API port listens on
 * @param port UI/API port (0 picks a free one)
 * @param ingestBind address the ingest port listens on
 * @param ingestPort ingest port for agents (0 picks a free one)
 * @param dataDir where the SQLite database lives
 * @param database which database: the SQLite file in {@code dataDir} or PostgreSQL
 * @param retention how long each tier of metrics is kept
 * @param maintenanceEvery how often rollups, packing and retention run (on the leader replica)
 * @param leaderLockInterval how often replicas on PostgreSQL try, or as leader check, the leader lock
 * @param initialAdminPassword password for the first admin, or null to generate one
 * @param publicIngestUrl ingest URL to show in agent commands, or null to derive it
 * @param livenessGraceSeconds extra seconds on top of 3 × interval before a host is OFF
 * @param clock time source (tests control it)
 * @param agentJar the agent jar to serve to installers, or null for the one servmon.jar carries
 * @param alerts alert evaluation period and the public address used in notification links
 * @param power Wake-on-LAN defaults and the wake timeout
 * @param security TLS, required two-factor sign-in and rate limits
 */
public record HubConfig(
        String bind,
        int port,
        String ingestBind,
        int ingestPort,
        Path dataDir,
        DbConfig database,
        Retention retention,
        Duration maintenanceEvery,
        Duration leaderLockInterval,
        String initialAdminPassword,
        String publicIngestUrl,
        int livenessGraceSeconds,
        Clock clock,
        Path agentJar,
        AlertSettings alerts,
        PowerSettings power,
        SecurityConfig security) {

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_INGEST_PORT = 8081;
    public static final int DEFAULT_GRACE_SECONDS = 5;
    public static final Duration DEFAULT_MAINTENANCE_EVERY = Duration.ofMinutes(1);
    public static final Duration DEFAULT_LEADER_LOCK_INTERVAL = Duration.ofSeconds(5);

    /** Defaults for everything but the data directory. */
    public static HubConfig defaults(Path dataDir) {
        return new HubConfig("0.0.0.0", DEFAULT_PORT, "0.0.0.0", DEFAULT_INGEST_PORT, dataDir, DbConfig.sqlite(dataDir),
                Retention.DEFAULT, DEFAULT_MAINTENANCE_EVERY, DEFAULT_LEADER_LOCK_INTERVAL, null, null, DEFAULT_GRACE_SECONDS, Clock.systemUTC(), null, AlertSettings.DEFAULT, PowerSettings.DEFAULTS, SecurityConfig.DEFAULTS);
    }

    public HubConfig withPorts(String bind, int port, String ingestBind, int ingestPort) {
        return new HubConfig(bind, port, ingestBind, ingestPort, dataDir, database, retention, maintenanceEvery, leaderLockInterval, initialAdminPassword, publicIngestUrl, livenessGraceSeconds, clock, agentJar, alerts, power, security);
    }

    public HubConfig withInitialAdminPassword(String password) {
        return new HubConfig(bind, port, ingestBind, ingestPort, dataDir, database, retention, maintenanceEvery, leaderLockInterval, password, publicIngestUrl, livenessGraceSeconds, clock, agentJar, alerts, power, security);
    }

    public HubConfig withPublicIngestUrl(String url) {
        return new HubConfig(bind, port, ingestBind, ingestPort, dataDir, database, retention, maintenanceEvery, leaderLockInterval, initialAdminPassword, url, livenessGraceSeconds, clock, agentJar, alerts, power, security);
    }

    /** PostgreSQL (or another SQLite location) instead of the SQLite file in the data directory. */
    public HubConfig withDatabase(DbConfig db) {
        return new HubConfig(bind, port, ingestBind, ingestPort, dataDir, db, retention, maintenanceEvery, leaderLockInterval, initialAdminPassword, publicIngestUrl, livenessGraceSeconds, clock, agentJar, alerts, power, security);
    }

    public HubConfig withRetention(Retention r) {
        return new HubConfig(bind, port, ingestBind, ingestPort, dataDir, database, r, maintenanceEvery, leaderLockInterval, initialAdminPassword, publicIngestUrl, livenessGraceSeconds, clock, agentJar, alerts, power, security);
    }

    public HubConfig withMaintenanceEvery(Duration every) {
        return new HubConfig(bind, port, ingestBind, ingestPort, dataDir, database, retention, every, leaderLockInterval, initialAdminPassword, publicIngestUrl, livenessGraceSeconds, clock, agentJar, alerts, power, security);
    }

    public HubConfig withLeaderLockInterval(Duration interval) {
        return new HubConfig(bind, port, ingestBind, ingestPort, dataDir, database, retention, maintenanceEvery, interval, initialAdminPassword, publicIngestUrl, livenessGraceSeconds, clock, agentJar, alerts, power, security);
    }

    public HubConfig withClock(Clock c) {
        return new HubConfig(bind, port, ingestBind, ingestPort, dataDir, database, retention, maintenanceEvery, leaderLockInterval, initialAdminPassword, publicIngestUrl, livenessGraceSeconds, c, agentJar, alerts, power, security);
    }

    public HubConfig withAgentJar(Path jar) {
        return new HubConfig(bind, port, ingestBind, ingestPort, dataDir, database, retention, maintenanceEvery, leaderLockInterval, initialAdminPassword, publicIngestUrl, livenessGraceSeconds, clock, jar, alerts, power, security);
    }

    public HubConfig withAlerts(AlertSettings a) {
        return new HubConfig(bind, port, ingestBind, ingestPort, dataDir, database, retention, maintenanceEvery, leaderLockInterval, initialAdminPassword, publicIngestUrl, livenessGraceSeconds, clock, agentJar, a, power, security);
    }

    public HubConfig withPower(PowerSettings p) {
        return new HubConfig(bind, port, ingestBind, ingestPort, dataDir, database, retention, maintenanceEvery, leaderLockInterval, initialAdminPassword, publicIngestUrl, livenessGraceSeconds, clock, agentJar, alerts, p, security);
    }

    public HubConfig withSecurity(SecurityConfig s) {
        return new HubConfig(bind, port, ingestBind, ingestPort, dataDir, database, retention, maintenanceEvery, leaderLockInterval, initialAdminPassword, publicIngestUrl, livenessGraceSeconds, clock, agentJar, alerts, power, s);
    }

    /** Throws IllegalArgumentException with a message that says what to change. */
    public HubConfig validate() {
        checkPort("--port", port);
        checkPort("--ingest-port", ingestPort);
        if (port != 0 && port == ingestPort && bind.equals(ingestBind)) {
            throw new IllegalArgumentException("servmon: --port and --ingest-port must differ, both are " + port);
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("servmon: --data must name a directory");
        }
        if (database == null) {
            throw new IllegalArgumentException("servmon: no database configured");
        }
        database.validate();
        if (retention == null) {
            throw new IllegalArgumentException("servmon: no retention configured");
        }
        retention.validate();
        if (maintenanceEvery == null || maintenanceEvery.toMillis() < 100 || maintenanceEvery.toHours() > 24) {
            throw new IllegalArgumentException("servmon: --maintenance-interval must be between 100ms and 24h, got "
                    + (maintenanceEvery == null ? "nothing" : maintenanceEvery.toMillis() + "ms"));
        }
        if (leaderLockInterval == null || leaderLockInterval.toMillis() < 100 || leaderLockInterval.toMinutes() > 5) {
            throw new IllegalArgumentException("servmon: --leader-lock-interval must be between 100ms and 5m, got "
                    + (leaderLockInterval == null ? "nothing" : leaderLockInterval.toMillis() + "ms"));
        }
        if (livenessGraceSeconds < 0 || livenessGraceSeconds > 3600) {
            throw new IllegalArgumentException("servmon: liveness grace must be between 0 and 3600 seconds, got " + livenessGraceSeconds);
        }
        // Host names and IP literals only: the URL goes into shell commands people paste.
        if (publicIngestUrl != null && !publicIngestUrl.matches("https?://([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?/?")) {
            throw new IllegalArgumentException("servmon: --public-ingest-url must look like http://host:8081, got '" + publicIngestUrl + "'");
        }
        if (agentJar != null && !Files.isRegularFile(agentJar)) {
            throw new IllegalArgumentException("servmon: --agent-jar must name the agent's jar (agent/target/servmon-agent.jar), but "
                    + agentJar.toAbsolutePath() + " is not a file");
        }
        if (alerts == null) {
            throw new IllegalArgumentException("servmon: no alert settings configured");
        }
        alerts.validate();
        if (power == null) {
            throw new IllegalArgumentException("servmon: no power settings configured");
        }
        power.validate();
        if (security == null) {
            throw new IllegalArgumentException("servmon: no security settings configured");
        }
        security.validate();
        if (security.tls().enabled() && publicIngestUrl != null && publicIngestUrl.startsWith("http://")) {
            throw new IllegalArgumentException("servmon: the hub serves TLS, so --public-ingest-url must start with https://, got '"
                    + publicIngestUrl + "'");
        }
        return this;
    }

    private static void checkPort(String flag, int p) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("servmon: " + flag + " must be between 0 and 65535, got " + p);
        }
    }
}
