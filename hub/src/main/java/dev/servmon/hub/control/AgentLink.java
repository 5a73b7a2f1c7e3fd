package dev.servmon.hub.control;

import java.util.List;

/**
 * This replica's connection to one agent's command channel: a WebSocket, or a poll waiting
 * for commands. {@link CommandChannel} keeps at most one per host.
 */
public interface AgentLink {
    /** {@code websocket} or {@code poll}. */
    String transport();

    /** The host key the agent authenticated with, to check again when keys may have been revoked. */
    String key();

    /**
     * Hands these commands (already marked SENT) to the agent, in order; returns how many were
     * handed over (the rest go back to the queue).
     */
    int deliver(List<Command> commands);

    /** Ends the link (a newer one replaced it, the key was revoked, the hub stops). */
    void close(int code, String reason);
}
