package dev.servmon.hub.metrics;

/**
 * One sample as the raw tier stores it: its identity and its figures as named numbers.
 * {@code names[i]} has value {@code values[i]}; names are unique within a sample.
 *
 * @param seq the agent's sequence number; (host, seq) identifies a sample
 * @param atMs when it was taken, epoch milliseconds UTC
 * @param names series names (see {@link MetricCatalog})
 * @param values finite values, parallel to {@code names}
 */
public record RawSample(long seq, long atMs, String[] names, double[] values) {
    /** Longest series name kept; longer ones (absurd mount paths) are dropped at flattening. */
    public static final int MAX_NAME_LENGTH = 200;

    public RawSample {
        if (names.length != values.length) {
            throw new IllegalArgumentException("names and values differ in length: " + names.length + " vs " + values.length);
        }
    }

    /** The value of {@code name}, or NaN when this sample does not have it. */
    public double value(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return Double.NaN;
    }

    /** Equal when seq, time and the set of named values are equal, in whatever order the names come. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RawSample r) || r.seq != seq || r.atMs != atMs || r.names.length != names.length) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            if (Double.compare(r.value(names[i]), values[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Long.hashCode(atMs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RawSample[seq=").append(seq).append(", atMs=").append(atMs);
        for (int i = 0; i < names.length; i++) {
            sb.append(", ").append(names[i]).append('=').append(values[i]);
        }
        return sb.append(']').toString();
    }
}
