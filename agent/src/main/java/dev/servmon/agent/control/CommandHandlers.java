package dev.servmon.agent.control;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The command handlers an agent offers, by type. Features register theirs at agent start. */
public final class CommandHandlers {
    private final Map<String, CommandHandler> byType = new ConcurrentHashMap<>();

    /** Adds a handler; a second handler for the same type is a programming error. */
    public void register(CommandHandler handler) {
        if (byType.putIfAbsent(handler.type(), handler) != null) {
            throw new IllegalStateException("two handlers for command type " + handler.type());
        }
    }

    public Optional<CommandHandler> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The registered types, e.g. for the agent to tell the hub what it can do. */
    public java.util.Set<String> types() {
        return java.util.Set.copyOf(byType.keySet());
    }
}
