package dev.servmon.hub.programs;

import dev.servmon.hub.ingest.SampleWriter;
import dev.servmon.hub.live.LiveBus;
import dev.servmon.protocol.Sample;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the programs' status and events out of every stored batch (in its transaction, so they
 * are acknowledged with the samples and a replay adds nothing twice), then tells the browsers
 * ({@code programs} and {@code program-event} live events) and the {@link ProgramEventListener}s.
 *
 * <p>Live events go to the browsers of the replica that stored the batch; browsers on other
 * replicas see the change when they next load the list (docs/programs.md).
 */
public final class ProgramFeed implements SampleWriter.BatchHook {
    private static final Logger log = LoggerFactory.getLogger(ProgramFeed.class);
    /** Live event with a host's program statuses: {@code {hostId, programs:[status…]}}. */
    public static final String LIVE_STATUS = "programs";
    /** Live event for one program event: {@code {id, hostId, program, kind, atMs, exitCode, message}}. */
    public static final String LIVE_EVENT = "program-event";

    private final ProgramStore store;
    private final LiveBus live;
    private final List<ProgramEventListener> listeners = new CopyOnWriteArrayList<>();

    public ProgramFeed(ProgramStore store, LiveBus live) {
        this.store = store;
        this.live = live;
    }

    /** Adds a listener for program events (alerts, webhooks); none by default. */
    public void addListener(ProgramEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public Runnable write(Handle h, long hostId, List<Sample> samples) {
        boolean any = false;
        for (Sample s : samples) {
            if (!s.programs().isEmpty() || !s.programEvents().isEmpty()) {
                any = true;
                break;
            }
        }
        if (!any) {
            return null;
        }
        ProgramStore.Written written = store.write(h, hostId, samples);
        if (written.events().isEmpty() && written.statuses().isEmpty()) {
            return null;
        }
        return () -> announce(hostId, written);
    }

    private void announce(long hostId, ProgramStore.Written written) {
        try {
            if (!written.statuses().isEmpty()) {
                live.publish(LIVE_STATUS, Map.of("hostId", hostId, "programs", written.statuses()));
            }
            for (ProgramStore.Event e : written.events()) {
                live.publish(LIVE_EVENT, e);
            }
        } catch (RuntimeException e) {
            log.error("program status of host={} could not be announced", hostId, e);
        }
        for (ProgramStore.Event e : written.events()) {
            for (ProgramEventListener l : listeners) {
                try {
                    l.onEvent(hostId, e.program(), e.kind(), e.exitCode(), e.atMs());
                } catch (RuntimeException ex) {
                    log.error("program event listener {} failed on host={} program={} kind={}", l, hostId, e.program(), e.kind(), ex);
                }
            }
        }
    }
}
