package dev.servmon.hub.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background task that keeps stored metrics in shape, on its own thread so that ingest
 * never waits for it: rollups of dirty minutes, then packing closed hours into blocks, then
 * retention. Each step works in short transactions (one host and hour at a time), so the
 * sample writer is never held up for long, on SQLite's single write lock either.
 */
public final class Maintenance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Maintenance.class);
    /** A closed hour is packed this long after it ended, so that stragglers land in the head first. */
    static final long SEAL_GRACE_MS = 10 * 60_000L;

    private final RawTier raw;
    private final Rollups rollups;
    private final Retention retention;
    private final Clock clock;
    private volatile ScheduledExecutorService timer;
    /** The hour retention last ran in; cut-offs are whole hours, so once an hour is enough. */
    private long retentionRanForHour = Long.MIN_VALUE;

    /** What one pass did. */
    public record Pass(int minutesRolledUp, int windowsPacked, long rawSamplesExpired, int rollupRowsExpired) {}

    public Maintenance(RawTier raw, Rollups rollups, Retention retention, Clock clock) {
        this.raw = raw;
        this.rollups = rollups;
        this.retention = retention.validate();
        this.clock = clock;
    }

    /** Runs a pass every {@code every}, first one after {@code every}. */
    public synchronized void start(Duration every) {
        if (timer != null) {
            throw new IllegalStateException("maintenance already started");
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "servmon-maintenance");
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
        timer.scheduleWithFixedDelay(this::runLogged, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runLogged() {
        try {
            long t0 = System.nanoTime();
            Pass p = runOnce();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (p.windowsPacked() > 0 || p.rawSamplesExpired() > 0 || p.rollupRowsExpired() > 0 || ms > 5_000) {
                log.info("maintenance minutes={} packed={} raw_expired={} rollups_expired={} took_ms={}",
                        p.minutesRolledUp(), p.windowsPacked(), p.rawSamplesExpired(), p.rollupRowsExpired(), ms);
            }
        } catch (RuntimeException e) {
            log.error("maintenance pass failed; next pass retries", e);
        }
    }

    /**
     * One pass, now, on the calling thread (tests and the benchmarks call it directly); retention
     * only when the hour changed since it last ran (raw hours whose rollups were pending then
     * are expired at the next hour).
     */
    public synchronized Pass runOnce() {
        long now = clock.millis();
        int minutes = 0;
        for (int round = 0; round < 10; round++) {
            int n = rollups.process(retention, now);
            minutes += n;
            if (n == 0) {
                break;
            }
        }
        int packed = raw.compact(now - SEAL_GRACE_MS);
        long rawExpired = 0;
        int rollupExpired = 0;
        long hour = RawTier.windowOf(now);
        if (hour != retentionRanForHour) {
            rawExpired = raw.expire(retention.rawCutoff(now));
            rollupExpired = rollups.expire(retention, now);
            retentionRanForHour = hour;
        }
        return new Pass(minutes, packed, rawExpired, rollupExpired);
    }

    public Retention retention() {
        return retention;
    }

    /** Stops the timer; a pass in progress is interrupted between statements or finishes. */
    @Override
    public void close() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
            try {
                t.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
