package dev.servmon.agent.control;

import java.util.Map;

/**
 * Carries out one kind of command sent by the hub over the agent's command channel
 * (e.g. {@code power.shutdown}, {@code program.restart}). Handlers are registered in
 * {@link CommandHandlers} by type; the channel acknowledges a command as soon as it is received,
 * runs the handler off the channel's thread, and reports the {@link CommandResult}.
 *
 * <p>Wire format (JSON, both transports — WebSocket and polling):
 * hub → agent {@code {"id":"…","type":"program.start","args":{…},"expiresAtMs":…}};
 * agent → hub {@code {"id":"…","event":"ack"}} then
 * {@code {"id":"…","event":"result","ok":true,"message":"…","data":{…}}}.
 */
public interface CommandHandler {
    /** The command type this handler carries out, e.g. {@code "power.shutdown"}. */
    String type();

    /**
     * Runs the command. Throwing is allowed: the channel reports the exception's message as a
     * failed result. Must not block for longer than the command's own timeout.
     *
     * @param args the command's arguments, as parsed by {@link dev.servmon.agent.transport.Json}
     *     (String, Double/Long, Boolean, List, Map, null)
     */
    CommandResult handle(Map<String, Object> args) throws Exception;

    /**
     * Whether the hub sends this command on a schedule (a check every minute): the channel then
     * logs it at debug rather than info, so the log shows what people asked for.
     */
    default boolean routine() {
        return false;
    }
}
