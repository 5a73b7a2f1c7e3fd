package dev.servmon.app.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.agent.transport.HubClient;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.sim.SyntheticHost;
import dev.servmon.protocol.IngestAck;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Many simulated hosts reporting to one hub from one process. Host {@code i} of {@code N}
 * reports at {@code start + i × interval / N}, then every interval, so the load is even rather
 * than a burst per interval. One scheduler thread hands due reports to a few worker threads,
 * which build the sample, encode it as the agent does (JSON, gzip from 1 KiB) and post it through
 * one shared {@link HttpClient} without waiting; at most {@code concurrency} requests are in
 * flight, and a scheduler that cannot get a slot falls behind (reported as lag) rather than
 * queueing without bound; it never sends past the duration. A host whose previous report is
 * still unanswered skips its turn.
 * Failed reports are counted by kind and not sent again: an agent would spool them, the
 * simulator measures.
 */
final class Fleet {
    /**
     * @param ingest the hub's ingest base URL
     * @param intervalSeconds each host's reporting interval
     * @param duration how long to send (then wait for the answers in flight)
     * @param maxReports stop after this many reports (0: no limit)
     * @param concurrency most requests in flight
     * @param threads worker threads (sample building, encoding, the HTTP client's own work)
     * @param seed seed of the first host's figures (host i uses seed + i)
     */
    record Settings(URI ingest, int intervalSeconds, Duration duration, long maxReports, int concurrency, int threads, long seed) {}

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String AGENT_VERSION = "simulate";

    private final Settings settings;
    private final FleetStats stats;
    private final AckedLog ackedLog;
    private final SimHost[] hosts;
    private final URI ingestUri;
    private final ObjectMapper json = Json.mapper();
    private final Semaphore slots;
    private final ThreadPoolExecutor workers;
    private final HttpClient http;
    private volatile boolean stopped;

    /** One simulated host; {@code idle} is false while a report of it is in flight. */
    private static final class SimHost {
        final String name;
        final String authorization;
        final SyntheticHost figures;
        final AtomicBoolean idle = new AtomicBoolean(true);
        boolean inventorySent;

        SimHost(HostKeys.HostKey key, long seed, long firstSeq) {
            this.name = key.name();
            this.authorization = "Bearer " + key.key();
            this.figures = new SyntheticHost(seed, firstSeq);
        }

        Sample next(long atMs) {
            Sample s = figures.next(atMs);
            if (!inventorySent) {
                inventorySent = true;
                return s.withInventory(figures.inventory(name));
            }
            return s;
        }
    }

    /**
     * @param ackedLog where acknowledged samples are written, or null
     */
    Fleet(List<HostKeys.HostKey> keys, Settings settings, FleetStats stats, AckedLog ackedLog) {
        this.settings = settings;
        this.stats = stats;
        this.ackedLog = ackedLog;
        this.ingestUri = HubClient.ingestUri(settings.ingest());
        // Seqs start at the current epoch milliseconds, as a fresh agent's do: above anything an
        // earlier run with the same keys sent at one sample per second or slower.
        long firstSeq = System.currentTimeMillis();
        this.hosts = new SimHost[keys.size()];
        for (int i = 0; i < hosts.length; i++) {
            hosts[i] = new SimHost(keys.get(i), settings.seed() + i, firstSeq);
        }
        this.slots = new Semaphore(settings.concurrency());
        AtomicInteger threadNo = new AtomicInteger();
        // Bounded: the slots bound the reports handed over; the HTTP client adds a few tasks per request.
        this.workers = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(16 * settings.concurrency() + 1024), r -> {
                    Thread t = new Thread(r, "servmon-simulate-" + threadNo.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .executor(workers).build();
    }

    /** Sends until the duration or the report count is reached, or {@link #stop}; then waits for the answers in flight. */
    void run() throws InterruptedException {
        int n = hosts.length;
        long intervalNanos = TimeUnit.SECONDS.toNanos(settings.intervalSeconds());
        long startNanos = System.nanoTime();
        long startMs = System.currentTimeMillis();
        long endNanos = startNanos + settings.duration().toNanos();
        for (long k = 0; !stopped && (settings.maxReports() <= 0 || k < settings.maxReports()); k++) {
            int i = (int) (k % n);
            long offsetNanos = (k / n) * intervalNanos + i * intervalNanos / n;
            long due = startNanos + offsetNanos;
            if (due - endNanos >= 0) {
                break;
            }
            waitUntil(due);
            if (stopped) {
                break;
            }
            SimHost host = hosts[i];
            if (!host.idle.compareAndSet(true, false)) {
                stats.skipped.increment();
                continue;
            }
            if (!slots.tryAcquire()) {
                // Every request slot waits for the hub: the hub sets the pace now, until the end at the latest.
                stats.slotWaits.increment();
                long left = endNanos - System.nanoTime();
                if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    host.idle.set(true);
                    break;
                }
            }
            stats.lag(System.nanoTime() - due);
            long atMs = startMs + TimeUnit.NANOSECONDS.toMillis(offsetNanos);
            stats.started();
            workers.execute(() -> send(host, atMs));
        }
        // Let the answers in flight arrive (each request gives up after its timeout).
        if (slots.tryAcquire(settings.concurrency(), REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
            slots.release(settings.concurrency());
        }
        workers.shutdown();
    }

    /** Stops scheduling reports; {@link #run} returns once the answers in flight are in. */
    void stop() {
        stopped = true;
    }

    private void waitUntil(long dueNanos) {
        for (long left = dueNanos - System.nanoTime(); left > 0 && !stopped; left = dueNanos - System.nanoTime()) {
            LockSupport.parkNanos(Math.min(left, 100_000_000L));
        }
    }

    private void send(SimHost host, long atMs) {
        final Sample sample;
        final HttpRequest request;
        try {
            sample = host.next(atMs);
            byte[] body = json.writeValueAsBytes(new IngestBatch(ProtocolVersion.CURRENT, AGENT_VERSION, settings.intervalSeconds(), List.of(sample)));
            var builder = HttpRequest.newBuilder(ingestUri).timeout(REQUEST_TIMEOUT)
                    .header("Authorization", host.authorization)
                    .header("Content-Type", "application/json");
            if (body.length >= HubClient.GZIP_FROM_BYTES) {
                body = HubClient.gzip(body);
                builder.header("Content-Encoding", "gzip");
            }
            request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        } catch (RuntimeException | JsonProcessingException e) {
            stats.error(FleetStats.kindOf(e));
            finish(host);
            return;
        }
        long sentNanos = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
            try {
                if (error != null) {
                    stats.error(FleetStats.kindOf(error));
                } else if (response.statusCode() != 200) {
                    stats.error(FleetStats.kindOf(response.statusCode()));
                } else {
                    stats.latency.record((System.nanoTime() - sentNanos) / 1000);
                    acked(host, sample, response.body());
                }
            } finally {
                finish(host);
            }
        });
    }

    private void acked(SimHost host, Sample sample, byte[] body) {
        IngestAck ack;
        try {
            ack = json.readValue(body, IngestAck.class);
        } catch (IOException e) {
            stats.error("http 200 without an acknowledgement");
            return;
        }
        if (ack.ackedThroughSeq() < sample.seq()) {
            stats.error("http 200 acknowledging an older seq");
            return;
        }
        stats.acked.increment();
        stats.duplicates.add(ack.duplicates());
        if (ackedLog != null) {
            ackedLog.acked(host.name, sample.seq());
        }
    }

    private void finish(SimHost host) {
        host.idle.set(true);
        stats.finished();
        slots.release();
    }
}
