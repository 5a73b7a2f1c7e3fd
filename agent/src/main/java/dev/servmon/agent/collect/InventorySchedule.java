package dev.servmon.agent.collect;

import dev.servmon.agent.transport.Json;
import dev.servmon.protocol.Sample;
import java.util.Arrays;

/**
 * When to look at the inventory again and when to send it: it is recomputed every
 * {@link #RECOMPUTE_MILLIS} and attached to a sample only when it differs from the one last
 * attached, on the first sample, and at least every {@link #RESEND_MILLIS} (so a hub that lost
 * it, e.g. restored from an old backup, gets it back within a day).
 */
final class InventorySchedule {
    /** How often the inventory is read again. */
    static final long RECOMPUTE_MILLIS = 5 * 60_000;
    /** Longest time between two sends of an unchanged inventory. */
    static final long RESEND_MILLIS = 24 * 3600_000L;

    private final Cadence recompute = new Cadence(RECOMPUTE_MILLIS);
    private Sample.Inventory lastSent;
    private byte[] lastSentJson;
    private long lastSentAtMs;

    /**
     * Whether the inventory should be read at {@code atMs}; when it is, the read counts as done
     * (a failed read is retried on schedule, not at every sample).
     */
    boolean recomputeDue(long atMs) {
        return recompute.due(atMs);
    }

    /**
     * The inventory to attach to the sample taken at {@code atMs}, or {@code null} when the hub
     * has it already.
     *
     * @param current the latest inventory read, or {@code null} when none could be read
     */
    Sample.Inventory toSend(Sample.Inventory current, long atMs) {
        if (current == null) {
            return null;
        }
        boolean resendDue = lastSent == null || atMs - lastSentAtMs >= RESEND_MILLIS || atMs < lastSentAtMs;
        if (!resendDue && current == lastSent) {
            return null;
        }
        // Compared as the JSON the hub receives, not with the records' equals(): that is
        // bootstrapped by invokedynamic, which spins some 70 method-handle classes on first use.
        byte[] json = Json.write(current);
        lastSent = current;
        if (!resendDue && Arrays.equals(json, lastSentJson)) {
            return null;
        }
        lastSentJson = json;
        lastSentAtMs = atMs;
        return current;
    }
}
