package dev.servmon.app.simulate;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** What a simulation did so far, updated from any thread; printed as progress lines and a summary. */
final class FleetStats {
    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder skipped = new LongAdder();
    /** Times a report was due while every request slot was waiting for the hub. */
    final LongAdder slotWaits = new LongAdder();
    final LatencyHistogram latency = new LatencyHistogram();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicLong maxLagNanos = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();

    /** A point in time, for rates and percentiles over the time between two of them. */
    record Tick(long atNanos, long acked, long errors, LatencyHistogram.Snapshot latency) {}

    Tick tick() {
        return new Tick(System.nanoTime(), acked.sum(), errorCount(), latency.snapshot());
    }

    void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void lag(long nanos) {
        maxLagNanos.accumulateAndGet(nanos, Math::max);
    }

    void started() {
        sent.increment();
        inFlight.incrementAndGet();
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Errors by kind, most frequent first. */
    Map<String, Long> errorsByKind() {
        return errors.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** The kind of a failed answer, as counted in the summary. */
    static String kindOf(int status) {
        return "http " + status;
    }

    /** The kind of a request that got no answer. */
    static String kindOf(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IOException)) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof IOException) {
            return "connection lost";
        }
        return "simulator: " + cause.getClass().getSimpleName();
    }

    /** One progress line: totals so far, rate and latency since {@code previous}. */
    String progressLine(Tick start, Tick previous, Tick now) {
        double window = Math.max(1e-9, (now.atNanos() - previous.atNanos()) / 1e9);
        var recent = now.latency().minus(previous.latency());
        String latencies = recent.count() == 0 ? "no acks"
                : "ack p50 " + millis(recent.percentile(0.50)) + " p95 " + millis(recent.percentile(0.95)) + " p99 " + millis(recent.percentile(0.99));
        return String.format(Locale.ROOT, "simulate: %5.0f s  sent %,d  acked %,d  %,.1f reports/s  %s  in flight %d  errors %,d%s",
                (now.atNanos() - start.atNanos()) / 1e9, sent.sum(), now.acked(), (now.acked() - previous.acked()) / window, latencies,
                inFlight.get(), now.errors(), now.errors() > previous.errors() ? " (" + (now.errors() - previous.errors()) + " new)" : "");
    }

    /** The closing report. */
    String summary(int hosts, int intervalSeconds, int concurrency, double elapsedSeconds) {
        var all = latency.snapshot();
        long ackedNow = acked.sum();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "simulate: done after %.1f s: %,d reports sent, %,d acked%n", elapsedSeconds, sent.sum(), ackedNow));
        sb.append(String.format(Locale.ROOT, "  achieved      %,.1f reports/s (target %,.1f/s: %,d hosts every %d s)%n",
                ackedNow / Math.max(1e-9, elapsedSeconds), hosts / (double) intervalSeconds, hosts, intervalSeconds));
        sb.append(String.format(Locale.ROOT, "  ack latency   p50 %s  p95 %s  p99 %s  max %s  (%,d acks)%n",
                millis(all.percentile(0.50)), millis(all.percentile(0.95)), millis(all.percentile(0.99)), millis(all.max()), all.count()));
        long errorTotal = errorCount();
        sb.append("  errors        ").append(String.format(Locale.ROOT, "%,d", errorTotal));
        if (errorTotal > 0) {
            sb.append(": ").append(errorsByKind().entrySet().stream()
                    .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%,d", e.getValue())).collect(Collectors.joining(", ")));
        }
        sb.append(System.lineSeparator());
        if (duplicates.sum() > 0) {
            sb.append(String.format(Locale.ROOT, "  duplicates    %,d samples the hub already had (seqs of an earlier run with the same keys)%n", duplicates.sum()));
        }
        if (skipped.sum() > 0) {
            sb.append(String.format(Locale.ROOT, "  skipped       %,d reports (the host's previous report was still unanswered when the next was due)%n", skipped.sum()));
        }
        long lagMs = maxLagNanos.get() / 1_000_000;
        if (lagMs > 1000L * intervalSeconds) {
            sb.append(String.format(Locale.ROOT, "  behind        reports went out up to %,.1f s late: %s%n", lagMs / 1000.0, slotWaits.sum() > 0
                    ? "all " + concurrency + " request slots (--concurrency) were waiting for the hub, which answered slower than reports were due"
                    : "the simulator itself could not keep up (raise --threads, or run it where it has a core of its own)"));
        }
        return sb.toString();
    }

    static String millis(long micros) {
        return micros >= 10_000_000 ? String.format(Locale.ROOT, "%,.1f s", micros / 1e6)
                : micros >= 100_000 ? String.format(Locale.ROOT, "%,.0f ms", micros / 1e3)
                : String.format(Locale.ROOT, "%.2f ms", micros / 1e3);
    }
}
