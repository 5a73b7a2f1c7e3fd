package dev.servmon.agent.outbox;

import java.util.List;

/**
 * Samples taken but not yet acknowledged by the hub, oldest first, each already encoded as the
 * JSON object the hub reads (so a replay sends the bytes that were recorded, and nothing is
 * decoded again). A sample leaves only when the hub acknowledged it ({@link #removeThrough})
 * or the outbox had to make room.
 *
 * <p>Bounded: when full, {@link #add} drops the oldest samples (counted, logged) rather than
 * blocking collection. Safe for one adding thread and one sending thread.
 */
public interface Outbox extends AutoCloseable {

    /**
     * One waiting sample.
     *
     * @param seq its sequence number
     * @param atMs when it was taken, epoch milliseconds
     * @param json the sample as a UTF-8 JSON object
     */
    record Entry(long seq, long atMs, byte[] json) {}

    /**
     * Appends a sample; its {@code seq} is higher than every sample added before.
     *
     * @throws IllegalArgumentException when {@code seq} is not above the newest waiting seq
     */
    void add(long seq, long atMs, byte[] json);

    /**
     * The oldest samples, oldest first, without removing them: at most {@code maxCount}, and no
     * more than fit in {@code maxBytes} of JSON (but always at least one when any wait).
     */
    List<Entry> oldest(int maxCount, int maxBytes);

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

    /** Whether waiting samples are still there after a restart of the agent (on disk), or lost with it (in memory). */
    default boolean survivesRestart() {
        return false;
    }

    /** Releases files; the default does nothing. */
    @Override
    default void close() {}
}
