package dev.servmon.app;

import dev.servmon.agent.Agent;
import dev.servmon.agent.AgentConfig;
import dev.servmon.hub.Hub;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a hub on embedded SQLite plus an agent for this machine, already registered.",
                "Prints the dashboard URL and the login, and runs until Ctrl-C."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "UI/API port (default: ${DEFAULT-VALUE}); ingest uses PORT+1 unless --ingest-port is given.")
    int port;

    @Option(names = "--ingest-port", paramLabel = "PORT", description = "Ingest port (default: --port + 1).")
    Integer ingestPort;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./servmon-demo",
            description = "Data directory of the demo (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between the local agent's reports (default: ${DEFAULT-VALUE}).")
    int interval;

    @Mixin
    HubOptions hubOptions;

    @Override
    public Integer call() throws Exception {
        if (hubOptions.bind == null) {
            hubOptions.bind = "127.0.0.1";
        }
        int ingest = ingestPort != null ? ingestPort : (port == 0 ? 0 : port + 1);
        Hub hub = Hub.start(hubOptions.toConfig(data, port, ingest));
        String password = demoPassword(hub);

        String name = localHostName();
        var hosts = hub.hosts();
        String key = hosts.findByName(name)
                .map(h -> hosts.rotateKey(h.id()))
                .orElseGet(() -> hosts.register(name).key());
        Path agentDir = data.resolve("agent");
        boolean https = hub.tls().isPresent();
        URI ingestUrl = URI.create(Banner.url("127.0.0.1", hub.ingestPort(), https).replaceAll("/$", ""));
        hub.tls().filter(t -> t.selfSigned()).ifPresent(t ->
                javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory(dev.servmon.agent.transport.HubTrust.socketFactory(t.caFile())));
        Agent agent = new Agent(AgentConfig.of(ingestUrl, key, agentDir.resolve("host.key"), agentDir, interval));
        Shutdown.onSignal(agent, hub);
        Thread agentThread = new Thread(() -> {
            try {
                agent.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "servmon-demo-agent");
        agentThread.setDaemon(true);
        agentThread.start();

        System.out.println();
        System.out.println("servmon demo " + Version.current() + " is running");
        System.out.println("  dashboard: " + Banner.url(hubOptions.bind, hub.port(), https));
        System.out.println("  login:     admin / " + password);
        System.out.println("  agent:     this machine (\"" + name + "\") reports every " + interval + " s to " + ingestUrl);
        System.out.println("  data:      " + data.toAbsolutePath().normalize());
        System.out.println("Press Ctrl-C to stop.");
        Shutdown.await();
        return 0;
    }

    /** The demo keeps its generated admin password in its own data dir so a restart can show it again. */
    private String demoPassword(Hub hub) throws IOException {
        String fromEnv = System.getenv("SERVMON_ADMIN_PASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty() && hub.generatedAdminPassword().isEmpty()) {
            return fromEnv + "   (from SERVMON_ADMIN_PASSWORD)";
        }
        Path file = data.resolve("demo-admin-password");
        if (hub.generatedAdminPassword().isPresent()) {
            String pw = hub.generatedAdminPassword().get();
            Files.writeString(file, pw + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX filesystem (Windows): the data dir's own permissions apply.
            }
            return pw;
        }
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        return "(set at first start of this data directory; not stored here)";
    }

    private static String localHostName() {
        String env = System.getenv("HOSTNAME");
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank() && !name.equals("localhost")) {
                return name.length() > 64 ? name.substring(0, 64) : name;
            }
        } catch (UnknownHostException e) {
            // fall back to $HOSTNAME below
        }
        return env != null && !env.isBlank() ? env : "this-machine";
    }
}
