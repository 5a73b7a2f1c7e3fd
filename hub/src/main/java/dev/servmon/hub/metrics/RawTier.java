package dev.servmon.hub.metrics;

import dev.servmon.hub.storage.Database;
import dev.servmon.hub.storage.Dialect;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
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
    /** Head rows inserted per statement. */
    private static final int ROWS_PER_INSERT = 250;

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
     * @param packedThroughSeq highest seq in the host's blocks (0: none)
     */
    public record HostState(long purgedSeq, long packedThroughSeq) {}

    /** A RETURNING list for an {@code UPDATE hosts}: the columns of {@link HostState}. */
    public static final String HOST_STATE_COLUMNS =
            "raw_purged_seq, (SELECT coalesce(max(b.last_seq), 0) FROM sample_blocks b WHERE b.host_id = hosts.id)";

    /**
     * Stores the samples not stored yet, inside the caller's transaction, which must already hold
     * the host's lock; marks their minutes for the rollup task. Returns how many were new. Blocks
     * are decoded for the duplicate check only when the batch reaches back into them (a replay).
     */
    public int insert(Handle h, long hostId, List<RawSample> samples, HostState state) {
        long minSeq = Long.MAX_VALUE;
        long maxSeq = Long.MIN_VALUE;
        for (RawSample s : samples) {
            minSeq = Math.min(minSeq, s.seq());
            maxSeq = Math.max(maxSeq, s.seq());
        }
        Set<Long> inBlocks = new HashSet<>();
        if (minSeq <= state.packedThroughSeq()) {
            h.createQuery("SELECT data FROM sample_blocks WHERE host_id = :host AND last_seq >= :min AND first_seq <= :max")
                    .bind("host", hostId).bind("min", minSeq).bind("max", maxSeq)
                    .mapTo(byte[].class)
                    .forEach(block -> BlockCodec.decode(block).forEach(s -> inBlocks.add(s.seq())));
        }
        List<RawSample> fresh = new ArrayList<>(samples.size());
        for (RawSample s : samples) {
            if (s.seq() > state.purgedSeq() && !inBlocks.contains(s.seq())) {
                fresh.add(s);
            }
        }
        int stored = 0;
        for (int from = 0; from < fresh.size(); from += ROWS_PER_INSERT) {
            stored += insertHead(h, hostId, fresh.subList(from, Math.min(fresh.size(), from + ROWS_PER_INSERT)));
        }
        markDirty(h, hostId, fresh);
        return stored;
    }

    private static int insertHead(Handle h, long hostId, List<RawSample> rows) {
        List<Object[]> values = new ArrayList<>(rows.size());
        for (RawSample s : rows) {
            values.add(new Object[] {hostId, s.seq(), s.atMs(), BlockCodec.encode(List.of(s), false)});
        }
        return insertIgnoring(h, "sample_head (host_id, seq, at_ms, data)", "(host_id, seq)", values);
    }

    private static void markDirty(Handle h, long hostId, List<RawSample> samples) {
        Set<Long> minutes = new java.util.TreeSet<>();
        for (RawSample s : samples) {
            minutes.add(Rollups.Tier.M1.bucketOf(s.atMs()));
        }
        List<Object[]> values = new ArrayList<>(minutes.size());
        minutes.forEach(m -> values.add(new Object[] {hostId, m}));
        insertIgnoring(h, "rollup_dirty (host_id, minute_ms)", "(host_id, minute_ms)", values);
    }

    /** One multi-row {@code INSERT … ON CONFLICT … DO NOTHING}; returns the rows inserted. */
    private static int insertIgnoring(Handle h, String tableAndColumns, String key, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        String placeholders = "(" + "?, ".repeat(rows.get(0).length - 1) + "?)";
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(tableAndColumns).append(" VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(placeholders);
        }
        sql.append(" ON CONFLICT ").append(key).append(" DO NOTHING");
        var update = h.createUpdate(sql.toString());
        int p = 0;
        for (Object[] row : rows) {
            for (Object v : row) {
                update.bind(p++, v);
            }
        }
        return update.execute();
    }

    /** The host's raw samples with {@code fromMs <= atMs < toMs}, oldest first. */
    public List<RawSample> read(long hostId, long fromMs, long toMs) {
        return db.jdbi().inTransaction(h -> read(h, hostId, fromMs, toMs));
    }

    /** As {@link #read(long, long, long)}, each sample holding only the series {@code wanted} accepts (cheaper for charts). */
    public List<RawSample> read(long hostId, long fromMs, long toMs, java.util.function.Predicate<String> wanted) {
        return db.jdbi().inTransaction(h -> read(h, hostId, fromMs, toMs, wanted));
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

    static void deleteHead(Handle h, long hostId, long fromMs, long toMs) {
        h.createUpdate("DELETE FROM sample_head WHERE host_id = :host AND at_ms >= :from AND at_ms < :to")
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
                        SELECT DISTINCT host_id, (at_ms / :w) * :w AS window_start FROM sample_head
                        WHERE at_ms < :sealBefore""")
                .bind("w", WINDOW_MS).bind("sealBefore", sealBefore)
                .map((rs, ctx) -> new Window(rs.getLong(1), rs.getLong(2))).list());
        int packed = 0;
        for (Window w : windows) {
            try {
                if (db.jdbi().inTransaction(h -> compactWindow(h, w.hostId(), w.startMs()))) {
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
                        UNION SELECT host_id FROM sample_head WHERE at_ms < :cutoff""")
                .bind("cutoff", cutoffMs).mapTo(Long.class).list());
        long dropped = 0;
        for (long hostId : hosts) {
            dropped += db.jdbi().inTransaction(h -> {
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
                n += h.createUpdate("DELETE FROM sample_head WHERE host_id = :host AND at_ms < :before")
                        .bind("host", hostId).bind("before", before).execute();
                raisePurged(h, db.dialect(), hostId, maxSeq, before);
                return n;
            });
        }
        return dropped;
    }

    Jdbi jdbi() {
        return db.jdbi();
    }
}
