package dev.servmon.hub.hosts;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Notices when a host's status changes through the passing of time alone (ON → OFF) and tells
 * a listener, which pushes the new state to browsers. Status changes caused by a report
 * (EMPTY/OFF → ON) are published by the ingest path itself. Every hub replica runs its own,
 * for its own browsers (see {@code live/HostUpdates}).
 */
public final class LivenessWatcher {
    private final Liveness liveness;
    private final Clock clock;
    private final LongConsumer onChange;
    private final Map<Long, Tracked> hosts = new ConcurrentHashMap<>();

    private record Tracked(Long lastSeenAtMs, Integer intervalSeconds, HostStatus status) {}

    public LivenessWatcher(Liveness liveness, Clock clock, LongConsumer onChange) {
        this.liveness = liveness;
        this.clock = clock;
        this.onChange = onChange;
    }

    /** Starts or updates tracking of a host from its latest known state. */
    public void track(long hostId, Long lastSeenAtMs, Integer intervalSeconds) {
        hosts.put(hostId, new Tracked(lastSeenAtMs, intervalSeconds, liveness.status(lastSeenAtMs, intervalSeconds, clock.millis())));
    }

    public void forget(long hostId) {
        hosts.remove(hostId);
    }

    /** Forgets every host not in {@code hostIds} (after reloading the whole list). */
    public void retainOnly(Set<Long> hostIds) {
        hosts.keySet().retainAll(hostIds);
    }

    /** Re-evaluates every host; call about once a second. Returns how many changed. */
    public int tick() {
        long now = clock.millis();
        int changed = 0;
        for (var e : hosts.entrySet()) {
            Tracked t = e.getValue();
            HostStatus s = liveness.status(t.lastSeenAtMs(), t.intervalSeconds(), now);
            if (s != t.status() && hosts.replace(e.getKey(), t, new Tracked(t.lastSeenAtMs(), t.intervalSeconds(), s))) {
                changed++;
                onChange.accept(e.getKey());
            }
        }
        return changed;
    }
}
