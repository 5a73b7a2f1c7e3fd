package dev.servmon.app;

import dev.servmon.hub.HubConfig;
import dev.servmon.hub.alerts.AlertSettings;
import dev.servmon.hub.metrics.Retention;
import dev.servmon.hub.storage.DbConfig;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by {@code hub} and {@code demo}. */
final class HubOptions {
    @Option(names = "--bind", paramLabel = "ADDR", description = "Address of the UI/API port (default: 0.0.0.0 for hub, 127.0.0.1 for demo).")
    String bind;

    @Option(names = "--ingest-bind", paramLabel = "ADDR", description = "Address of the ingest port (default: same as --bind).")
    String ingestBind;

    @Option(names = "--public-ingest-url", paramLabel = "URL",
            description = "Ingest URL shown in agent commands, e.g. https://hub.example.com:8081 (default: derived from the browser's address).")
    String publicIngestUrl;

    @Option(names = "--agent-jar", paramLabel = "FILE",
            description = "Agent jar served to installers at /install/servmon-agent.jar (default: the one inside servmon.jar).")
    Path agentJar;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with defaults for these options.")
    Path config;

    @Option(names = "--db-url", paramLabel = "URL",
            description = "PostgreSQL instead of the embedded SQLite file: jdbc:postgresql://host:5432/servmon (default: SQLite in --data).")
    String dbUrl;

    @Mixin
    DbLogin dbLogin;

    @Option(names = "--retention-raw", paramLabel = "DURATION", defaultValue = "7d",
            description = "How long every sample is kept (default: ${DEFAULT-VALUE}).")
    String retentionRaw;

    @Option(names = "--retention-1m", paramLabel = "DURATION", defaultValue = "30d",
            description = "How long 1-minute rollups are kept (default: ${DEFAULT-VALUE}).")
    String retention1m;

    @Option(names = "--retention-15m", paramLabel = "DURATION", defaultValue = "365d",
            description = "How long 15-minute rollups are kept (default: ${DEFAULT-VALUE}).")
    String retention15m;

    @Option(names = "--retention-1h", paramLabel = "DURATION", defaultValue = "1825d",
            description = "How long 1-hour rollups are kept (default: ${DEFAULT-VALUE}).")
    String retention1h;

    @Option(names = "--maintenance-interval", paramLabel = "DURATION", defaultValue = "1m",
            description = "How often rollups, packing and retention run, on the leader replica (default: ${DEFAULT-VALUE}).")
    String maintenanceInterval;

    @Option(names = "--leader-lock-interval", paramLabel = "DURATION", defaultValue = "5s",
            description = {"With several hubs on one PostgreSQL: how often each tries to become the leader, and the leader "
                    + "checks it still is; a new leader takes over within twice this (default: ${DEFAULT-VALUE})."})
    String leaderLockInterval;

    @Option(names = "--alert-interval", paramLabel = "DURATION", defaultValue = "15s",
            description = {"How often the leader replica evaluates every alert rule; a report is looked at as it arrives, "
                    + "so this bounds only what no report announces (default: ${DEFAULT-VALUE})."})
    String alertInterval;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "The dashboard's address as people reach it, for links in alert notifications, e.g. https://monitor.example.com "
                    + "(default: this hub's --bind address and --port).")
    String publicUrl;

    HubConfig toConfig(Path data, int port, int ingestPort) {
        String adminPassword = System.getenv("SERVMON_ADMIN_PASSWORD");
        return HubConfig.defaults(data)
                .withPorts(bind, port, ingestBind == null ? bind : ingestBind, ingestPort)
                .withInitialAdminPassword(adminPassword == null || adminPassword.isEmpty() ? null : adminPassword)
                .withPublicIngestUrl(publicIngestUrl)
                .withDatabase(database(data))
                .withRetention(retention())
                .withMaintenanceEvery(IntervalOption.parse("--maintenance-interval", maintenanceInterval))
                .withLeaderLockInterval(IntervalOption.parse("--leader-lock-interval", leaderLockInterval))
                .withAgentJar(agentJar)
                .withAlerts(alerts());
    }

    AlertSettings alerts() {
        return new AlertSettings(IntervalOption.parse("--alert-interval", alertInterval),
                publicUrl == null || publicUrl.isBlank() ? null : publicUrl.strip()).validate();
    }

    Retention retention() {
        return new Retention(Retention.parse("--retention-raw", retentionRaw), Retention.parse("--retention-1m", retention1m),
                Retention.parse("--retention-15m", retention15m), Retention.parse("--retention-1h", retention1h)).validate();
    }

    DbConfig database(Path data) {
        if (dbUrl == null || dbUrl.isBlank()) {
            if (dbLogin.given()) {
                throw new IllegalArgumentException("servmon: --db-user and the database password only apply with --db-url jdbc:postgresql://…");
            }
            return DbConfig.sqlite(data);
        }
        return new DbConfig(dbUrl.strip(), dbLogin.user(), dbLogin.password(), data).validate();
    }
}
