package dev.servmon.hub.alerts;

import dev.servmon.protocol.Sample;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values metric rules test, of each host's newest sample, kept by the sample's seq so that a
 * pass need not read and parse the sample's JSON again: the ingest hands over the sample it just
 * parsed ({@link #offer}), and the engine takes it ({@link #get}) only while the host's stored
 * {@code latest_seq} is that sample's. A report that reached another replica, a hub that just
 * became leader, or rules that now test other metrics miss here, and the engine reads the stored
 * sample instead ({@link #put}).
 *
 * <p>Only the metrics the enabled rules name are kept ({@link #want}), a few numbers per host; a
 * handed-over sample is kept whole only until the next pass turns it into those numbers.
 */
final class LatestValues {
    /** A host's newest sample known here: as handed over ({@code sample}) or as the numbers of {@code wanted}. */
    private record Entry(long seq, Sample sample, Map<String, Double> values, Set<String> wanted) {}

    private final Map<Long, Entry> byHost = new ConcurrentHashMap<>();
    private volatile Set<String> wanted = Set.of();

    /** The metrics the enabled rules test; none: nothing is kept. */
    void want(Set<String> metrics) {
        if (!metrics.equals(wanted)) {
            wanted = Set.copyOf(metrics);
        }
        if (metrics.isEmpty()) {
            byHost.clear();
        }
    }

    /** Whether any rule tests values (else there is nothing to keep or read). */
    boolean wanted() {
        return !wanted.isEmpty();
    }

    /** The ingest stored {@code newest} (sequence {@code seq}) of the host: keep it unless a newer one is known. */
    void offer(long hostId, Sample newest) {
        if (wanted.isEmpty()) {
            return;
        }
        Entry offered = new Entry(newest.seq(), newest, null, null);
        byHost.merge(hostId, offered, (old, now) -> now.seq() > old.seq() ? now : old);
    }

    /** The wanted values of the host's sample {@code seq}; null when not known here. */
    Map<String, Double> get(long hostId, long seq) {
        Entry e = byHost.get(hostId);
        if (e == null || e.seq() != seq) {
            return null;
        }
        Set<String> w = wanted;
        if (e.sample() != null) {
            Map<String, Double> values = pick(HostValues.of(e.sample()), w);
            // A newer sample handed over meanwhile stays.
            byHost.replace(hostId, e, new Entry(seq, null, values, w));
            return values;
        }
        return e.wanted() == w ? e.values() : null;
    }

    /** Keeps the values of the host's sample {@code seq}, as read from the database ({@code all}: every value); returns the wanted ones. */
    Map<String, Double> put(long hostId, long seq, Map<String, Double> all) {
        Set<String> w = wanted;
        Map<String, Double> values = pick(all, w);
        if (!w.isEmpty()) {
            Entry read = new Entry(seq, null, values, w);
            byHost.merge(hostId, read, (old, now) -> now.seq() >= old.seq() ? now : old);
        }
        return values;
    }

    /** Forgets hosts that are gone, or everything ({@code null}: this hub no longer evaluates). */
    void retain(Set<Long> hostIds) {
        if (hostIds == null) {
            byHost.clear();
        } else {
            byHost.keySet().retainAll(hostIds);
        }
    }

    private static Map<String, Double> pick(Map<String, Double> all, Set<String> names) {
        Map<String, Double> out = new HashMap<>(names.size() * 2);
        for (String n : names) {
            Double v = all.get(n);
            if (v != null) {
                out.put(n, v);
            }
        }
        return out;
    }
}
