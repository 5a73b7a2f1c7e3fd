package dev.servmon.protocol.checks;

/**
 * What the hub's and the agents' probes measure and word the same way: the response time a
 * result reports, and the message of a failure.
 */
public final class Probing {
    private Probing() {}

    /** Elapsed milliseconds since {@code startNanos}, with a tenth of a millisecond. */
    public static double msSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 100_000.0) / 10.0;
    }

    /** The innermost cause's message, or its class name when it has none. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
