package dev.servmon.app;

import dev.servmon.hub.Hub;
import dev.servmon.hub.HubConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "hub", mixinStandardHelpOptions = true,
        description = {"Run the hub: web dashboard and REST API on --port, agent ingest on --ingest-port.",
                "The first start creates user 'admin' with the password in SERVMON_ADMIN_PASSWORD,",
                "or generates one and prints it once."})
final class HubCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + HubConfig.DEFAULT_PORT,
            description = "UI/API port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--ingest-port", paramLabel = "PORT", defaultValue = "" + HubConfig.DEFAULT_INGEST_PORT,
            description = "Ingest port for agents (default: ${DEFAULT-VALUE}).")
    int ingestPort;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./servmon-data",
            description = "Data directory (SQLite database) (default: ${DEFAULT-VALUE}).")
    Path data;

    @Mixin
    HubOptions hubOptions;

    @Override
    public Integer call() throws InterruptedException {
        if (hubOptions.bind == null) {
            hubOptions.bind = "0.0.0.0";
        }
        Hub hub = Hub.start(hubOptions.toConfig(data, port, ingestPort));
        Shutdown.onSignal(hub::close);
        hub.generatedAdminPassword().ifPresent(pw -> Banner.firstAdmin(pw, data));
        System.out.println("servmon hub " + Version.current() + " is running");
        boolean https = hub.tls().isPresent();
        System.out.println("  dashboard: " + Banner.url(hubOptions.bind, hub.port(), https));
        System.out.println("  ingest:    " + Banner.url(hub.config().ingestBind(), hub.ingestPort(), https) + " (agents only)");
        hub.tls().filter(t -> t.selfSigned()).ifPresent(t -> Banner.selfSignedCertificate(t.caFile()));
        Shutdown.await();
        return 0;
    }
}
