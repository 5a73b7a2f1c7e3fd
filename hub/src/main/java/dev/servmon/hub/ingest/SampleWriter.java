package dev.servmon.hub.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.metrics.MetricCatalog;
import dev.servmon.hub.metrics.RawSample;
import dev.servmon.hub.metrics.RawTier;
import dev.servmon.hub.storage.Database;
import dev.servmon.protocol.IngestAck;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of samples. Ingest requests queue their batches here (bounded: a full
 * queue is refused at once so the agent keeps the data and retries); one thread commits many
 * batches per transaction, and each request's future completes only after its commit.
 *
 * <p>A batch whose host was deleted meanwhile is found by the first statement of its write,
 * before anything of it is written, and fails alone; any other error fails the transaction's
 * batches, and their agents send them again. The same writer serves both databases: a batch
 * costs three statements (host update returning what the duplicate check needs, one multi-row
 * insert per 250 samples, one for the dirty minutes), which matters for PostgreSQL's round trips.
 *
 * <p>The request thread does the CPU work (flattening samples into named numbers, JSON of the
 * newest one); the writer thread only talks to the database.
 */
public final class SampleWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SampleWriter.class);
    private static final int MAX_BATCHES_PER_TRANSACTION = 128;

    private final Database db;
    private final RawTier raw;
    private final BatchHook hook;
    private final ObjectMapper json;
    private final BlockingQueue<Job> queue;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * A host detail that arrives in some samples only and is kept on the host: the newest one
     * wins, so a replayed backlog never overwrites it with an older one.
     */
    private record Detail(String json, long atMs) {}

    private record Job(long hostId, IngestBatch batch, List<RawSample> rows, String newestJson, Detail inventory,
                       Detail processes, long receivedAtMs, CompletableFuture<IngestAck> done) {}

    /** Thrown by {@link #submit} when the queue is full. */
    public static final class QueueFullException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QueueFullException() {
            super("write queue full", null, false, false);
        }
    }

    /**
     * More that a feature stores from each batch in the batch's own transaction (so it is as
     * durable as the samples and acknowledged with them), e.g. the programs' status and events.
     */
    public interface BatchHook {
        /**
         * Writes what the feature keeps of {@code samples} (a replayed batch may hold samples
         * already stored: writes must ignore duplicates).
         *
         * @return what to run after the commit (announce, notify), or null
         */
        Runnable write(Handle h, long hostId, List<Sample> samples);
    }

    public SampleWriter(Database db, RawTier raw, ObjectMapper json, int queueCapacity) {
        this(db, raw, json, queueCapacity, null);
    }

    /** A writer that also runs {@code hook} (may be null) for every stored batch. */
    public SampleWriter(Database db, RawTier raw, ObjectMapper json, int queueCapacity, BatchHook hook) {
        this.db = db;
        this.raw = raw;
        this.hook = hook;
        this.json = json;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = new Thread(this::loop, "servmon-sample-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a validated batch for {@code hostId}. The future completes with the ack after the
     * commit, or exceptionally if this batch could not be stored.
     *
     * @throws QueueFullException when the writer is saturated; nothing was queued
     */
    public CompletableFuture<IngestAck> submit(long hostId, IngestBatch batch, long receivedAtMs) {
        return submit(hostId, batch, null, receivedAtMs);
    }

    /**
     * As {@link #submit(long, IngestBatch, long)}, with the newest sample's JSON when the caller
     * already has it (see {@link NewestSampleText}); null to have it written here.
     */
    public CompletableFuture<IngestAck> submit(long hostId, IngestBatch batch, String newestJson, long receivedAtMs) {
        if (!running) {
            throw new QueueFullException();
        }
        var samples = batch.samples();
        List<RawSample> rows = new ArrayList<>(samples.size());
        Sample withInventory = null;
        Sample withProcesses = null;
        for (Sample s : samples) {
            rows.add(MetricCatalog.flatten(s));
            if (s.inventory() != null && (withInventory == null || s.atMs() >= withInventory.atMs())) {
                withInventory = s;
            }
            if (!s.processes().isEmpty() && (withProcesses == null || s.atMs() >= withProcesses.atMs())) {
                withProcesses = s;
            }
        }
        Sample newest = samples.get(samples.size() - 1);
        var job = new Job(hostId, batch, rows, newestJson != null ? newestJson : toJson(newest),
                withInventory == null ? null : new Detail(toJson(withInventory.inventory(), withInventory.seq()), withInventory.atMs()),
                withProcesses == null ? null : new Detail(toJson(withProcesses.processes(), withProcesses.seq()), withProcesses.atMs()),
                receivedAtMs, new CompletableFuture<>());
        if (!queue.offer(job)) {
            throw new QueueFullException();
        }
        return job.done();
    }

    private void loop() {
        List<Job> jobs = new ArrayList<>(MAX_BATCHES_PER_TRANSACTION);
        while (running || !queue.isEmpty()) {
            try {
                Job first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                jobs.add(first);
                queue.drainTo(jobs, MAX_BATCHES_PER_TRANSACTION - 1);
                writeAll(jobs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("sample write transaction failed; batches={} (agents will retry)", jobs.size(), e);
                jobs.forEach(j -> j.done().completeExceptionally(e));
            } finally {
                jobs.clear();
            }
        }
        // Anything left was never stored: fail it so agents keep and resend it.
        for (Job j; (j = queue.poll()) != null; ) {
            j.done().completeExceptionally(new QueueFullException());
        }
    }

    private void writeAll(List<Job> jobs) {
        List<Runnable> completions = new ArrayList<>(jobs.size());
        db.jdbi().useTransaction(h -> {
            for (Job job : jobs) {
                IngestAck ack = write(h, job, completions);
                if (ack == null) {
                    log.warn("batch not stored host={} samples={}: the host was deleted", job.hostId(), job.batch().samples().size());
                    completions.add(() -> job.done().completeExceptionally(
                            new IllegalStateException("host " + job.hostId() + " no longer exists")));
                } else {
                    completions.add(() -> job.done().complete(ack));
                }
            }
        });
        // Only now is everything durable (WAL commit): acknowledge.
        completions.forEach(Runnable::run);
    }

    /** Writes one batch; null when its host no longer exists (nothing was written). */
    private IngestAck write(Handle h, Job job, List<Runnable> afterCommit) {
        var samples = job.batch().samples();
        Sample newest = samples.get(samples.size() - 1);
        // First statement: it locks the host's row (and, on SQLite, the database) before the
        // raw tier looks for duplicates, so no compaction or retention can move rows meanwhile;
        // it returns what that check needs.
        var state = h.createQuery("""
                UPDATE hosts SET last_seen_at_ms =""" + " " + db.dialect().greatest("coalesce(last_seen_at_ms, 0)", ":seen") + """
                    , interval_seconds = :interval, agent_version = :version,
                    latest_sample = CASE WHEN latest_seq IS NULL OR :seq >= latest_seq THEN :sample ELSE latest_sample END,
                    latest_seq = CASE WHEN latest_seq IS NULL OR :seq >= latest_seq THEN :seq ELSE latest_seq END
                WHERE id = :id RETURNING""" + " " + RawTier.HOST_STATE_COLUMNS)
                .bind("seen", job.receivedAtMs()).bind("interval", job.batch().intervalSeconds())
                .bind("version", job.batch().agentVersion()).bind("seq", newest.seq()).bind("sample", job.newestJson())
                .bind("id", job.hostId())
                .map((rs, ctx) -> new RawTier.HostState(rs.getLong(1), rs.getLong(2)))
                .findOne();
        if (state.isEmpty()) {
            return null;
        }
        int stored = raw.insert(h, job.hostId(), job.rows(), state.get());
        if (hook != null) {
            Runnable after = hook.write(h, job.hostId(), samples);
            if (after != null) {
                afterCommit.add(after);
            }
        }
        keepNewest(h, job.hostId(), "inventory", job.inventory());
        keepNewest(h, job.hostId(), "processes", job.processes());
        return new IngestAck(newest.seq(), stored, samples.size() - stored);
    }

    /**
     * Stores a detail in {@code column} (and its time in {@code column_at_ms}) unless the host
     * already holds a newer one. {@code column} is one of this class's constants, never input.
     */
    private static void keepNewest(Handle h, long hostId, String column, Detail detail) {
        if (detail == null) {
            return;
        }
        h.createUpdate("UPDATE hosts SET " + column + " = :json, " + column + "_at_ms = :at WHERE id = :id AND ("
                        + column + "_at_ms IS NULL OR " + column + "_at_ms <= :at)")
                .bind("json", detail.json()).bind("at", detail.atMs()).bind("id", hostId)
                .execute();
    }

    private String toJson(Sample s) {
        return toJson(s, s.seq());
    }

    private String toJson(Object value, long seq) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sample seq=" + seq + " cannot be serialised", e);
        }
    }

    public int queued() {
        return queue.size();
    }

    /** Stops taking work, commits what is queued, and waits for the writer to finish. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
