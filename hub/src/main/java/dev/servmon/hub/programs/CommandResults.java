package dev.servmon.hub.programs;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Waits for the result an agent reports for a command submitted through
 * {@link dev.servmon.hub.control.CommandSender} (the log tail needs the lines back). Implemented
 * by the command channel next to its sender.
 */
public interface CommandResults {
    /**
     * The command's result once the agent reported it; empty when it did not within {@code timeout}.
     *
     * @param commandId {@link dev.servmon.hub.control.CommandSender.SubmittedCommand#id()}
     */
    Optional<Result> await(String commandId, Duration timeout) throws InterruptedException;

    /** What the agent reported: the agent side's {@code CommandResult}. */
    record Result(boolean ok, String message, Map<String, Object> data) {}
}
