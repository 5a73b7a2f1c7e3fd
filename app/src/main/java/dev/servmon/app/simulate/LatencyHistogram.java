package dev.servmon.app.simulate;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, counted in log-linear buckets (32 per power of two, so any
 * percentile is within about 3 % of the true value), from any number of threads without locks.
 * {@link #snapshot()} copies the counts; the difference of two snapshots is the histogram of
 * what happened between them, which is how progress lines show the last few seconds only.
 */
final class LatencyHistogram {
    private static final int SUB_BUCKETS = 32;
    /** Larger values (over 12 days) are counted as this. */
    static final long MAX_MICROS = 1L << 40;
    private static final int BUCKETS = index(MAX_MICROS) + 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long micros) {
        counts.incrementAndGet(index(Math.max(0, Math.min(MAX_MICROS, micros))));
    }

    Snapshot snapshot() {
        long[] copy = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        return new Snapshot(copy);
    }

    static int index(long micros) {
        if (micros < 2 * SUB_BUCKETS) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int shift = exponent - 5;
        return (shift + 1) * SUB_BUCKETS + (int) ((micros >> shift) - SUB_BUCKETS);
    }

    /** The middle of bucket {@code index}. */
    static long valueOf(int index) {
        if (index < 2 * SUB_BUCKETS) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        long lower = (long) (index % SUB_BUCKETS + SUB_BUCKETS) << shift;
        return lower + (1L << shift) / 2;
    }

    /** Counts at one moment. */
    static final class Snapshot {
        private final long[] counts;
        private final long total;

        private Snapshot(long[] counts) {
            this.counts = counts;
            long sum = 0;
            for (long c : counts) {
                sum += c;
            }
            this.total = sum;
        }

        /** What was recorded after {@code earlier} and up to this snapshot. */
        Snapshot minus(Snapshot earlier) {
            long[] diff = new long[counts.length];
            for (int i = 0; i < diff.length; i++) {
                diff[i] = counts[i] - earlier.counts[i];
            }
            return new Snapshot(diff);
        }

        long count() {
            return total;
        }

        /** The value below which {@code fraction} (0..1) of the recorded values fall; 0 when empty. */
        long percentile(double fraction) {
            if (total == 0) {
                return 0;
            }
            long rank = Math.max(1, (long) Math.ceil(fraction * total));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return valueOf(i);
                }
            }
            return valueOf(counts.length - 1);
        }

        long max() {
            for (int i = counts.length - 1; i >= 0; i--) {
                if (counts[i] > 0) {
                    return valueOf(i);
                }
            }
            return 0;
        }
    }
}
