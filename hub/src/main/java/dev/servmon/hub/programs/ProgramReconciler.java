package dev.servmon.hub.programs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.control.AgentHello;
import dev.servmon.hub.control.Command;
import dev.servmon.hub.control.CommandChannel;
import dev.servmon.hub.control.CommandSender;
import dev.servmon.hub.control.CommandState;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings an agent's programs back in line with the hub when its command channel (re)connects:
 * the agent reports the revision of the set it holds; when it differs from the host's (older,
 * none after a reinstall, or newer after the hub was restored from a backup: the hub's set
 * wins), and no apply of the current set is already on its way over this connection, the whole
 * current set is queued as one {@code programs.apply}. Agents that report no revision (older
 * ones) are left alone; equal revisions cost one indexed read, so a thousand agents reconnecting
 * after a hub restart send nothing unless they are out of date.
 *
 * <p>Reads the database, not a cache: the hello may arrive at any replica.
 */
public final class ProgramReconciler implements Consumer<AgentHello> {
    private static final Logger log = LoggerFactory.getLogger(ProgramReconciler.class);
    /** The name agents report their programs revision under (the agent's {@code ProgramHandlers.REVISION}). */
    static final String REVISION = "programs";

    private final ProgramStore store;
    private final ProgramApply apply;
    private final CommandChannel channel;
    private final ObjectMapper json;

    public ProgramReconciler(ProgramStore store, CommandChannel channel, ObjectMapper json) {
        this.store = store;
        this.apply = new ProgramApply(store, json);
        this.channel = channel;
        this.json = json;
    }

    @Override
    public void accept(AgentHello hello) {
        OptionalLong reported = hello.revision(REVISION);
        if (reported.isPresent()) {
            reconcile(hello.hostId(), reported.getAsLong(), hello.connectedAtMs(), "agent had revision");
        }
    }

    /**
     * After an agent applied a set: when two edits raced (their applies can be submitted in the
     * other order than their revisions), the agent may now hold the older set; it gets the
     * current one at once instead of at its next reconnect. Listens to
     * {@link CommandChannel#onFinished}.
     */
    public void applied(Command c) {
        if (!ProgramApply.TYPE.equals(c.type()) || c.state() != CommandState.SUCCEEDED || c.data() == null
                || !c.data().path("revision").canConvertToLong()) {
            return;
        }
        long held = c.data().path("revision").asLong();
        if (held != ProgramApply.revisionOf(c.args())) {
            // Not the revision it was sent: an agent this hub does not understand; resending could loop.
            return;
        }
        long sentAt = c.sentAtMs() == null ? c.createdAtMs() : c.sentAtMs();
        reconcile(c.hostId(), held, sentAt, "agent applied revision");
    }

    /**
     * Queues the host's current set unless the agent holds it ({@code agent}) or an apply of it is
     * queued, or sent at or after {@code sentSinceMs} (over the agent's current connection).
     */
    private void reconcile(long hostId, long agent, long sentSinceMs, String why) {
        if (store.revision(hostId) == agent) {
            return;
        }
        ProgramApply.Args current = apply.current(hostId);
        if (current.revision() == agent) {
            return;
        }
        boolean underWay = channel.underWay(hostId, ProgramApply.TYPE, sentSinceMs).stream()
                .anyMatch(c -> ProgramApply.revisionOf(c.args()) == current.revision());
        if (underWay) {
            log.debug("programs of host {} on their way to its agent (revision {}; the agent has {})", hostId, current.revision(), agent);
            return;
        }
        var c = channel.submitCommand(hostId, ProgramApply.TYPE, json.valueToTree(current.args()), CommandSender.WhenOffline.QUEUE,
                ProgramApply.EXPIRY, "hub (" + why + " " + agent + ")");
        log.info("programs sent again host={} agentRevision={} hubRevision={} programs={} command={} why=\"{}\"", hostId, agent,
                current.revision(), ((java.util.List<?>) current.args().get("programs")).size(), c.id(), why);
    }
}
