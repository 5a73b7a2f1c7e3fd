package dev.servmon.app;

import dev.servmon.hub.HubConfig;
import java.nio.file.Path;
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

    HubConfig toConfig(Path data, int port, int ingestPort) {
        String adminPassword = System.getenv("SERVMON_ADMIN_PASSWORD");
        return HubConfig.defaults(data)
                .withPorts(bind, port, ingestBind == null ? bind : ingestBind, ingestPort)
                .withInitialAdminPassword(adminPassword == null || adminPassword.isEmpty() ? null : adminPassword)
                .withPublicIngestUrl(publicIngestUrl)
                .withAgentJar(agentJar);
    }
}
