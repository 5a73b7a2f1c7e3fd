package dev.servmon.hub.metrics;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background task that keeps stored metrics in shape, off the ingest path: rollups of
 * dirty minutes, then packing closed hours into blocks, then retention. Each step works in
 * short transactions (one host and hour at a time), so the sample writer is never held up for
 * long, on SQLite's single write lock either.
 *
 * <p>It is a leader-only task (the hub schedules {@link #runScheduled} on the leader replica).
 * Every transaction either recomputes from raw samples (idempotent) or moves data and deletes
 * its source in one go (late merges, packing, retention), so a pass cut off anywhere — the
 * leader killed, its session gone — rolls back to a state the next leader finishes correctly:
 * no rollup is skipped, none is counted twice.
 */
public final class Maintenance {
    private static final Logger log = LoggerFactory.getLogger(Maintenance.class);
    /** A closed hour is packed this long after it ended, so that stragglers land in the head first. */
    static final long SEAL_GRACE_MS = 10 * 60_000L;

    private final RawTier raw;
    private final Rollups rollups;
    private final Retention retention;
    private final Clock clock;
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

    /** A pass, logged when it did more than rollups or took long; failures propagate to the scheduler. */
    public void runScheduled() {
        long t0 = System.nanoTime();
        Pass p = runOnce();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (p.windowsPacked() > 0 || p.rawSamplesExpired() > 0 || p.rollupRowsExpired() > 0 || ms > 5_000) {
            log.info("maintenance minutes={} packed={} raw_expired={} rollups_expired={} took_ms={}",
                    p.minutesRolledUp(), p.windowsPacked(), p.rawSamplesExpired(), p.rollupRowsExpired(), ms);
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
}
