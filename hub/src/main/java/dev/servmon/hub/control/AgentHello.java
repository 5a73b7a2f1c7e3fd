package dev.servmon.hub.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;

/**
 * An agent's command channel (re)connected and said which revision of each piece of state the
 * hub sent it holds (the WebSocket's {@code hello}, or the body of the first poll after
 * connecting): {@code {"programs": 1733000000000}}. Features compare with their own and send
 * again what differs (see {@link CommandChannel#onHello}).
 *
 * @param hostId the agent's host
 * @param revisions the {@code revisions} object as the agent sent it
 * @param connectedAtMs when this connection began (hub clock): commands sent since went over it
 */
public record AgentHello(long hostId, JsonNode revisions, long connectedAtMs) {
    /** The revision the agent reported under {@code name}; empty when it sent none (an older agent) or not a whole number ≥ 0. */
    public OptionalLong revision(String name) {
        JsonNode n = revisions == null ? null : revisions.get(name);
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(n.asLong());
    }
}
