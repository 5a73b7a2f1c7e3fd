package dev.servmon.agent.control;

import java.util.Map;

/**
 * The outcome of a command, reported to the hub.
 *
 * @param ok whether the command did what was asked
 * @param message one line for people, e.g. "stopped after SIGTERM in 0.4 s"
 * @param data optional structured details (may be empty, never null)
 */
public record CommandResult(boolean ok, String message, Map<String, Object> data) {
    public CommandResult {
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    public static CommandResult ok(String message) {
        return new CommandResult(true, message, Map.of());
    }

    public static CommandResult failed(String message) {
        return new CommandResult(false, message, Map.of());
    }
}
