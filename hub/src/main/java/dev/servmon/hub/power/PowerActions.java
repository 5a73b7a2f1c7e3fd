package dev.servmon.hub.power;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.control.Command;
import dev.servmon.hub.control.CommandChannel;
import dev.servmon.hub.control.CommandSender.WhenOffline;
import dev.servmon.hub.control.CommandState;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Power actions the hub takes on its own (schedules, idle policies): each sends the command or
 * the wake, and leaves a line in the host's command history and a {@link Decisions decision}
 * saying what happened and why, including when it was skipped.
 */
public final class PowerActions {
    private static final Logger log = LoggerFactory.getLogger(PowerActions.class);
    /**
     * A policy's shutdown waits this long for an agent that is not connected: long enough for a
     * brief network drop, short enough that a host switched on hours later is not shut down.
     */
    static final Duration COMMAND_EXPIRY = Duration.ofMinutes(5);

    private final CommandChannel channel;
    private final Wakes wakes;
    private final Decisions decisions;
    private final ObjectMapper json;
    private final Clock clock;

    public PowerActions(CommandChannel channel, Wakes wakes, Decisions decisions, ObjectMapper json, Clock clock) {
        this.channel = channel;
        this.wakes = wakes;
        this.decisions = decisions;
        this.json = json;
        this.clock = clock;
    }

    public Decisions decisions() {
        return decisions;
    }

    /**
     * Wakes the host, or sends it {@code power.shutdown} / {@code power.suspend} (queued for
     * {@link #COMMAND_EXPIRY} when its agent is not connected), on behalf of {@code source}.
     * Returns one line about the outcome.
     */
    public String act(long hostId, String action, String source) {
        try {
            Command c = action.equals("wake")
                    ? wakes.wake(hostId, new Wakes.Request(null, null, null, null, null), source)
                    : channel.submitCommand(hostId, "power." + action, json.createObjectNode(), WhenOffline.QUEUE, COMMAND_EXPIRY, source);
            boolean failed = c.state() == CommandState.FAILED;
            String reason = failed ? c.message() : c.type() + " " + c.state().name().toLowerCase(java.util.Locale.ROOT);
            decisions.add(hostId, source, action, failed ? Decisions.FAILED : Decisions.ACTED, reason, c.id(), clock.millis());
            log.info("{}: {} host={} command={} state={}", source, action, hostId, c.id(), c.state());
            return (failed ? "failed: " : "acted: ") + reason;
        } catch (ApiException e) {
            // A wake of a host that is ON already has nothing to do; anything else did not happen.
            boolean alreadyOn = e.status() == 409 && action.equals("wake");
            decisions.add(hostId, source, action, alreadyOn ? Decisions.SKIPPED : Decisions.FAILED, e.getMessage(), null, clock.millis());
            log.warn("{}: {} of host {} did not happen: {}", source, action, hostId, e.getMessage());
            return (alreadyOn ? "skipped: " : "failed: ") + e.getMessage();
        }
    }

    /**
     * Does not act, and says so: a {@code REFUSED} line in the host's command history with the
     * reason, and a skipped decision. Returns one line about it.
     */
    public String skip(long hostId, String action, String source, String reason) {
        String type = action.equals("wake") ? Wakes.WAKE : "power." + action;
        Command c = channel.record(hostId, type, json.createObjectNode().put("skipped", true), CommandState.REFUSED,
                "skipped: " + reason, Duration.ofMinutes(1), source);
        decisions.add(hostId, source, action, Decisions.SKIPPED, reason, c.id(), clock.millis());
        log.info("{}: {} of host {} skipped: {}", source, action, hostId, reason);
        return "skipped: " + reason;
    }
}
