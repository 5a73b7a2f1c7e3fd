package dev.servmon.agent.outbox;

import static dev.servmon.agent.outbox.SegmentFormat.FILE_HEADER_BYTES;

import dev.servmon.agent.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;

/**
 * An {@link Outbox} on disk: samples survive agent restarts, {@code kill -9} and hub outages of
 * days. See docs/agent-delivery.md for the guarantees.
 *
 * <p>Samples are appended to segment files ({@link SegmentFormat}) in one directory, each record
 * framed with its length, a CRC-32C and a marker. {@link #add} returns only after the record
 * was handed to the OS ({@code write}), so a killed agent loses nothing it added; the file is
 * fsync'ed at the first append at least {@value #SYNC_EVERY_MS} ms after the previous fsync
 * and on close, so an OS crash or power cut can lose at most the appends of about the last
 * second. A segment is rolled at a size ({@link #segmentBytesFor}: 4 MiB for the default
 * bound) and deleted once every record in it was acknowledged or dropped.
 *
 * <p>Only a read position (segment, offset) is kept in memory, never the payloads: a backlog of
 * 64 MiB costs a few hundred bytes of heap, and {@link #oldest} reads from disk. The position
 * is saved to a small file ({@value #POSITION_FILE}, replaced atomically, at most once a second
 * and on close) so a restart resends at most a batch the hub already has, which it ignores.
 *
 * <p>Bounded by total size and by age: the oldest samples go first, counted in
 * {@link #droppedCount()} and logged at WARN with their number and seq range.
 *
 * <p>Opening recovers from whatever a crash left: an incomplete record at the end of a segment
 * is cut off, damaged bytes inside one are skipped up to the next intact record (found by its
 * marker and CRC), and both are logged with file and offset. Damaged data never makes
 * {@link #open} fail; a directory that cannot be written does, with a message naming it.
 * The directory is locked: a second agent on the same state directory is refused.
 */
public final class DiskOutbox implements Outbox {
    /** Default bound on the bytes of all segment files. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    /** Default bound on the age of a waiting sample. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    static final long MAX_SEGMENT_BYTES = 4L << 20;
    static final long MIN_SEGMENT_BYTES = 16L << 10;
    static final long SYNC_EVERY_MS = 1000;
    static final String POSITION_FILE = "acked";
    static final String LOCK_FILE = "lock";
    private static final long SYNC_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(SYNC_EVERY_MS);
    private static final long SAVE_POSITION_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Log log = Log.get(DiskOutbox.class);

    private final Path dir;
    private final long maxBytes;
    private final long maxAgeMs;
    private final long segmentBytes;
    private final LongSupplier nowMs;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final FrameReader reader = new FrameReader();
    private final CRC32C crc = new CRC32C();
    /** The oldest waiting record is at or after this offset of the first segment. */
    private long cursorPos = FILE_HEADER_BYTES;
    /** Records of the first segment before {@link #cursorPos}. */
    private int cursorIndex;
    private long waiting;
    private long dropped;
    private long totalBytes;
    private long newestSeq = Long.MIN_VALUE;
    /** Every record up to this seq was acknowledged or dropped. */
    private long doneThroughSeq = Long.MIN_VALUE;
    private boolean positionDirty;
    private long positionSavedAtNanos = System.nanoTime() - SAVE_POSITION_EVERY_NANOS;
    private long syncedAtNanos = System.nanoTime() - SYNC_EVERY_NANOS;
    private int unsynced;
    private boolean rollBeforeNextWrite;
    private long writeWarnedAtNanos;
    private boolean writeFailing;
    private long positionWarnedAtNanos;
    private boolean positionFailing;
    private boolean closed;

    private DiskOutbox(Path dir, long maxBytes, Duration maxAge, long segmentBytes, LongSupplier nowMs,
            FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxAgeMs = maxAge.toMillis();
        this.segmentBytes = segmentBytes;
        this.nowMs = nowMs;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens the outbox in {@code dir} (created when missing), recovering what an earlier run left.
     *
     * @param maxBytes bound on the bytes of all segment files, at least 1 MiB
     * @param maxAge samples older than this are dropped unsent
     * @throws IOException when {@code dir} cannot be created or written, or another agent uses it;
     *     the message names the directory and what to do
     */
    public static DiskOutbox open(Path dir, long maxBytes, Duration maxAge) throws IOException {
        if (maxBytes < 1L << 20) {
            throw new IllegalArgumentException("the outbox bound must be at least 1 MiB, got " + maxBytes + " bytes");
        }
        return open(dir, maxBytes, maxAge, segmentBytesFor(maxBytes), System::currentTimeMillis);
    }

    /** Segment size for a bound: a sixteenth of it, between 16 KiB and 4 MiB, so dropping one segment frees little of the bound. */
    static long segmentBytesFor(long maxBytes) {
        return Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, maxBytes / 16));
    }

    static DiskOutbox open(Path dir, long maxBytes, Duration maxAge, long segmentBytes, LongSupplier nowMs) throws IOException {
        if (segmentBytes < FILE_HEADER_BYTES + SegmentFormat.RECORD_HEADER_BYTES || maxBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("outbox bound " + maxBytes + " bytes must hold two segments of " + segmentBytes + " bytes");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("the outbox's maximum sample age must be positive, got " + maxAge);
        }
        try {
            if (!Files.isDirectory(dir) && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                // Samples name users and processes: owner only, like the key file.
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw unusable(dir, "cannot be created", e);
        }
        if (!Files.isWritable(dir)) {
            throw unusable(dir, "is not writable by this user", null);
        }
        FileChannel lockChannel;
        try {
            lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw unusable(dir, "cannot hold a lock file", e);
        }
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("the outbox directory " + dir + " is in use by another servmon agent: stop that agent, "
                    + "or give this one its own --state-dir");
        }
        DiskOutbox outbox = new DiskOutbox(dir, maxBytes, maxAge, segmentBytes, nowMs, lockChannel, lock);
        try {
            outbox.recover();
        } catch (IOException | RuntimeException e) {
            outbox.close();
            if (e instanceof IOException io) {
                throw unusable(dir, "cannot be read or written", io);
            }
            throw e;
        }
        return outbox;
    }

    private static IOException unusable(Path dir, String what, IOException cause) {
        String reason = cause == null ? "" : " (" + (cause instanceof AccessDeniedException ? "permission denied" : cause.toString()) + ")";
        return new IOException("the outbox directory " + dir + " " + what + reason
                + ": pass --state-dir DIR where this user may write, or fix the owner and permissions of " + dir, cause);
    }

    @Override
    public synchronized void add(long seq, long atMs, byte[] json) {
        if (closed) {
            throw new IllegalStateException("the outbox " + dir + " is closed");
        }
        if (newestSeq != Long.MIN_VALUE && seq <= newestSeq) {
            throw new IllegalArgumentException("sample seq " + seq + " is not above the newest seq in the outbox, " + newestSeq);
        }
        if (json.length > SegmentFormat.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("sample seq " + seq + " is " + json.length + " bytes; the outbox holds samples of at most "
                    + SegmentFormat.MAX_PAYLOAD_BYTES + " bytes");
        }
        ByteBuffer record = SegmentFormat.encode(crc, seq, atMs, json);
        int length = record.remaining();
        dropExpiredSegments();
        Segment active = segments.peekLast();
        try {
            if (rollBeforeNextWrite || (active.records > 0 && active.end + length > segmentBytes)) {
                active = roll();
            }
            makeRoomFor(length);
            writeFully(active.channel, record, active.end);
        } catch (IOException e) {
            onWriteFailure(active, seq, e);
            return;
        }
        writeFailing = false;
        active.end += length;
        active.onRecord(seq, atMs);
        totalBytes += length;
        waiting++;
        newestSeq = seq;
        unsynced++;
        if (System.nanoTime() - syncedAtNanos >= SYNC_EVERY_NANOS) {
            sync();
        }
        maybeSavePosition();
    }

    @Override
    public synchronized List<Entry> oldest(int maxCount, int maxBytes) {
        List<Entry> batch = new ArrayList<>((int) Math.min(maxCount, Math.min(waiting, 1024)));
        if (closed || maxCount < 1) {
            return batch;
        }
        dropExpiredFront();
        if (!readFront(false)) {
            return batch;
        }
        Iterator<Segment> it = segments.iterator();
        Segment seg = it.next();
        long pos = cursorPos;
        long bytes = 0;
        while (batch.size() < maxCount) {
            if (seg.read(reader, pos, true) < 0) {
                if (!it.hasNext()) {
                    break;
                }
                seg = it.next();
                pos = FILE_HEADER_BYTES;
                continue;
            }
            bytes += reader.payload.length + 1;
            if (!batch.isEmpty() && bytes > maxBytes) {
                break;
            }
            batch.add(new Entry(reader.seq, reader.atMs, reader.payload));
            pos = reader.end;
        }
        return batch;
    }

    @Override
    public synchronized int removeThrough(long throughSeq) {
        int removed = 0;
        while (!closed && readFront(false) && reader.seq <= throughSeq) {
            advancePastFront();
            removed++;
        }
        if (removed > 0) {
            maybeSavePosition();
        }
        return removed;
    }

    @Override
    public synchronized int size() {
        return (int) Math.min(Integer.MAX_VALUE, waiting);
    }

    @Override
    public synchronized long droppedCount() {
        return dropped;
    }

    @Override
    public boolean survivesRestart() {
        return true;
    }

    /** Bytes of all segment files. */
    synchronized long totalBytes() {
        return totalBytes;
    }

    /** Fsyncs what was appended, saves the read position and releases the directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (unsynced > 0) {
            sync();
        }
        if (positionDirty) {
            savePosition();
        }
        for (Segment seg : segments) {
            seg.closeChannel();
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.warn("servmon agent: cannot release the lock on the outbox directory {} ({}); it is released when the agent exits", dir, e.toString());
        }
    }

    // ---- recovery

    private void recover() throws IOException {
        doneThroughSeq = readPosition();
        List<Long> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                long id = SegmentFormat.idOf(p.getFileName().toString());
                if (id >= 0) {
                    ids.add(id);
                }
            }
        }
        ids.sort(null);
        long nextId = ids.isEmpty() ? 1 : ids.get(ids.size() - 1) + 1;
        boolean inDonePrefix = true;
        long firstWaitingSeq = Long.MIN_VALUE;
        for (long id : ids) {
            Segment seg = Segment.open(dir, id);
            if (seg == null) {
                continue;
            }
            inDonePrefix = seg.scan(reader, doneThroughSeq, inDonePrefix);
            seg.closeChannel(); // reopened when read: a large bound means many segments, not many open files
            if (firstWaitingSeq == Long.MIN_VALUE && seg.doneCount < seg.records) {
                firstWaitingSeq = seg.firstWaitingSeq;
            }
            segments.addLast(seg);
            totalBytes += seg.end;
            waiting += seg.records - seg.doneCount;
            if (seg.records > 0) {
                newestSeq = seg.lastSeq;
            }
        }
        // Segments all of whose records are done (or that hold none) have no further use.
        while (segments.size() > 1 && segments.peekFirst().doneCount == segments.peekFirst().records) {
            retire(segments.removeFirst());
        }
        if (segments.isEmpty()) {
            segments.addLast(Segment.create(dir, nextId));
            totalBytes = FILE_HEADER_BYTES;
        } else {
            Segment first = segments.peekFirst();
            cursorIndex = first.doneCount;
            cursorPos = first.doneCount > 0 ? first.doneEnd : FILE_HEADER_BYTES;
            segments.peekLast().openForAppend();
        }
        if (waiting > 0) {
            log.info("servmon agent: outbox {} holds {} samples the hub has not acknowledged (seq {}..{}, {} in {} segments); they are sent first",
                    dir, waiting, firstWaitingSeq, newestSeq, size(totalBytes), segments.size());
        }
    }

    private long readPosition() {
        Path file = dir.resolve(POSITION_FILE);
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException e) {
            return Long.MIN_VALUE;
        } catch (IOException | NumberFormatException e) {
            log.warn("servmon agent: outbox position file {} is unreadable ({}); sending every sample in the outbox again "
                    + "(the hub ignores those it has)", file, e.toString());
            return Long.MIN_VALUE;
        }
    }

    // ---- reading

    /** Positions the cursor at the oldest waiting record and reads it; false when none waits. */
    private boolean readFront(boolean keepPayload) {
        while (waiting > 0) {
            Segment front = segments.peekFirst();
            long at = front.read(reader, cursorPos, keepPayload);
            if (at >= 0) {
                cursorPos = at;
                return true;
            }
            cursorPos = front.end;
            boolean wasLast = front == segments.peekLast();
            settleFront();
            if (wasLast) {
                waiting = 0; // settleFront() counted what could not be read as dropped
                return false;
            }
        }
        return false;
    }

    /** Moves the cursor past the record {@link #readFront} just read. */
    private void advancePastFront() {
        cursorPos = reader.end;
        cursorIndex++;
        waiting--;
        doneThroughSeq = reader.seq;
        positionDirty = true;
        settleFront();
    }

    /** Once the cursor is at the end of the first segment: accounts for it and, unless it is the one written to, deletes it. */
    private void settleFront() {
        while (true) {
            Segment front = segments.peekFirst();
            if (cursorPos < front.end) {
                return;
            }
            int lost = front.records - cursorIndex;
            if (lost > 0) {
                waiting -= lost;
                dropped += lost;
                cursorIndex = front.records;
                log.warn("servmon agent: {} samples in outbox segment {} could not be read and are dropped; {} dropped since the agent started",
                        lost, front.path, dropped);
            }
            if (front == segments.peekLast()) {
                return;
            }
            retire(segments.removeFirst());
            cursorPos = FILE_HEADER_BYTES;
            cursorIndex = 0;
        }
    }

    // ---- bounds

    private void dropExpiredSegments() {
        long cutoff = nowMs.getAsLong() - maxAgeMs;
        while (segments.size() > 1 && segments.peekFirst().maxAtMs < cutoff) {
            dropFrontSegment("older than " + age(maxAgeMs));
        }
    }

    private void dropExpiredFront() {
        long cutoff = nowMs.getAsLong() - maxAgeMs;
        long n = 0;
        long fromSeq = 0;
        long toSeq = 0;
        while (readFront(false) && reader.atMs < cutoff) {
            if (n++ == 0) {
                fromSeq = reader.seq;
            }
            toSeq = reader.seq;
            dropped++;
            advancePastFront();
        }
        if (n > 0) {
            log.warn("servmon agent: dropped {} samples (seq {}..{}) older than {} that the hub never acknowledged; {} dropped since the agent started",
                    n, fromSeq, toSeq, age(maxAgeMs), dropped);
            maybeSavePosition();
        }
    }

    private void makeRoomFor(int length) {
        while (totalBytes + length > maxBytes && segments.size() > 1) {
            dropFrontSegment("the outbox reached its bound of " + size(maxBytes));
        }
    }

    private void dropFrontSegment(String reason) {
        Segment front = segments.peekFirst();
        int lost = front.records - cursorIndex;
        if (lost > 0) {
            long fromSeq = front.read(reader, cursorPos, false) >= 0 ? reader.seq : front.firstSeq;
            waiting -= lost;
            dropped += lost;
            log.warn("servmon agent: dropped the {} oldest samples not acknowledged by the hub (seq {}..{}): {}; {} dropped since the agent started",
                    lost, fromSeq, front.lastSeq, reason, dropped);
        }
        if (front.records > 0) {
            doneThroughSeq = Math.max(doneThroughSeq, front.lastSeq);
            positionDirty = true;
        }
        retire(segments.removeFirst());
        cursorPos = FILE_HEADER_BYTES;
        cursorIndex = 0;
    }

    // ---- writing

    private Segment roll() throws IOException {
        Segment old = segments.peekLast();
        if (unsynced > 0) {
            sync();
        }
        Segment seg = Segment.create(dir, old.id + 1);
        segments.addLast(seg);
        totalBytes += seg.end;
        rollBeforeNextWrite = false;
        if (old != segments.peekFirst()) {
            old.closeChannel();
        }
        settleFront();
        return seg;
    }

    private void onWriteFailure(Segment active, long seq, IOException e) {
        dropped++;
        try {
            active.channel.truncate(active.end);
        } catch (IOException truncateFailed) {
            // A partial record may remain; readers skip it, and new records go to a new segment.
            rollBeforeNextWrite = true;
        }
        long now = System.nanoTime();
        if (!writeFailing || now - writeWarnedAtNanos >= WARN_EVERY_NANOS) {
            log.warn("servmon agent: cannot write sample seq {} to the outbox in {} ({}); it is dropped, and so is every sample until "
                    + "the disk takes writes again (free space?); {} dropped since the agent started", seq, dir, e.toString(), dropped);
            writeWarnedAtNanos = now;
        }
        writeFailing = true;
    }

    private void sync() {
        try {
            segments.peekLast().channel.force(false);
        } catch (IOException e) {
            log.warn("servmon agent: cannot fsync the outbox in {} ({}); samples of the last seconds may be lost if the machine crashes", dir, e.toString());
        }
        unsynced = 0;
        syncedAtNanos = System.nanoTime();
    }

    private void maybeSavePosition() {
        if (positionDirty && System.nanoTime() - positionSavedAtNanos >= SAVE_POSITION_EVERY_NANOS) {
            savePosition();
        }
    }

    /** Not fsync'ed: a position lost in an OS crash only means some acknowledged samples are sent again. */
    private void savePosition() {
        positionSavedAtNanos = System.nanoTime();
        try {
            AtomicFile.write(dir.resolve(POSITION_FILE), doneThroughSeq + "\n", false);
            positionDirty = false;
            positionFailing = false;
        } catch (IOException e) {
            if (!positionFailing || positionSavedAtNanos - positionWarnedAtNanos >= WARN_EVERY_NANOS) {
                log.warn("servmon agent: cannot save the outbox position to {} ({}); after a restart, acknowledged samples are sent again",
                        dir.resolve(POSITION_FILE), e.toString());
                positionWarnedAtNanos = positionSavedAtNanos;
            }
            positionFailing = true;
        }
    }

    private void retire(Segment seg) {
        totalBytes -= seg.end;
        seg.delete();
    }

    static void writeFully(FileChannel ch, ByteBuffer src, long pos) throws IOException {
        long at = pos;
        while (src.hasRemaining()) {
            at += ch.write(src, at);
        }
    }

    private static String size(long bytes) {
        if (bytes < 1L << 20) {
            return (bytes + 1023) / 1024 + " KiB";
        }
        long tenths = (bytes * 10 + (1L << 19)) >> 20; // rounded half up, as %.1f would
        return tenths / 10 + "." + tenths % 10 + " MiB";
    }

    private static String age(long ms) {
        Duration d = Duration.ofMillis(ms);
        if (d.toHours() >= 48 && d.toHoursPart() == 0 && d.toMinutesPart() == 0) {
            return d.toDays() + " d";
        }
        if (d.toMinutes() >= 60 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
            return d.toHours() + " h";
        }
        return d.toSeconds() + " s";
    }
}
