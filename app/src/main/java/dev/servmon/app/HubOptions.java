package dev.servmon.app;

import dev.servmon.hub.HubConfig;
import dev.servmon.hub.SecurityConfig;
import dev.servmon.hub.api.RateLimits;
import dev.servmon.hub.tls.TlsConfig;
import dev.servmon.hub.alerts.AlertSettings;
import dev.servmon.hub.metrics.Retention;
import dev.servmon.hub.power.PowerSettings;
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

    @Option(names = "--wol-broadcast", paramLabel = "ADDR", defaultValue = "255.255.255.255",
            description = "Where the hub sends Wake-on-LAN packets for hosts without their own address, e.g. 192.168.1.255 "
                    + "(default: ${DEFAULT-VALUE}).")
    String wolBroadcast;

    @Option(names = "--wol-port", paramLabel = "PORT", defaultValue = "9", description = "UDP port of Wake-on-LAN packets (default: ${DEFAULT-VALUE}).")
    int wolPort;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve both ports over HTTPS with this PEM certificate chain (leaf first); needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key (RSA or EC) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-self-signed",
            description = "Serve both ports over HTTPS with a self-signed certificate made once and kept in --data "
                    + "(agents need --ca-file with its hub-ca.pem).")
    boolean tlsSelfSigned;

    @Option(names = "--require-2fa-for", paramLabel = "ROLE", defaultValue = "none",
            description = "none, operator (operators and admins) or admin: who must sign in with a second factor; "
                    + "they can do nothing but enrol until they have (default: ${DEFAULT-VALUE}).")
    String require2faFor;

    @Option(names = "--login-limit-per-minute", paramLabel = "N", defaultValue = "5",
            description = "Failed sign-ins per client address and per username per minute before 429; 0 = off (default: ${DEFAULT-VALUE}).")
    int loginLimitPerMinute;

    @Option(names = "--api-limit-per-second", paramLabel = "N", defaultValue = "50",
            description = "API requests per second per user or API token; 0 = off (default: ${DEFAULT-VALUE}).")
    int apiLimitPerSecond;

    @Option(names = "--api-limit-burst", paramLabel = "N", defaultValue = "200",
            description = "API requests a user or token may make at once (default: ${DEFAULT-VALUE}).")
    int apiLimitBurst;

    @Option(names = "--ingest-limit-per-second", paramLabel = "N", defaultValue = "10",
            description = "Agent reports per second per host key; 0 = off (default: ${DEFAULT-VALUE}).")
    int ingestLimitPerSecond;

    @Option(names = "--ingest-limit-burst", paramLabel = "N", defaultValue = "60",
            description = "Agent reports one host key may send at once (default: ${DEFAULT-VALUE}).")
    int ingestLimitBurst;

    SecurityConfig security() {
        TlsConfig tls = tlsSelfSigned ? new TlsConfig(tlsCert, tlsKey, true)
                : tlsCert != null || tlsKey != null ? TlsConfig.files(tlsCert, tlsKey) : TlsConfig.OFF;
        return new SecurityConfig(tls, SecurityConfig.parseRequire2faFor(require2faFor),
                new RateLimits(loginLimitPerMinute, apiLimitPerSecond, apiLimitBurst, ingestLimitPerSecond, ingestLimitBurst)).validate();
    }

    @Option(names = "--energy-price", paramLabel = "PRICE", defaultValue = "0.30",
            description = "Price of one kWh for the energy report, in --energy-currency (default: ${DEFAULT-VALUE}).")
    double energyPrice;

    @Option(names = "--energy-currency", paramLabel = "CODE", defaultValue = "EUR",
            description = "Currency of --energy-price as shown, e.g. EUR, USD (default: ${DEFAULT-VALUE}).")
    String energyCurrency;

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
                .withPower(PowerSettings.DEFAULTS.withWol(wolBroadcast, wolPort).withEnergy(energyPrice, energyCurrency))
                .withSecurity(security())
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
