package dev.servmon.hub.metrics;

import dev.servmon.hub.storage.Database;
import dev.servmon.hub.storage.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw tier: every sample, for the raw retention. New samples land in {@code sample_head},
 * one small uncompressed row each (cheap to insert, idempotent on the (host, seq) key); once a
 * host's hour window has closed, {@link #compact} packs its rows into one deflated
 * {@link BlockCodec} block in {@code sample_blocks} (about 1 byte per value instead of ~17).
 *
 * <p>Every transaction that moves or removes a host's raw rows first locks that host's row
 * ({@link #lockHost}), as the sample writer does before it checks for duplicates: so a replayed
 * sample can never slip in between a duplicate check and a compaction.
 */
public final class RawTier {
    private static final Logger log = LoggerFactory.getLogger(RawTier.class);
    /** Blocks cover one hour of sample time each. */
    public static final long WINDOW_MS = 3_600_000L;

    private final Database db;

    public RawTier(Database db) {
        this.db = db;
    }

    public static long windowOf(long atMs) {
        return Math.floorDiv(atMs, WINDOW_MS) * WINDOW_MS;
    }

    /**
     * Locks the host's row for the rest of the transaction (PostgreSQL: row lock; SQLite: the
     * database write lock). Returns false when the host no longer exists.
     */
    static boolean lockHost(Handle h, long hostId) {
        return h.createUpdate("UPDATE hosts SET raw_purged_seq = raw_purged_seq WHERE id = :id").bind("id", hostId).execute() > 0;
    }

    /**
     * What the duplicate check needs to know about a host, read by the writer's first statement
     * ({@link #HOST_STATE_COLUMNS}) while it locks the host's row.
     *
     * @param purgedSeq seqs up to this were stored and removed by retention
     * @param packedThroughSeq highest seq ever packed into the host's blocks (0: none)
     */
    public record HostState(long purgedSeq, long packedThroughSeq) {}

    /** A RETURNING list for an {@code UPDATE hosts}: the columns of {@link HostState}. */
    public static final String HOST_STATE_COLUMNS = "raw_purged_seq, raw_packed_seq";

    /**
     * The raw tier's statements for storing many hosts' samples in one transaction, prepared once
     * on a connection the caller keeps (the sample writer's): every head row, dirty minute and
     * head window of the transaction goes in as one JDBC batch per table instead of a statement
     * per report. Use: {@link #add} per host (its row locked, its {@link HostState} read), then
     * {@link #flush}, then {@link Pending#stored()} per host, then commit.
     */
    public static final class HeadBatch implements AutoCloseable {
        private final Connection connection;
        private final boolean postgres;
        private final PreparedStatement head;
        private final PreparedStatement dirty;
        private final PreparedStatement windows;
        private final PreparedStatement blocks;
        private final List<HeadRow> rows = new ArrayList<>();
        private int[] headCounts = new int[0];

        private record HeadRow(long hostId, long seq, long atMs, byte[] data) {}

        /** What {@link #add} queued for one host; how many were new is known after {@link #flush}. */
        public final class Pending {
            private final int from;
            private final int to;

            private Pending(int from, int to) {
                this.from = from;
                this.to = to;
            }

            /** Samples of this host stored by the flush (the others were already there). */
            public int stored() {
                int n = 0;
                for (int i = from; i < to; i++) {
                    n += headCounts[i];
                }
                return n;
            }
        }

        public HeadBatch(Connection c, Dialect dialect) throws SQLException {
            this.connection = c;
            this.postgres = dialect == Dialect.POSTGRESQL;
            // PostgreSQL: one statement over arrays, returning the rows it inserted (its batched
            // inserts are rewritten into multi-row ones that no longer say which rows were new).
            this.head = c.prepareStatement(postgres
                    ? """
                      INSERT INTO sample_head (host_id, seq, at_ms, data)
                      SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bytea[])
                      ON CONFLICT (host_id, seq) DO NOTHING RETURNING host_id, seq"""
                    : "INSERT INTO sample_head (host_id, seq, at_ms, data) VALUES (?, ?, ?, ?) ON CONFLICT (host_id, seq) DO NOTHING");
            this.dirty = c.prepareStatement("INSERT INTO rollup_dirty (host_id, minute_ms) VALUES (?, ?) ON CONFLICT (host_id, minute_ms) DO NOTHING");
            this.windows = c.prepareStatement(
                    "INSERT INTO sample_head_windows (host_id, window_start_ms) VALUES (?, ?) ON CONFLICT (host_id, window_start_ms) DO NOTHING");
            this.blocks = c.prepareStatement("SELECT data FROM sample_blocks WHERE host_id = ? AND last_seq >= ? AND first_seq <= ?");
        }

        /**
         * Queues the samples of one host that are not stored yet. The caller's transaction must
         * already hold the host's lock ({@code state} read under it). Blocks are decoded for the
         * duplicate check only when the samples reach back into them (a replay).
         */
        public Pending add(long hostId, List<RawSample> samples, HostState state) throws SQLException {
            long minSeq = Long.MAX_VALUE;
            long maxSeq = Long.MIN_VALUE;
            for (RawSample s : samples) {
                minSeq = Math.min(minSeq, s.seq());
                maxSeq = Math.max(maxSeq, s.seq());
            }
            Set<Long> inBlocks = minSeq <= state.packedThroughSeq() ? seqsInBlocks(hostId, minSeq, maxSeq) : Set.of();
            int from = rows.size();
            long lastMinute = Long.MIN_VALUE;
            long lastWindow = Long.MIN_VALUE;
            for (RawSample s : samples) {
                if (s.seq() <= state.purgedSeq() || inBlocks.contains(s.seq())) {
                    continue;
                }
                rows.add(new HeadRow(hostId, s.seq(), s.atMs(), BlockCodec.encode(List.of(s), false)));
                long minute = Rollups.Tier.M1.bucketOf(s.atMs());
                if (minute != lastMinute) {
                    dirty.setLong(1, hostId);
                    dirty.setLong(2, minute);
                    dirty.addBatch();
                    lastMinute = minute;
                }
                long window = windowOf(s.atMs());
                if (window != lastWindow) {
                    windows.setLong(1, hostId);
                    windows.setLong(2, window);
                    windows.addBatch();
                    lastWindow = window;
                }
            }
            return new Pending(from, rows.size());
        }

        private Set<Long> seqsInBlocks(long hostId, long minSeq, long maxSeq) throws SQLException {
            Set<Long> seqs = new HashSet<>();
            blocks.setLong(1, hostId);
            blocks.setLong(2, minSeq);
            blocks.setLong(3, maxSeq);
            try (ResultSet rs = blocks.executeQuery()) {
                while (rs.next()) {
                    BlockCodec.decode(rs.getBytes(1)).forEach(s -> seqs.add(s.seq()));
                }
            }
            return seqs;
        }

        /** Runs the queued inserts (one batched statement per table); afterwards {@link Pending#stored()} is known. */
        public void flush() throws SQLException {
            headCounts = new int[rows.size()];
            if (!rows.isEmpty()) {
                if (postgres) {
                    insertArrays();
                } else {
                    insertBatch();
                }
            }
            dirty.executeBatch();
            windows.executeBatch();
        }

        private void insertBatch() throws SQLException {
            for (HeadRow r : rows) {
                head.setLong(1, r.hostId());
                head.setLong(2, r.seq());
                head.setLong(3, r.atMs());
                head.setBytes(4, r.data());
                head.addBatch();
            }
            int[] counts = head.executeBatch();
            if (counts.length != rows.size()) {
                throw new SQLException("the driver reported " + counts.length + " results for " + rows.size() + " head rows");
            }
            for (int i = 0; i < counts.length; i++) {
                headCounts[i] = counts[i] == 0 ? 0 : 1;
            }
        }

        private void insertArrays() throws SQLException {
            int n = rows.size();
            Long[] hosts = new Long[n];
            Long[] seqs = new Long[n];
            Long[] ats = new Long[n];
            byte[][] data = new byte[n][];
            for (int i = 0; i < n; i++) {
                HeadRow r = rows.get(i);
                hosts[i] = r.hostId();
                seqs[i] = r.seq();
                ats[i] = r.atMs();
                data[i] = r.data();
            }
            head.setArray(1, connection.createArrayOf("bigint", hosts));
            head.setArray(2, connection.createArrayOf("bigint", seqs));
            head.setArray(3, connection.createArrayOf("bigint", ats));
            head.setArray(4, connection.createArrayOf("bytea", data));
            Set<List<Long>> inserted = new HashSet<>();
            try (ResultSet rs = head.executeQuery()) {
                while (rs.next()) {
                    inserted.add(List.of(rs.getLong(1), rs.getLong(2)));
                }
            }
            for (int i = 0; i < n; i++) {
                // A seq sent twice in one transaction was inserted once: the first counts.
                headCounts[i] = inserted.remove(List.of(hosts[i], seqs[i])) ? 1 : 0;
            }
        }

        /** Forgets what was queued (after a commit or a rollback); the statements stay prepared. */
        public void reset() throws SQLException {
            dirty.clearBatch();
            windows.clearBatch();
            rows.clear();
        }

        @Override
        public void close() throws SQLException {
            try (head; dirty; windows; blocks) {
                rows.clear();
            }
        }
    }

    /** The host's raw samples with {@code fromMs <= atMs < toMs}, oldest first. */
    public List<RawSample> read(long hostId, long fromMs, long toMs) {
        return db.inSnapshot(h -> read(h, hostId, fromMs, toMs));
    }

    /** As {@link #read(long, long, long)}, each sample holding only the series {@code wanted} accepts (cheaper for charts). */
    public List<RawSample> read(long hostId, long fromMs, long toMs, java.util.function.Predicate<String> wanted) {
        return db.inSnapshot(h -> read(h, hostId, fromMs, toMs, wanted));
    }

    /** As {@link #read(long, long, long)}, in the caller's transaction. */
    static List<RawSample> read(Handle h, long hostId, long fromMs, long toMs) {
        return read(h, hostId, fromMs, toMs, name -> true);
    }

    private static List<RawSample> read(Handle h, long hostId, long fromMs, long toMs, java.util.function.Predicate<String> wanted) {
        // One map by seq: a sample is either in the head or in a block, never both.
        TreeMap<Long, RawSample> bySeq = new TreeMap<>();
        h.createQuery("""
                        SELECT data FROM sample_blocks
                        WHERE host_id = :host AND window_start_ms > :fromWindow AND window_start_ms < :to
                        ORDER BY window_start_ms""")
                .bind("host", hostId).bind("fromWindow", fromMs - WINDOW_MS).bind("to", toMs)
                .mapTo(byte[].class)
                .forEach(block -> {
                    for (RawSample s : BlockCodec.decode(block, wanted)) {
                        if (s.atMs() >= fromMs && s.atMs() < toMs) {
                            bySeq.put(s.seq(), s);
                        }
                    }
                });
        h.createQuery("SELECT data FROM sample_head WHERE host_id = :host AND at_ms >= :from AND at_ms < :to")
                .bind("host", hostId).bind("from", fromMs).bind("to", toMs)
                .mapTo(byte[].class)
                .forEach(row -> {
                    RawSample s = BlockCodec.decode(row, wanted).get(0);
                    bySeq.put(s.seq(), s);
                });
        List<RawSample> out = new ArrayList<>(bySeq.values());
        out.sort(Comparator.comparingLong(RawSample::atMs).thenComparingLong(RawSample::seq));
        return out;
    }

    /** The samples of one block (none when the window has no block). */
    static List<RawSample> blockSamples(Handle h, long hostId, long windowMs) {
        return h.createQuery("SELECT data FROM sample_blocks WHERE host_id = :host AND window_start_ms = :w")
                .bind("host", hostId).bind("w", windowMs).mapTo(byte[].class).findOne()
                .map(BlockCodec::decode).orElse(List.of());
    }

    /** Head rows of a host in [fromMs, toMs), oldest seq first, in the caller's transaction. */
    static List<RawSample> headRows(Handle h, long hostId, long fromMs, long toMs) {
        return h.createQuery("SELECT data FROM sample_head WHERE host_id = :host AND at_ms >= :from AND at_ms < :to ORDER BY seq")
                .bind("host", hostId).bind("from", fromMs).bind("to", toMs)
                .mapTo(byte[].class)
                .map(row -> BlockCodec.decode(row).get(0))
                .list();
    }

    /** Removes a host's head rows of whole windows in [fromMs, toMs) (window-aligned) and their window marks. */
    static int deleteHead(Handle h, long hostId, long fromMs, long toMs) {
        h.createUpdate("DELETE FROM sample_head_windows WHERE host_id = :host AND window_start_ms >= :from AND window_start_ms < :to")
                .bind("host", hostId).bind("from", fromMs).bind("to", toMs).execute();
        return h.createUpdate("DELETE FROM sample_head WHERE host_id = :host AND at_ms >= :from AND at_ms < :to")
                .bind("host", hostId).bind("from", fromMs).bind("to", toMs).execute();
    }

    /** Removes every raw sample (head rows and block) of the window starting at {@code windowMs}. */
    static void deleteWindow(Handle h, long hostId, long windowMs) {
        deleteHead(h, hostId, windowMs, windowMs + WINDOW_MS);
        h.createUpdate("DELETE FROM sample_blocks WHERE host_id = :host AND window_start_ms = :w")
                .bind("host", hostId).bind("w", windowMs).execute();
    }

    /**
     * Records that samples up to {@code seq} were stored once and are gone (a replay of them is a
     * duplicate), and, when {@code beforeMs} is larger, that no raw sample before it is left.
     */
    static void raisePurged(Handle h, Dialect dialect, long hostId, long seq, long beforeMs) {
        h.createUpdate("UPDATE hosts SET raw_purged_seq = " + dialect.greatest("raw_purged_seq", ":seq")
                        + ", raw_purged_before_ms = " + dialect.greatest("raw_purged_before_ms", ":before") + " WHERE id = :id")
                .bind("seq", seq).bind("before", beforeMs).bind("id", hostId).execute();
    }

    /** Every stored seq of a host, ascending (for tests and checks; reads the whole raw tier). */
    public List<Long> seqs(long hostId) {
        return read(hostId, Long.MIN_VALUE / 4, Long.MAX_VALUE / 4).stream().map(RawSample::seq).sorted().toList();
    }

    /** Number of raw samples stored for a host. */
    public long count(long hostId) {
        // One statement, so one snapshot: on PostgreSQL (read committed) two statements could see a
        // window both in the head and, packed meanwhile by the leader, in a block.
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT (SELECT count(*) FROM sample_head WHERE host_id = :host)
                             + (SELECT coalesce(sum(sample_count), 0) FROM sample_blocks WHERE host_id = :host)""")
                .bind("host", hostId).mapTo(Long.class).one());
    }

    /**
     * Packs head rows of closed hour windows (those entirely before {@code sealBeforeMs}) into
     * blocks, merging into a window's existing block when late samples arrived for it. One short
     * transaction per host and window. Returns the number of windows packed.
     */
    public int compact(long sealBeforeMs) {
        long sealBefore = windowOf(sealBeforeMs);
        record Window(long hostId, long startMs) {}
        List<Window> windows = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT host_id, window_start_ms FROM sample_head_windows WHERE window_start_ms < :sealBefore""")
                .bind("sealBefore", sealBefore)
                .map((rs, ctx) -> new Window(rs.getLong(1), rs.getLong(2))).list());
        int packed = 0;
        for (Window w : windows) {
            try {
                if (db.inWriteTransaction(h -> compactWindow(h, w.hostId(), w.startMs()))) {
                    packed++;
                }
            } catch (RuntimeException e) {
                if (Database.connectionLost(e)) {
                    throw e;
                }
                log.error("compacting raw samples failed host={} window={}; will retry next pass", w.hostId(), w.startMs(), e);
            }
        }
        return packed;
    }

    private static boolean compactWindow(Handle h, long hostId, long windowStart) {
        if (!lockHost(h, hostId)) {
            return false;
        }
        long windowEnd = windowStart + WINDOW_MS;
        List<RawSample> rows = headRows(h, hostId, windowStart, windowEnd);
        if (rows.isEmpty()) {
            deleteHead(h, hostId, windowStart, windowEnd);
            return false;
        }
        TreeMap<Long, RawSample> bySeq = new TreeMap<>();
        h.createQuery("SELECT data FROM sample_blocks WHERE host_id = :host AND window_start_ms = :w")
                .bind("host", hostId).bind("w", windowStart).mapTo(byte[].class)
                .forEach(block -> BlockCodec.decode(block).forEach(s -> bySeq.put(s.seq(), s)));
        rows.forEach(s -> bySeq.put(s.seq(), s));
        List<RawSample> all = new ArrayList<>(bySeq.values());
        h.createUpdate("""
                        INSERT INTO sample_blocks (host_id, window_start_ms, first_seq, last_seq, sample_count, data)
                        VALUES (:host, :w, :first, :last, :count, :data)
                        ON CONFLICT (host_id, window_start_ms) DO UPDATE SET first_seq = excluded.first_seq,
                            last_seq = excluded.last_seq, sample_count = excluded.sample_count, data = excluded.data""")
                .bind("host", hostId).bind("w", windowStart).bind("first", bySeq.firstKey()).bind("last", bySeq.lastKey())
                .bind("count", all.size()).bind("data", BlockCodec.encode(all, true))
                .execute();
        h.createUpdate("UPDATE hosts SET raw_packed_seq = CASE WHEN raw_packed_seq < :last THEN :last ELSE raw_packed_seq END WHERE id = :host")
                .bind("last", bySeq.lastKey()).bind("host", hostId).execute();
        deleteHead(h, hostId, windowStart, windowEnd);
        return true;
    }

    /**
     * Drops raw samples (blocks and head rows) of hours before {@code cutoffMs}, per host, and
     * records what went ({@link #raisePurged}). Hours whose rollups are still pending are kept
     * until the rollup task has done them. One transaction per host. Returns samples dropped.
     */
    public long expire(long cutoffMs) {
        List<Long> hosts = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT host_id FROM sample_blocks WHERE window_start_ms < :cutoff
                        UNION SELECT host_id FROM sample_head_windows WHERE window_start_ms < :cutoff""")
                .bind("cutoff", cutoffMs).mapTo(Long.class).list());
        long dropped = 0;
        for (long hostId : hosts) {
            dropped += db.inWriteTransaction(h -> {
                if (!lockHost(h, hostId)) {
                    return 0L;
                }
                long before = h.createQuery("SELECT min(minute_ms) FROM rollup_dirty WHERE host_id = :host")
                        .bind("host", hostId).mapTo(Long.class).findOne()
                        .map(m -> Math.min(cutoffMs, windowOf(m))).orElse(cutoffMs);
                long maxSeq = Math.max(
                        h.createQuery("SELECT coalesce(max(last_seq), 0) FROM sample_blocks WHERE host_id = :host AND window_start_ms < :before")
                                .bind("host", hostId).bind("before", before).mapTo(Long.class).one(),
                        h.createQuery("SELECT coalesce(max(seq), 0) FROM sample_head WHERE host_id = :host AND at_ms < :before")
                                .bind("host", hostId).bind("before", before).mapTo(Long.class).one());
                long n = h.createQuery("SELECT coalesce(sum(sample_count), 0) FROM sample_blocks WHERE host_id = :host AND window_start_ms < :before")
                        .bind("host", hostId).bind("before", before).mapTo(Long.class).one();
                h.createUpdate("DELETE FROM sample_blocks WHERE host_id = :host AND window_start_ms < :before")
                        .bind("host", hostId).bind("before", before).execute();
                n += deleteHead(h, hostId, Long.MIN_VALUE / 4, windowOf(before));
                n += h.createUpdate("DELETE FROM sample_head WHERE host_id = :host AND at_ms < :before")
                        .bind("host", hostId).bind("before", before).execute();
                raisePurged(h, db.dialect(), hostId, maxSeq, before);
                return n;
            });
        }
        return dropped;
    }

    Database db() {
        return db;
    }
}
