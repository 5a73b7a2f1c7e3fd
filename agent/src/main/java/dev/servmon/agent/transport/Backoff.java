package dev.servmon.agent.transport;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: after the n-th failure in a row, wait a random time between
 * half and all of {@code min(max, first × 2^(n-1))}. The jitter keeps a fleet of agents that
 * lost the hub at the same moment from coming back in lockstep.
 */
public final class Backoff {
    private final Duration first;
    private final Duration max;
    private final RandomGenerator random;

    /**
     * @param first the ceiling of the first wait
     * @param max the ceiling of every wait
     * @param random source of the jitter
     */
    public Backoff(Duration first, Duration max, RandomGenerator random) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max, got first " + first + ", max " + max);
        }
        this.first = first;
        this.max = max;
        this.random = random;
    }

    /** How long to wait after {@code failures} failures in a row (1 or more). */
    public Duration delay(int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 30);
        long ceilingNanos = Math.min(max.toNanos(), first.toNanos() << Math.min(doublings, Long.numberOfLeadingZeros(first.toNanos()) - 1));
        long half = ceilingNanos / 2;
        return Duration.ofNanos(half + (long) (random.nextDouble() * (ceilingNanos - half)));
    }
}
