package dev.servmon.app;

import dev.servmon.agent.Agent;
import dev.servmon.agent.AgentConfig;
import dev.servmon.agent.DeliveryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
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
            description = "Agent state: key, sequence numbers, samples waiting for the hub (default: /var/lib/servmon-agent as root, else ~/.servmon-agent).")
    Path stateDir;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between reports, 1 to 3600 (default: ${DEFAULT-VALUE}).")
    int interval;

    @Option(names = "--outbox-max-mib", paramLabel = "MIB", defaultValue = "" + DeliveryOptions.DEFAULT_OUTBOX_MAX_MIB,
            description = "Most disk space for samples waiting for the hub; beyond it the oldest are dropped (default: ${DEFAULT-VALUE}).")
    int outboxMaxMib;

    @Option(names = "--outbox-max-age-hours", paramLabel = "HOURS", defaultValue = "" + DeliveryOptions.DEFAULT_OUTBOX_MAX_AGE_HOURS,
            description = "Samples waiting longer than this are dropped unsent (default: ${DEFAULT-VALUE}, a week).")
    int outboxMaxAgeHours;

    @Option(names = "--replay-rate", paramLabel = "SAMPLES_PER_SECOND", defaultValue = "" + DeliveryOptions.DEFAULT_REPLAY_SAMPLES_PER_SECOND,
            description = "Most samples sent per second when catching up after an outage (default: ${DEFAULT-VALUE}).")
    int replayRate;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with defaults for these options.")
    Path config;

    @Override
    public Integer call() throws Exception {
        DeliveryOptions delivery = new DeliveryOptions(outboxMaxMib, outboxMaxAgeHours, replayRate);
        AgentConfig cfg = AgentConfig.of(hub, key, keyFile, stateDir, interval);
        Agent created;
        try {
            created = new Agent(cfg, delivery);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        try (Agent agent = created) {
            Shutdown.onSignal(agent);
            Agent.Outcome outcome = agent.run();
            return outcome == Agent.Outcome.KEY_REJECTED ? 3 : 0;
        }
    }
}
