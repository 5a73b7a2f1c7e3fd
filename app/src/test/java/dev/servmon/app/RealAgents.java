package dev.servmon.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.TestHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Real agent processes (from the fat jar) for a {@link TestHub}, and the small scripts they supervise in tests. */
final class RealAgents {
    private RealAgents() {}

    /** An agent for {@code host} (as {@link TestHub#registerHost} returned it), sampling every second. */
    static ServmonProcess start(TestHub hub, JsonNode host, Path stateDir, String... more) {
        List<String> args = new ArrayList<>(List.of("agent", "--hub", hub.ingestUrl(), "--key", host.get("key").asText(),
                "--interval", "1", "--state-dir", stateDir.toString()));
        args.addAll(List.of(more));
        return ServmonProcess.start(args.toArray(String[]::new));
    }

    /** Waits until the agent's command channel is connected to the hub; fails with the agent's output. */
    static void awaitConnected(TestHub hub, long hostId, ServmonProcess agent, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hub.hub().commands().isConnected(hostId)) {
            if (System.nanoTime() > deadline || !agent.isAlive()) {
                throw new AssertionError("the agent's command channel did not connect within " + timeout
                        + "\n--- agent stdout ---\n" + agent.stdout() + "\n--- agent stderr ---\n" + agent.stderr());
            }
            Thread.sleep(50);
        }
    }

    /**
     * A shell script in {@code dir} that writes a line every 0.2 s until stopped, or for at most
     * 5 minutes: programs outlive their agent, so a failed test must not leave it running for good.
     */
    static Path ticker(Path dir) throws IOException {
        return script(dir, "ticker.sh", "echo started $$\nend=$(( $(date +%s) + 300 ))\n"
                + "while [ \"$(date +%s)\" -lt \"$end\" ]; do echo \"tick $(date +%s)\"; sleep 0.2; done\n");
    }

    /** A shell script {@code dir/name} running {@code body}. */
    static Path script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
        return p;
    }
}
