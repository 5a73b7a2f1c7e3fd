package dev.servmon.hub.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.hosts.HostView;
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
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of samples. Ingest requests queue their batches here (bounded: a full
 * queue is refused at once so the agent keeps the data and retries); one thread commits many
 * batches per transaction, and each request's future completes only after its commit.
 *
 * <p>Each batch is written under its own savepoint, so one batch that fails (its host was just
 * deleted, say) is rolled back alone and never takes the others in the transaction with it.
 */
public final class SampleWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SampleWriter.class);
    private static final int MAX_BATCHES_PER_TRANSACTION = 128;

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final BlockingQueue<Job> queue;
    private final Thread thread;
    private volatile boolean running = true;

    private record Job(long hostId, IngestBatch batch, long receivedAtMs, CompletableFuture<IngestAck> done) {}

    /** Thrown by {@link #submit} when the queue is full. */
    public static final class QueueFullException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QueueFullException() {
            super("write queue full", null, false, false);
        }
    }

    public SampleWriter(Jdbi jdbi, ObjectMapper json, int queueCapacity) {
        this.jdbi = jdbi;
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
        if (!running) {
            throw new QueueFullException();
        }
        var job = new Job(hostId, batch, receivedAtMs, new CompletableFuture<>());
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
        jdbi.useTransaction(h -> {
            for (Job job : jobs) {
                h.savepoint("batch");
                try {
                    IngestAck ack = write(h, job);
                    h.release("batch");
                    completions.add(() -> job.done().complete(ack));
                } catch (RuntimeException e) {
                    h.rollbackToSavepoint("batch");
                    h.release("batch");
                    log.warn("batch not stored host={} samples={}: {}", job.hostId(), job.batch().samples().size(), e.getMessage());
                    completions.add(() -> job.done().completeExceptionally(e));
                }
            }
        });
        // Only now is everything durable (WAL commit): acknowledge.
        completions.forEach(Runnable::run);
    }

    private IngestAck write(Handle h, Job job) {
        var samples = job.batch().samples();
        var insert = h.prepareBatch("""
                INSERT OR IGNORE INTO samples (host_id, seq, at_ms, cpu_percent, load1, mem_used_bytes, mem_total_bytes,
                    swap_used_bytes, disk_used_bytes, disk_total_bytes, net_rx_bytes_per_sec, net_tx_bytes_per_sec,
                    users_logged_in, power_watts, payload)
                VALUES (:host, :seq, :at, :cpu, :load1, :memUsed, :memTotal, :swapUsed, :diskUsed, :diskTotal,
                    :rx, :tx, :users, :power, :payload)""");
        Sample newest = samples.get(samples.size() - 1);
        String newestJson = null;
        for (Sample s : samples) {
            var l = HostView.Latest.of(s);
            String payload = toJson(s);
            if (s == newest) {
                newestJson = payload;
            }
            insert.bind("host", job.hostId()).bind("seq", s.seq()).bind("at", s.atMs())
                    .bind("cpu", l.cpuPercent()).bind("load1", l.load1())
                    .bind("memUsed", l.memUsedBytes()).bind("memTotal", l.memTotalBytes())
                    .bind("swapUsed", l.swapUsedBytes())
                    .bind("diskUsed", l.diskUsedBytes()).bind("diskTotal", l.diskTotalBytes())
                    .bind("rx", l.netRxBytesPerSec()).bind("tx", l.netTxBytesPerSec())
                    .bind("users", l.usersLoggedIn()).bind("power", l.powerWatts())
                    .bind("payload", payload)
                    .add();
        }
        int stored = 0;
        for (int n : insert.execute()) {
            stored += n > 0 ? 1 : 0;
        }
        int updated = h.createUpdate("""
                UPDATE hosts SET last_seen_at_ms = max(coalesce(last_seen_at_ms, 0), :seen),
                    interval_seconds = :interval, agent_version = :version,
                    latest_sample = CASE WHEN latest_seq IS NULL OR :seq >= latest_seq THEN :sample ELSE latest_sample END,
                    latest_seq = CASE WHEN latest_seq IS NULL OR :seq >= latest_seq THEN :seq ELSE latest_seq END
                WHERE id = :id""")
                .bind("seen", job.receivedAtMs()).bind("interval", job.batch().intervalSeconds())
                .bind("version", job.batch().agentVersion()).bind("seq", newest.seq()).bind("sample", newestJson)
                .bind("id", job.hostId())
                .execute();
        if (updated == 0) {
            throw new IllegalStateException("host " + job.hostId() + " no longer exists");
        }
        Sample withInventory = null;
        for (Sample s : samples) {
            if (s.inventory() != null && (withInventory == null || s.atMs() >= withInventory.atMs())) {
                withInventory = s;
            }
        }
        if (withInventory != null) {
            // A replayed backlog carries older inventories: only a newer one replaces what is stored.
            h.createUpdate("""
                    UPDATE hosts SET inventory = :inventory, inventory_at_ms = :at
                    WHERE id = :id AND (inventory_at_ms IS NULL OR inventory_at_ms <= :at)""")
                    .bind("inventory", toJson(withInventory.inventory(), withInventory.seq()))
                    .bind("at", withInventory.atMs()).bind("id", job.hostId())
                    .execute();
        }
        return new IngestAck(newest.seq(), stored, samples.size() - stored);
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
