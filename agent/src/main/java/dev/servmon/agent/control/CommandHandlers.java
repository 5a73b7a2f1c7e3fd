package dev.servmon.agent.control;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The command handlers an agent offers, by type, and the revisions of the state the hub sent
 * them (e.g. the desired programs), which the agent reports whenever its command channel
 * connects so the hub can send again what the agent lacks. Features register theirs at agent
 * start.
 */
public final class CommandHandlers {
    private final Map<String, CommandHandler> byType = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> revisions = new ConcurrentHashMap<>();

    /** Adds a handler; a second handler for the same type is a programming error. */
    public void register(CommandHandler handler) {
        if (byType.putIfAbsent(handler.type(), handler) != null) {
            throw new IllegalStateException("two handlers for command type " + handler.type());
        }
    }

    /** Reports {@code revision} as {@code name} whenever the channel connects; one supplier per name. */
    public void revision(String name, LongSupplier revision) {
        if (revisions.putIfAbsent(name, revision) != null) {
            throw new IllegalStateException("two revisions named " + name);
        }
    }

    /** The current revisions, by name (empty when no feature keeps state from the hub). */
    public Map<String, Object> revisions() {
        Map<String, Object> out = new LinkedHashMap<>();
        revisions.forEach((name, r) -> out.put(name, r.getAsLong()));
        return out;
    }

    public Optional<CommandHandler> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The registered types, e.g. for the agent to tell the hub what it can do. */
    public java.util.Set<String> types() {
        return java.util.Set.copyOf(byType.keySet());
    }
}
