package dev.servmon.app;

import dev.servmon.agent.Agent;
import dev.servmon.agent.AgentConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run the agent: collect this machine's metrics every --interval seconds and send them to the hub.",
                "Give the host key once with --key; it is saved to the key file and read from there on later starts."})
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--hub", paramLabel = "URL", required = true,
            description = "The hub's ingest URL, e.g. http://hub.example.com:8081.")
    URI hub;

    @Option(names = "--key", paramLabel = "KEY",
            description = "Host key from the dashboard's 'Add host'. Saved to the key file (mode 0600).")
    String key;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "Where the host key is kept (default: <state dir>/host.key).")
    Path keyFile;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Agent state: key, sequence numbers (default: /var/lib/servmon-agent as root, else ~/.servmon-agent).")
    Path stateDir;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between reports, 1 to 3600 (default: ${DEFAULT-VALUE}).")
    int interval;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with defaults for these options.")
    Path config;

    @Override
    public Integer call() throws Exception {
        AgentConfig cfg = AgentConfig.of(hub, key, keyFile, stateDir, interval);
        try (Agent agent = new Agent(cfg)) {
            Shutdown.onSignal(agent);
            Agent.Outcome outcome = agent.run();
            return outcome == Agent.Outcome.KEY_REJECTED ? 3 : 0;
        }
    }
}
