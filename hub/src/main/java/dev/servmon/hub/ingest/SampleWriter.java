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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.IdentityHashMap;
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
 * batches, and their agents send them again. The same writer serves both databases, on a
 * connection of its own with its statements prepared once: per transaction one update per host,
 * then one batched statement per table for all the transaction's rows (docs/decisions.md).
 *
 * <p>The request thread does the CPU work (flattening samples into named numbers, JSON of the
 * newest one); the writer thread only talks to the database.
 */
public final class SampleWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SampleWriter.class);
    private static final int MAX_BATCHES_PER_TRANSACTION = 256;

    private final Database db;
    private final RawTier raw;
    private final BatchHook hook;
    private final ObjectMapper json;
    private final BlockingQueue<Job> queue;
    /** Used by the writer thread only. */
    private Statements statements;
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
        try {
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
                } catch (RuntimeException | SQLException e) {
                    log.error("sample write transaction failed; batches={} (agents will retry)", jobs.size(), e);
                    jobs.forEach(j -> j.done().completeExceptionally(e));
                    discardStatements();
                } finally {
                    jobs.clear();
                }
            }
        } finally {
            discardStatements();
        }
        // Anything left was never stored: fail it so agents keep and resend it.
        for (Job j; (j = queue.poll()) != null; ) {
            j.done().completeExceptionally(new QueueFullException());
        }
    }

    /**
     * One transaction for all {@code jobs}: per host (in id order, so two writers on one
     * PostgreSQL lock hosts in the same order), one update of its row that locks it and returns
     * the duplicate-check state; then every head row, dirty minute and window mark of the
     * transaction in one batched statement each; then the commit; then the acks.
     */
    private void writeAll(List<Job> jobs) throws SQLException {
        TreeMap<Long, List<Job>> byHost = new TreeMap<>();
        for (Job job : jobs) {
            byHost.computeIfAbsent(job.hostId(), k -> new ArrayList<>(1)).add(job);
        }
        Statements st = statements();
        Handle h = st.handle;
        List<Runnable> completions = new ArrayList<>(jobs.size());
        Map<Job, RawTier.HeadBatch.Pending> stored = new IdentityHashMap<>();
        var gate = db.writeGate();
        gate.lock();
        h.begin();
        boolean committed = false;
        try {
            for (var entry : byHost.entrySet()) {
                long hostId = entry.getKey();
                List<Job> hostJobs = entry.getValue();
                RawTier.HostState state = stamp(st, hostId, hostJobs);
                if (state == null) {
                    log.warn("batches not stored host={} batches={}: the host was deleted", hostId, hostJobs.size());
                    for (Job job : hostJobs) {
                        completions.add(() -> job.done().completeExceptionally(new IllegalStateException("host " + hostId + " no longer exists")));
                    }
                    continue;
                }
                Detail inventory = null;
                Detail processes = null;
                for (Job job : hostJobs) {
                    stored.put(job, st.head.add(hostId, job.rows(), state));
                    if (hook != null) {
                        Runnable after = hook.write(h, hostId, job.batch().samples());
                        if (after != null) {
                            completions.add(after);
                        }
                    }
                    inventory = newer(inventory, job.inventory());
                    processes = newer(processes, job.processes());
                }
                keepNewest(st, hostId, "inventory", inventory);
                keepNewest(st, hostId, "processes", processes);
            }
            st.head.flush();
            h.commit();
            committed = true;
        } finally {
            try {
                if (!committed) {
                    h.rollback();
                }
                st.head.reset();
            } finally {
                gate.unlock();
            }
        }
        // Only now is everything durable. What the features run after the commit (program
        // events raise alert signals) runs before the acks, so that a 200 means it happened.
        for (Runnable after : completions) {
            try {
                after.run();
            } catch (RuntimeException e) {
                log.error("work after storing a batch failed; the batch is stored", e);
            }
        }
        for (Job job : jobs) {
            var pending = stored.get(job);
            if (pending != null) {
                var samples = job.batch().samples();
                int n = pending.stored();
                var ack = new IngestAck(samples.get(samples.size() - 1).seq(), n, samples.size() - n);
                job.done().complete(ack);
            }
        }
    }

    /**
     * Marks the host seen and keeps its newest sample, locking its row (PostgreSQL: row lock;
     * SQLite: the database write lock) before the raw tier looks for duplicates, so no compaction
     * or retention moves rows meanwhile. Null when the host no longer exists.
     */
    private static RawTier.HostState stamp(Statements st, long hostId, List<Job> hostJobs) throws SQLException {
        Job newest = hostJobs.get(0);
        long seen = 0;
        for (Job job : hostJobs) {
            if (newestSeq(job) > newestSeq(newest)) {
                newest = job;
            }
            seen = Math.max(seen, job.receivedAtMs());
        }
        Job last = hostJobs.get(hostJobs.size() - 1);
        var u = st.stamp;
        u.setLong(1, seen);
        u.setInt(2, last.batch().intervalSeconds());
        u.setString(3, last.batch().agentVersion());
        u.setLong(4, newestSeq(newest));
        u.setString(5, newest.newestJson());
        u.setLong(6, newestSeq(newest));
        u.setLong(7, newestSeq(newest));
        u.setLong(8, hostId);
        try (ResultSet rs = u.executeQuery()) {
            return rs.next() ? new RawTier.HostState(rs.getLong(1), rs.getLong(2)) : null;
        }
    }

    private static long newestSeq(Job job) {
        var samples = job.batch().samples();
        return samples.get(samples.size() - 1).seq();
    }

    private static Detail newer(Detail a, Detail b) {
        return a == null || (b != null && b.atMs() >= a.atMs()) ? b : a;
    }

    /** Stores a detail ({@code kind}: inventory or processes) unless the host already holds a newer one. */
    private static void keepNewest(Statements st, long hostId, String kind, Detail detail) throws SQLException {
        if (detail == null) {
            return;
        }
        var u = st.detail;
        u.setLong(1, hostId);
        u.setString(2, kind);
        u.setString(3, detail.json());
        u.setLong(4, detail.atMs());
        u.executeUpdate();
    }

    /**
     * The writer's own connection and its statements, prepared once (preparing them per report
     * cost about as much as running them). Reopened after any failure, so a connection lost
     * mid-transaction (PostgreSQL restarted) is replaced on the next batch.
     */
    private final class Statements {
        final Handle handle;
        final PreparedStatement stamp;
        final PreparedStatement detail;
        final RawTier.HeadBatch head;

        Statements() throws SQLException {
            this.handle = db.jdbi().open();
            try {
                Connection c = handle.getConnection();
                this.stamp = c.prepareStatement("UPDATE hosts SET last_seen_at_ms = "
                        + db.dialect().greatest("coalesce(last_seen_at_ms, 0)", "?") + """
                        , interval_seconds = ?, agent_version = ?,
                            latest_sample = CASE WHEN latest_seq IS NULL OR ? >= latest_seq THEN ? ELSE latest_sample END,
                            latest_seq = CASE WHEN latest_seq IS NULL OR ? >= latest_seq THEN ? ELSE latest_seq END
                        WHERE id = ? RETURNING""" + " " + RawTier.HOST_STATE_COLUMNS);
                this.detail = c.prepareStatement("""
                        INSERT INTO host_details (host_id, kind, json, at_ms) VALUES (?, ?, ?, ?)
                        ON CONFLICT (host_id, kind) DO UPDATE SET json = excluded.json, at_ms = excluded.at_ms
                        WHERE host_details.at_ms <= excluded.at_ms""");
                this.head = new RawTier.HeadBatch(c, db.dialect());
            } catch (SQLException | RuntimeException e) {
                handle.close();
                throw e;
            }
        }

        void close() {
            try (handle) {
                head.close();
                stamp.close();
                detail.close();
            } catch (SQLException | RuntimeException e) {
                log.debug("closing the writer's statements failed", e);
            }
        }
    }

    /** The writer's {@link Statements}, opened on first use and after a failure (writer thread only). */
    private Statements statements() throws SQLException {
        if (statements == null) {
            statements = new Statements();
        }
        return statements;
    }

    private void discardStatements() {
        if (statements != null) {
            statements.close();
            statements = null;
        }
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
