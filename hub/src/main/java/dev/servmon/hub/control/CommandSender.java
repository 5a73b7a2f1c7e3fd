package dev.servmon.hub.control;

import dev.servmon.hub.auth.Principal;
import java.time.Duration;
import java.util.Map;

/**
 * Sends a command to a host's agent over the command channel and records it in the command
 * history (who asked, when, outcome). Features (programs, power, checks run by an agent) use
 * this; the channel decides whether the agent's socket is on this replica or another.
 */
public interface CommandSender {
    /** What to do when the host's agent is not connected. */
    enum WhenOffline {
        /** Refuse at once with 409 and a clear message. */
        REFUSE,
        /** Keep the command until the agent connects or {@code expiry} passes. */
        QUEUE
    }

    /**
     * Submits a command; returns at once with the stored command (state QUEUED or SENT).
     *
     * @param by who asked (recorded in the history); null for the hub itself (schedules, policies)
     */
    SubmittedCommand submit(long hostId, String type, Map<String, Object> args, WhenOffline whenOffline,
                            Duration expiry, Principal by);

    /** A stored command as returned to callers. */
    record SubmittedCommand(String id, long hostId, String type, String state) {}
}
