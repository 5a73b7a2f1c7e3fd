package dev.servmon.agent;

import dev.servmon.agent.collect.CollectSettings;
import dev.servmon.agent.collect.Collector;
import dev.servmon.agent.collect.Collectors;
import dev.servmon.agent.checks.CheckRun;
import dev.servmon.agent.control.CommandHandlers;
import dev.servmon.agent.outbox.DiskOutbox;
import dev.servmon.agent.outbox.Outbox;
import dev.servmon.agent.outbox.SequenceFile;
import dev.servmon.agent.programs.ProgramHandlers;
import dev.servmon.agent.programs.Supervisor;
import dev.servmon.agent.programs.UnitWatcher;
import dev.servmon.agent.transport.Backoff;
import dev.servmon.agent.transport.HubClient;
import dev.servmon.agent.transport.Json;
import dev.servmon.agent.transport.SendResult;
import dev.servmon.protocol.IngestAck;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The agent: takes a sample every interval and sends samples to the hub, oldest first.
 *
 * <p>Two threads. A daemon thread collects at a fixed rate (no drift: tick n is due at
 * start + n × interval, however long sending takes; a tick missed because a collection
 * overran is skipped, not run late) and puts each sample in the {@link Outbox}. It is a plain
 * thread, not a scheduled executor, whose queue and future machinery would cost the agent
 * some 30 classes for one periodic task. The thread that calls {@link #run()} sends what waits there in batches of
 * at most {@link IngestBatch#MAX_SAMPLES}, and removes samples only once the hub acknowledged
 * them. When the hub cannot be reached, sending backs off exponentially with jitter (or as
 * long as the hub's {@code Retry-After} says) while collection goes on; when it comes back,
 * the backlog is sent in order, at most {@link Pacing#replaySamplesPerSecond()} samples a
 * second so a fleet coming back at once does not flood the hub. The hub ignores samples it
 * already has, so a batch sent twice (answer lost) is harmless.
 *
 * <p>The agent also supervises programs ({@link Supervisor}): their status and events ride in
 * every sample, and the hub's commands for them are in {@link #commands()}. Stopping the agent
 * leaves the programs running; the next start re-adopts them.
 *
 * <p>Stops when {@link #close()} is called ({@link Outcome#CLOSED}) or when the hub rejects
 * the host key ({@link Outcome#KEY_REJECTED}): retrying with a rejected key cannot succeed.
 */
public final class Agent implements AutoCloseable {
    private static final Log log = Log.get(Agent.class);
    /** Longest {@code Retry-After} obeyed, so a wrong header cannot silence an agent for days. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
    private static final long REPEAT_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Most JSON sent in one batch before compression; well under the hub's 16 MiB body limit. */
    static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;
    /** Name of the sequence file in the state directory. */
    public static final String SEQUENCE_FILE_NAME = "seq";
    /** Name of the outbox directory in the state directory. */
    public static final String OUTBOX_DIR_NAME = "outbox";
    /** How long {@link #close()} waits for {@link #run()} on another thread to finish. */
    private static final long STOP_WAIT_SECONDS = 10;

    /** Why {@link #run()} returned. */
    public enum Outcome {
        /** {@link #close()} was called. */
        CLOSED,
        /** The hub answered 401: the host key is unknown or revoked; the host must be registered again. */
        KEY_REJECTED
    }

    /**
     * How often the agent collects, how fast it sends, and how it backs off from a failing hub.
     *
     * @param collectEvery time between samples
     * @param backoffFirst ceiling of the wait after the first failure in a row
     * @param backoffMax ceiling of every wait
     * @param replaySamplesPerSecond most samples sent per second; batches hold at most this many
     */
    public record Pacing(Duration collectEvery, Duration backoffFirst, Duration backoffMax, int replaySamplesPerSecond) {
        public Pacing {
            if (collectEvery.isNegative() || collectEvery.isZero()) {
                throw new IllegalArgumentException("collectEvery must be positive, got " + collectEvery);
            }
            if (replaySamplesPerSecond < 1) {
                throw new IllegalArgumentException("replaySamplesPerSecond must be positive, got " + replaySamplesPerSecond);
            }
        }

        /** With the default replay rate. */
        public Pacing(Duration collectEvery, Duration backoffFirst, Duration backoffMax) {
            this(collectEvery, backoffFirst, backoffMax, DeliveryOptions.DEFAULT_REPLAY_SAMPLES_PER_SECOND);
        }

        /** Every {@code intervalSeconds}, backing off from 1 s up to 60 s. */
        public static Pacing of(int intervalSeconds) {
            return new Pacing(Duration.ofSeconds(intervalSeconds), Duration.ofSeconds(1), Duration.ofSeconds(60));
        }

        /** This pacing, sending at most {@code samplesPerSecond}. */
        public Pacing withReplayRate(int samplesPerSecond) {
            return new Pacing(collectEvery, backoffFirst, backoffMax, samplesPerSecond);
        }
    }

    private final AgentConfig cfg;
    private final Collector collector;
    private final Outbox outbox;
    private final Pacing pacing;
    private final Clock clock;
    private final SequenceFile seq;
    private final HubClient client;
    private final Backoff backoff;
    private final Supervisor programs;
    private final CommandHandlers commands = new CommandHandlers();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread runner;
    private volatile boolean closed;
    /** Counted down once to end the collector's wait between samples (see {@link #collectLoop}). */
    private final CountDownLatch stopCollecting = new CountDownLatch(1);
    private volatile long lastSeq = -1;
    // Collecting side; touched only by the collector thread.
    private long seqWarnedAtNanos;
    private boolean seqFailing;
    // Sending side; touched only by the thread in run() (read by it under the lock).
    private int failures;
    private long retryAtNanos;
    private long warnedAtNanos;
    private int batchLimit = IngestBatch.MAX_SAMPLES;
    private int batchBytes = MAX_BATCH_BYTES;
    private long nextSendAtNanos = System.nanoTime();
    private boolean replaying;
    private boolean everAcked;

    /**
     * An agent for this machine with the default {@link DeliveryOptions}.
     *
     * @param cfg a config from {@link AgentConfig#of}
     * @throws IOException when the sequence file or the outbox in the state directory cannot be written
     */
    public Agent(AgentConfig cfg) throws IOException {
        this(cfg, DeliveryOptions.DEFAULTS);
    }

    /**
     * An agent for this machine: the collector of this OS, the configured interval, and an
     * outbox on disk in {@code <state dir>/}{@value #OUTBOX_DIR_NAME}, so samples survive
     * restarts of the agent.
     *
     * @param cfg a config from {@link AgentConfig#of}
     * @param delivery outbox bounds and replay rate
     * @throws IOException when the sequence file or the outbox in the state directory cannot be
     *     written, or another agent uses the state directory; the message says what to do
     */
    public Agent(AgentConfig cfg, DeliveryOptions delivery) throws IOException {
        this(cfg, delivery, CollectSettings.DEFAULTS);
    }

    /**
     * As {@link #Agent(AgentConfig, DeliveryOptions)}, with the collectors tuned by {@code collect}.
     *
     * @throws IOException when the outbox directory cannot be opened (the message says why and what to do)
     */
    public Agent(AgentConfig cfg, DeliveryOptions delivery, CollectSettings collect) throws IOException {
        this(cfg, Collectors.forThisOs(collect),
                DiskOutbox.open(cfg.stateDir().resolve(OUTBOX_DIR_NAME), delivery.outboxMaxBytes(), delivery.outboxMaxAge()),
                Pacing.of(cfg.intervalSeconds()).withReplayRate(delivery.replaySamplesPerSecond()), Clock.systemUTC());
    }

    /**
     * An agent with its parts given, for tests and embedding.
     *
     * @param cfg the config; its key must be set
     * @param collector takes the samples
     * @param outbox holds samples until the hub acknowledges them; the agent closes it when it stops
     *     (or when this constructor fails)
     * @param pacing collection interval and backoff (the interval reported to the hub stays {@code cfg.intervalSeconds()})
     * @param clock the time samples are stamped with
     * @throws IOException when the sequence file in the state directory cannot be written
     */
    public Agent(AgentConfig cfg, Collector collector, Outbox outbox, Pacing pacing, Clock clock) throws IOException {
        this.cfg = cfg;
        this.collector = collector;
        this.outbox = outbox;
        this.pacing = pacing;
        this.clock = clock;
        try {
            if (cfg.key() == null) {
                throw new IllegalArgumentException("no host key: build the config with AgentConfig.of(...), which loads or saves it");
            }
            this.seq = SequenceFile.open(cfg.stateDir().resolve(SEQUENCE_FILE_NAME), clock::millis);
        } catch (IOException | RuntimeException e) {
            outbox.close();
            throw e;
        }
        this.client = new HubClient(cfg.hubUrl(), cfg.key(), AgentVersion.current());
        this.backoff = new Backoff(pacing.backoffFirst(), pacing.backoffMax(), new Random());
        this.programs = new Supervisor(cfg.stateDir(), Supervisor.Options.DEFAULTS, UnitWatcher.forThisOs(), Supervisor.ownerOf(cfg.key()));
        ProgramHandlers.register(commands, programs);
        CheckRun.register(commands);
    }

    /**
     * The commands this agent carries out for the hub, by type ({@code program.start}, …); the
     * command channel dispatches to them.
     */
    public CommandHandlers commands() {
        return commands;
    }

    /**
     * Collects and sends until {@link #close()} is called or the hub rejects the host key.
     * Can be called once.
     *
     * @throws InterruptedException when the calling thread is interrupted
     */
    public Outcome run() throws InterruptedException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("Agent.run() was already called; create a new Agent to run again");
        }
        runner = Thread.currentThread();
        log.info("servmon agent {} starting: hub {}, a sample every {} s, host key {}, state in {}",
                AgentVersion.current(), cfg.hubUrl(), cfg.intervalSeconds(), cfg.keyPrefix(), cfg.stateDir());
        Thread collector = new Thread(this::collectLoop, "servmon-agent-collect");
        collector.setDaemon(true);
        try {
            if (closed) {
                return Outcome.CLOSED;
            }
            startPrograms();
            collector.start();
            return sendLoop();
        } finally {
            try {
                programs.close();
                stopCollecting.countDown();
                client.close();
                collector.join(TimeUnit.SECONDS.toMillis(5));
                if (collector.isAlive()) {
                    log.warn("servmon agent: the collector thread did not stop within 5 s (a read of /proc or a disk hangs?)");
                }
            } finally {
                closeOutbox();
                stopped.countDown();
            }
        }
    }

    /** Re-adopts or autostarts the supervised programs; a broken programs file leaves them unsupervised, not the agent down. */
    private void startPrograms() {
        try {
            programs.start();
        } catch (IOException | RuntimeException e) {
            log.error("servmon agent: programs are not supervised: {}", e.getMessage());
        }
    }

    private void closeOutbox() {
        int unsent = outbox.size();
        outbox.close();
        String last = lastSeq < 0 ? "no sample taken" : "last sample seq " + lastSeq;
        if (unsent > 0) {
            log.info("servmon agent stopped; {}; {} samples not acknowledged by the hub {}", last, unsent,
                    outbox.survivesRestart() ? "stay in the outbox and are sent after the next start" : "are dropped");
        } else {
            log.info("servmon agent stopped; {}", last);
        }
    }

    /**
     * Stops {@link #run()} promptly: abandons a request in flight and stops collecting; when
     * {@code run()} is on another thread, waits (up to {@value #STOP_WAIT_SECONDS} s) for it to close
     * the outbox, so a shutdown hook does not end the JVM before the outbox is fsync'ed. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        client.close();
        stopCollecting.countDown();
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Thread running = runner;
        if (running == null && !started.get()) {
            outbox.close();
        } else if (running != null && running != Thread.currentThread()) {
            try {
                if (!stopped.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    log.warn("servmon agent: still stopping after {} s; exiting anyway (the outbox recovers at the next start)", STOP_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Collects every interval, on ticks start + n × interval, until closed or interrupted. */
    private void collectLoop() {
        long everyNanos = pacing.collectEvery().toNanos();
        long dueAtNanos = System.nanoTime();
        while (!closed && !Thread.currentThread().isInterrupted()) {
            collectOnce();
            dueAtNanos += everyNanos;
            long now = System.nanoTime();
            if (now - dueAtNanos > 0) {
                // Overran (a hanging read, a suspended machine): skip to the next tick rather than catch up in a burst.
                dueAtNanos += ((now - dueAtNanos) / everyNanos + 1) * everyNanos;
            }
            try {
                // close() ends the wait through the latch, not an interrupt: an interrupt landing
                // while the sample is written would close the outbox's file channel under it
                // (ClosedByInterruptException) and lose that sample.
                if (stopCollecting.await(dueAtNanos - now, TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void collectOnce() {
        if (closed) {
            return;
        }
        try {
            long atMs = clock.millis();
            long n = seq.next();
            seqFailing = false;
            Sample sample = collector.collect(n, atMs);
            Supervisor.Pending events = programs.pendingEvents();
            List<Sample.Program> status = programs.status();
            if (!status.isEmpty() || !events.events().isEmpty()) {
                sample = sample.withPrograms(status, events.events());
            }
            outbox.add(sample.seq(), sample.atMs(), Json.write(sample));
            // In the outbox now: as durable as the sample, so they may be forgotten here.
            programs.eventsTaken(events.through());
            lastSeq = sample.seq();
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            // close() interrupts a collection in progress; the thread is ending.
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            long now = System.nanoTime();
            if (!seqFailing || now - seqWarnedAtNanos >= REPEAT_WARNING_NANOS) {
                log.warn("servmon agent: cannot reserve sequence numbers in {} ({}); samples are skipped until it can be written",
                        cfg.stateDir().resolve(SEQUENCE_FILE_NAME), e.toString());
                seqWarnedAtNanos = now;
            }
            seqFailing = true;
        } catch (RuntimeException e) {
            // Must not escape: an exception ends a fixed-rate schedule for good.
            log.error("servmon agent: taking a sample failed; the next one is taken on schedule", e);
        }
    }

    private Outcome sendLoop() throws InterruptedException {
        while (awaitSomethingToSend()) {
            int limit = Math.min(batchLimit, pacing.replaySamplesPerSecond());
            List<Outbox.Entry> batch = outbox.oldest(limit, batchBytes);
            if (batch.isEmpty()) {
                continue;
            }
            long sentAtNanos = System.nanoTime();
            List<byte[]> bodies = new ArrayList<>(batch.size());
            for (Outbox.Entry e : batch) {
                bodies.add(e.json());
            }
            SendResult result = client.send(cfg.intervalSeconds(), bodies);
            if (result instanceof SendResult.Acked acked) {
                // Paced from the start of this request: a batch of n may go n / rate seconds after the last.
                nextSendAtNanos = sentAtNanos + batch.size() * 1_000_000_000L / pacing.replaySamplesPerSecond();
                onAcked(batch, acked.ack(), limit);
            } else if (result instanceof SendResult.KeyRejected rejected) {
                log.error("servmon agent: the hub rejected host key {} (401): {}; register the host again and start with --key NEW_KEY",
                        cfg.keyPrefix(), rejected.detail());
                return Outcome.KEY_REJECTED;
            } else if (result instanceof SendResult.Refused refused) {
                onRefused(batch, refused);
            } else {
                onRetryable((SendResult.Retryable) result);
            }
        }
        return Outcome.CLOSED;
    }

    /** Waits until there are samples, no backoff is running and the replay rate allows a batch; false when closed. */
    private boolean awaitSomethingToSend() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed) {
                if (outbox.size() == 0) {
                    changed.await();
                    continue;
                }
                long dueAtNanos = failures > 0 && retryAtNanos - nextSendAtNanos > 0 ? retryAtNanos : nextSendAtNanos;
                long waitNanos = dueAtNanos - System.nanoTime();
                if (waitNanos <= 0) {
                    return true;
                }
                changed.awaitNanos(waitNanos);
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void onAcked(List<Outbox.Entry> batch, IngestAck ack, int limit) {
        long firstSeq = batch.get(0).seq();
        // Never trust an ack beyond what was sent: samples taken meanwhile were not in this batch.
        long through = Math.min(ack.ackedThroughSeq(), batch.get(batch.size() - 1).seq());
        if (through < firstSeq) {
            onRetryable(new SendResult.Retryable("the hub acknowledged through seq " + ack.ackedThroughSeq()
                    + ", below this batch's first seq " + firstSeq, null));
            return;
        }
        outbox.removeThrough(through);
        if (!everAcked) {
            log.info("servmon agent: first report accepted by the hub ({} samples, seq {}..{}, {} new)",
                    batch.size(), firstSeq, through, ack.stored());
            everAcked = true;
        } else if (failures > 0) {
            log.info("servmon agent: the hub accepts reports again after {} failed attempts; {} samples still waiting",
                    failures, outbox.size());
        }
        failures = 0;
        int left = outbox.size();
        if (left >= limit && !replaying) {
            log.info("servmon agent: sending a backlog of {} samples, oldest first, at up to {} samples/s (about {})",
                    left, pacing.replaySamplesPerSecond(), seconds(Duration.ofMillis(left * 1000L / pacing.replaySamplesPerSecond())));
        }
        replaying = left >= limit;
    }

    private void onRefused(List<Outbox.Entry> batch, SendResult.Refused refused) {
        if (refused.status() == 413 && batch.size() > 1) {
            // The hub's body limit does not change while it runs: keep the smaller batches from now on.
            batchLimit = Math.max(1, batch.size() / 2);
            batchBytes = Math.max(1, batchBytes / 2);
            log.warn("servmon agent: the hub refused a batch of {} samples as too large (413: {}); sending {} at a time",
                    batch.size(), refused.detail(), batchLimit);
            return;
        }
        long lastSeq = batch.get(batch.size() - 1).seq();
        log.error("servmon agent: the hub refused {} samples (seq {}..{}) with {}: {}; dropping them, since the hub would refuse them again",
                batch.size(), batch.get(0).seq(), lastSeq, refused.status(), refused.detail());
        outbox.removeThrough(lastSeq);
        failures = 0;
    }

    private void onRetryable(SendResult.Retryable retry) {
        if (closed) {
            return;
        }
        failures++;
        Duration delay = retry.retryAfter() != null && !retry.retryAfter().isZero()
                ? min(retry.retryAfter(), MAX_RETRY_AFTER)
                : backoff.delay(failures);
        long now = System.nanoTime();
        retryAtNanos = now + delay.toNanos();
        if (failures == 1 || now - warnedAtNanos >= REPEAT_WARNING_NANOS) {
            log.warn("servmon agent: cannot send to the hub at {}: {}; {} samples waiting, retrying in {} (failure {} in a row)",
                    client.ingestUri(), retry.reason(), outbox.size(), seconds(delay), failures);
            warnedAtNanos = now;
        } else {
            log.debug("servmon agent: cannot send to the hub at {}: {}; retrying in {} (failure {} in a row)",
                    client.ingestUri(), retry.reason(), seconds(delay), failures);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String seconds(Duration d) {
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + " ms";
        }
        long tenths = (d.toMillis() + 50) / 100; // rounded half up, as %.1f would
        return tenths / 10 + "." + tenths % 10 + " s";
    }

}
