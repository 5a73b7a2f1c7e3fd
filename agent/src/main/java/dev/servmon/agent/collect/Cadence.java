package dev.servmon.agent.collect;

/**
 * Paces a costly source slower than samples: due on the first sample, then once
 * {@code every} has passed by the samples' clock (or the clock went back).
 *
 * <p>Samples come at the agent's interval with a few milliseconds of jitter; 5 % of slack keeps
 * a reading due every 30 s from slipping by a whole sample interval because one sample came a
 * millisecond early.
 */
final class Cadence {
    private final long everyMillis;
    private boolean started;
    private long lastAtMs;

    Cadence(long everyMillis) {
        this.everyMillis = everyMillis;
    }

    /** Whether the source is due at {@code atMs}; when it is, that time counts as its last run. */
    boolean due(long atMs) {
        boolean due = !started || atMs - lastAtMs >= everyMillis - everyMillis / 20 || atMs < lastAtMs;
        if (due) {
            started = true;
            lastAtMs = atMs;
        }
        return due;
    }
}
