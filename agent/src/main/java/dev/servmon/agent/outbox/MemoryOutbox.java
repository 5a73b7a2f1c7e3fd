package dev.servmon.agent.outbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import dev.servmon.agent.Log;

/**
 * An {@link Outbox} in memory: survives a hub outage, not an agent restart. Drops the oldest
 * sample when full; the first drop is logged at WARN, then one WARN a minute with the count.
 */
public final class MemoryOutbox implements Outbox {
    /** Default capacity: at a 10 s interval, a bit over a day of samples. */
    public static final int DEFAULT_CAPACITY = 10_000;
    private static final long DROP_WARN_EVERY_NANOS = 60_000_000_000L;
    private static final Log log = Log.get(MemoryOutbox.class);

    private final int capacity;
    private final ArrayDeque<Entry> samples = new ArrayDeque<>();
    private long dropped;
    private long droppedAtLastWarn;
    private long lastWarnAtNanos;

    /** An outbox holding at most {@code capacity} samples. */
    public MemoryOutbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("outbox capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized void add(long seq, long atMs, byte[] json) {
        Entry newest = samples.peekLast();
        if (newest != null && seq <= newest.seq()) {
            throw new IllegalArgumentException("sample seq " + seq + " is not above the newest waiting seq " + newest.seq());
        }
        if (samples.size() == capacity) {
            Entry oldest = samples.removeFirst();
            dropped++;
            warnDrop(oldest);
        }
        samples.addLast(new Entry(seq, atMs, json));
    }

    @Override
    public synchronized List<Entry> oldest(int maxCount, int maxBytes) {
        List<Entry> batch = new ArrayList<>(Math.min(maxCount, samples.size()));
        Iterator<Entry> it = samples.iterator();
        long bytes = 0;
        while (batch.size() < maxCount && it.hasNext()) {
            Entry e = it.next();
            bytes += e.json().length + 1;
            if (!batch.isEmpty() && bytes > maxBytes) {
                break;
            }
            batch.add(e);
        }
        return batch;
    }

    @Override
    public synchronized int removeThrough(long throughSeq) {
        int removed = 0;
        while (!samples.isEmpty() && samples.peekFirst().seq() <= throughSeq) {
            samples.removeFirst();
            removed++;
        }
        return removed;
    }

    @Override
    public synchronized int size() {
        return samples.size();
    }

    @Override
    public synchronized long droppedCount() {
        return dropped;
    }

    private void warnDrop(Entry oldest) {
        long now = System.nanoTime();
        if (dropped == 1 || now - lastWarnAtNanos >= DROP_WARN_EVERY_NANOS) {
            log.warn("servmon agent: outbox full ({} samples waiting for the hub); dropped the oldest (seq {}), {} dropped since the last warning, {} in all",
                    capacity, oldest.seq(), dropped - droppedAtLastWarn, dropped);
            lastWarnAtNanos = now;
            droppedAtLastWarn = dropped;
        }
    }
}
