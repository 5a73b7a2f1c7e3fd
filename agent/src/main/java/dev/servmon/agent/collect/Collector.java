package dev.servmon.agent.collect;

import dev.servmon.protocol.Sample;

/**
 * Takes samples of this machine. Rates (CPU %, network bytes/s) are computed over the time since
 * the previous call.
 *
 * <p>The first call primes the counters and measures rates over a short window
 * ({@link #PRIMING_MILLIS}), so even the first report carries a CPU figure. A figure the
 * collector cannot read is {@code null} (or left out of a list), never zero; one failing
 * source does not fail the whole sample.
 *
 * <p>Implementations are used by one thread at a time.
 */
public interface Collector {

    /** Length of the measuring window of the first call. */
    long PRIMING_MILLIS = 250;

    /**
     * Takes one sample.
     *
     * @param seq the sample's sequence number
     * @param atMs the sample's time, epoch milliseconds UTC
     * @throws InterruptedException when interrupted while priming
     */
    Sample collect(long seq, long atMs) throws InterruptedException;
}
