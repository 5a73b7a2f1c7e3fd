package dev.servmon.hub.checks;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes check results older than {@link #KEEP} (90 days: the status page's bar is 90 days
 * long). A leader-only task; it deletes at most once an hour, so scheduling it with the
 * maintenance interval costs one comparison a minute.
 */
public final class CheckRetention {
    private static final Logger log = LoggerFactory.getLogger(CheckRetention.class);
    public static final Duration KEEP = Duration.ofDays(90);

    private final CheckStore store;
    private final Clock clock;
    private long ranForHour = Long.MIN_VALUE;

    /** {@code store} must write through the leader's database (see {@code Leadership#database}). */
    public CheckRetention(CheckStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public synchronized void runScheduled() {
        long now = clock.millis();
        long hour = now / 3_600_000L;
        if (hour == ranForHour) {
            return;
        }
        int n = runOnce();
        ranForHour = hour;
        if (n > 0) {
            log.info("check results expired count={} keep_days={}", n, KEEP.toDays());
        }
    }

    /** Deletes now; returns how many results went. */
    public int runOnce() {
        return store.expire(clock.millis() - KEEP.toMillis());
    }
}
