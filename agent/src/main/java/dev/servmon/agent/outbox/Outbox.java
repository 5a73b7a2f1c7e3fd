package dev.servmon.agent.outbox;

import dev.servmon.protocol.Sample;
import java.util.List;

/**
 * Samples taken but not yet acknowledged by the hub, oldest first. A sample leaves only when
 * the hub acknowledged it ({@link #removeThrough}) or the outbox had to make room.
 *
 * <p>Bounded: when full, {@link #add} drops the oldest samples (counted, logged) rather than
 * blocking collection. Safe for one adding thread and one sending thread.
 */
public interface Outbox {

    /** Appends a sample; its {@code seq} is higher than every sample added before. */
    void add(Sample sample);

    /** Up to {@code max} of the oldest samples, oldest first, without removing them. */
    List<Sample> oldest(int max);

    /**
     * Removes the oldest samples with {@code seq <= throughSeq}.
     *
     * @return how many were removed
     */
    int removeThrough(long throughSeq);

    /** Number of samples waiting. */
    int size();

    /** Samples dropped unsent since this outbox was created, to make room. */
    long droppedCount();
}
