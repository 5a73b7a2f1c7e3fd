package dev.servmon.hub.checks;

import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.control.CommandChannel;
import dev.servmon.hub.control.CommandSender.WhenOffline;
import dev.servmon.hub.programs.CommandResults;
import dev.servmon.protocol.checks.Probing;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a check on the agent chosen by its {@code agentHostId}: sends the {@code check.run}
 * command ({@code {type, settings, timeoutSeconds}}) over the command channel and turns the
 * agent's answer ({@code {up, responseMs, value, certDaysLeft, method, message}}) into an
 * {@link Outcome}, so the result is stored like one the hub measured. An agent that is not
 * connected, does not answer in time or cannot run the check gives a DOWN outcome with method
 * {@value #METHOD} saying which.
 *
 * <p>The command is refused rather than queued when the agent is offline (a late check is of no
 * use), expires after one interval, and is {@linkplain CommandChannel#forget forgotten} once
 * answered: the check's results are its record, not the command history.
 */
final class AgentChecks {
    private static final Logger log = LoggerFactory.getLogger(AgentChecks.class);
    /** The agent's command (agent/checks/CheckRun). */
    static final String TYPE = "check.run";
    /** The method of outcomes about the agent rather than the target. */
    static final String METHOD = "agent";
    /** Beyond the check's own timeout: the round trip to the agent and its start-up of the probe. */
    static final Duration MARGIN = Duration.ofSeconds(5);

    private final CommandChannel channel;
    private final LongFunction<String> hostName;

    /** @param hostName a host's name for messages (its id when it has none) */
    AgentChecks(CommandChannel channel, LongFunction<String> hostName) {
        this.channel = channel;
        this.hostName = hostName;
        channel.routine(TYPE);
    }

    /** Runs {@code c} on its agent, waiting at most its timeout + {@link #MARGIN} on this thread. */
    Outcome run(Check c) {
        long hostId = c.agentHostId();
        String host = hostName.apply(hostId);
        if (!channel.isConnected(hostId)) {
            return notConnected(host);
        }
        Map<String, Object> args = Map.of("type", c.type().label(), "settings", c.settings(), "timeoutSeconds", c.timeoutSeconds());
        String id;
        try {
            id = channel.submit(hostId, TYPE, args, WhenOffline.REFUSE, Duration.ofSeconds(c.intervalSeconds()), null).id();
        } catch (ApiException e) {
            // 409: it went away since we looked; 404: the host was deleted meanwhile.
            return e.status() == 409 ? notConnected(host) : Outcome.down(null, e.getMessage()).withMethod(METHOD);
        }
        long start = System.nanoTime();
        Duration wait = Duration.ofSeconds(c.timeoutSeconds()).plus(MARGIN);
        try {
            Optional<CommandResults.Result> answer = channel.await(id, wait);
            if (answer.isEmpty()) {
                return Outcome.down(Probing.msSince(start), "no answer from the agent of " + host + " within " + wait.toSeconds() + " s")
                        .withMethod(METHOD);
            }
            return outcome(answer.get(), host);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.down(null, "interrupted: the hub is stopping").withMethod(METHOD);
        } finally {
            try {
                channel.forget(id);
            } catch (RuntimeException e) {
                log.warn("check.run command {} of check id={} stays in the history of host {}: {}", id, c.id(), hostId, e.toString());
            }
        }
    }

    private static Outcome notConnected(String host) {
        return Outcome.down(null, "agent " + host + " is not connected").withMethod(METHOD);
    }

    /** The outcome an agent's answer stands for; pure. */
    static Outcome outcome(CommandResults.Result r, String host) {
        Map<String, Object> d = r.data();
        if (!r.ok() || !(d.get("up") instanceof Boolean up)) {
            String why = r.message() == null || r.message().isBlank() ? "no reason given" : r.message();
            return Outcome.down(null, "the agent of " + host + " could not run the check: " + why).withMethod(METHOD);
        }
        return new Outcome(up, number(d.get("responseMs")), number(d.get("value")),
                d.get("certDaysLeft") instanceof Number n ? n.intValue() : null,
                d.get("method") instanceof String m ? m : null,
                d.get("message") instanceof String m ? m : r.message());
    }

    private static Double number(Object o) {
        return o instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
    }
}
