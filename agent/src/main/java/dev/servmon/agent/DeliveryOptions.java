package dev.servmon.agent;

import java.time.Duration;

/**
 * How the agent keeps the samples the hub has not acknowledged yet, and how fast it sends a
 * backlog. Validated once, at construction; each message names the option to change.
 *
 * @param outboxMaxMib bound on the outbox on disk, in MiB ({@value #MIN_OUTBOX_MAX_MIB}..{@value #MAX_OUTBOX_MAX_MIB});
 *     when full, the oldest samples are dropped
 * @param outboxMaxAgeHours samples older than this are dropped unsent ({@value #MIN_OUTBOX_MAX_AGE_HOURS}..{@value #MAX_OUTBOX_MAX_AGE_HOURS})
 * @param replaySamplesPerSecond most samples sent per second ({@value #MIN_REPLAY_SAMPLES_PER_SECOND}..{@value #MAX_REPLAY_SAMPLES_PER_SECOND}):
 *     paces the backlog after an outage or a restart; an agent that keeps up never reaches it
 */
public record DeliveryOptions(int outboxMaxMib, int outboxMaxAgeHours, int replaySamplesPerSecond) {
    public static final int DEFAULT_OUTBOX_MAX_MIB = 64;
    public static final int MIN_OUTBOX_MAX_MIB = 1;
    public static final int MAX_OUTBOX_MAX_MIB = 4096;
    public static final int DEFAULT_OUTBOX_MAX_AGE_HOURS = 7 * 24;
    public static final int MIN_OUTBOX_MAX_AGE_HOURS = 1;
    public static final int MAX_OUTBOX_MAX_AGE_HOURS = 366 * 24;
    /**
     * A week of samples at a 10 s interval (60,480) replays in about 5 minutes, one batch a
     * second; a hub can take a few dozen agents doing that at once (docs/performance.md), and
     * tells the rest to wait with 503 and {@code Retry-After}.
     */
    public static final int DEFAULT_REPLAY_SAMPLES_PER_SECOND = 200;
    public static final int MIN_REPLAY_SAMPLES_PER_SECOND = 1;
    public static final int MAX_REPLAY_SAMPLES_PER_SECOND = 100_000;
    /** 64 MiB, 7 days, 200 samples/s. */
    public static final DeliveryOptions DEFAULTS =
            new DeliveryOptions(DEFAULT_OUTBOX_MAX_MIB, DEFAULT_OUTBOX_MAX_AGE_HOURS, DEFAULT_REPLAY_SAMPLES_PER_SECOND);

    public DeliveryOptions {
        check("--outbox-max-mib", outboxMaxMib, MIN_OUTBOX_MAX_MIB, MAX_OUTBOX_MAX_MIB);
        check("--outbox-max-age-hours", outboxMaxAgeHours, MIN_OUTBOX_MAX_AGE_HOURS, MAX_OUTBOX_MAX_AGE_HOURS);
        check("--replay-rate", replaySamplesPerSecond, MIN_REPLAY_SAMPLES_PER_SECOND, MAX_REPLAY_SAMPLES_PER_SECOND);
    }

    /** The outbox bound in bytes. */
    public long outboxMaxBytes() {
        return (long) outboxMaxMib << 20;
    }

    /** The age bound. */
    public Duration outboxMaxAge() {
        return Duration.ofHours(outboxMaxAgeHours);
    }

    private static void check(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
