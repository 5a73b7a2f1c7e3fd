package dev.servmon.hub.control;

import dev.servmon.agent.control.AgentChannel;
import dev.servmon.agent.control.CommandHandler;
import dev.servmon.agent.control.CommandHandlers;
import dev.servmon.agent.control.CommandResult;
import dev.servmon.agent.transport.Backoff;
import dev.servmon.hub.TestHub;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/** The agent's real command channel, in this JVM, against a test hub. */
public final class TestAgents {
    private TestAgents() {}

    /** Handlers every test agent offers: {@code test.echo} answers with its {@code text} argument. */
    public static CommandHandlers echo() {
        CommandHandlers h = new CommandHandlers();
        h.register(new CommandHandler() {
            @Override
            public String type() {
                return "test.echo";
            }

            @Override
            public CommandResult handle(Map<String, Object> args) {
                return new CommandResult(true, "echo " + args.get("text"), Map.of("length", String.valueOf(args.get("text")).length()));
            }
        });
        h.register(new CommandHandler() {
            @Override
            public String type() {
                return "test.fail";
            }

            @Override
            public CommandResult handle(Map<String, Object> args) throws Exception {
                throw new IllegalStateException("the disk is on fire");
            }
        });
        return h;
    }

    public static AgentChannel start(String ingestUrl, String key, CommandHandlers handlers, AgentChannel.Transport transport, int pollWaitSeconds) {
        var channel = new AgentChannel(URI.create(ingestUrl), key, "9.9.9-test", handlers, transport,
                new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), new Random()), pollWaitSeconds);
        channel.start();
        return channel;
    }

    public static AgentChannel start(TestHub hub, String key, AgentChannel.Transport transport) {
        return start(hub.ingestUrl(), key, echo(), transport, 5);
    }

    public static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(10);
        }
    }
}
