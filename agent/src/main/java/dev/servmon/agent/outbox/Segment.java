package dev.servmon.agent.outbox;

import static dev.servmon.agent.outbox.SegmentFormat.FILE_HEADER_BYTES;

import dev.servmon.agent.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One segment file of a {@link DiskOutbox} and what is known of its records: how many, their seq
 * range, and which byte ranges are damaged. Not thread-safe; the outbox guards it.
 */
final class Segment {
    private static final Log log = Log.get(DiskOutbox.class);

    final long id;
    final Path path;
    /** Open while the segment is appended to or read from; else null. */
    FileChannel channel;
    /** Bytes of the file that hold records (the file may not be longer). */
    long end;
    int records;
    long firstSeq;
    long lastSeq;
    long maxAtMs = Long.MIN_VALUE;
    /** Damaged byte ranges, start to end; null while there are none. */
    private Map<Long, Long> skips;
    // Set by scan(): how many records at the start are done, where they end, and the first seq after them.
    int doneCount;
    long doneEnd;
    long firstWaitingSeq;

    private Segment(long id, Path path, FileChannel channel) {
        this.id = id;
        this.path = path;
        this.channel = channel;
    }

    /** Creates segment {@code id} in {@code dir}, header written and fsync'ed, open for appending. */
    static Segment create(Path dir, long id) throws IOException {
        Path path = dir.resolve(SegmentFormat.fileName(id));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            DiskOutbox.writeFully(ch, SegmentFormat.fileHeader(), 0);
            ch.force(true);
            AtomicFile.syncDirectory(dir);
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw e;
        }
        Segment seg = new Segment(id, path, ch);
        seg.end = FILE_HEADER_BYTES;
        return seg;
    }

    /**
     * Opens existing segment {@code id} and checks its header. Returns null when the file is of
     * no use: one shorter than a header (a crash right after a roll) is deleted, one with a
     * foreign header is moved aside and logged.
     */
    static Segment open(Path dir, long id) throws IOException {
        Path path = dir.resolve(SegmentFormat.fileName(id));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_BYTES);
        while (header.hasRemaining() && ch.read(header, header.position()) > 0) {
            // until full or at the end of the file
        }
        if (header.position() < FILE_HEADER_BYTES) {
            ch.close();
            Files.delete(path);
            return null;
        }
        if (header.getInt(0) != SegmentFormat.MAGIC || header.getInt(4) != SegmentFormat.VERSION) {
            ch.close();
            Path aside = path.resolveSibling(path.getFileName() + ".unreadable");
            Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
            log.warn("servmon agent: outbox file {} is not a segment this agent can read (header {}, expected version {}); moved it to {}; "
                    + "its samples, if any, are not sent", path, String.format(Locale.ROOT, "%08x %08x", header.getInt(0), header.getInt(4)),
                    SegmentFormat.VERSION, aside);
            return null;
        }
        return new Segment(id, path, ch);
    }

    /**
     * Reads every record once at start, counting them and those at the start with a seq up to
     * {@code doneThroughSeq}; skips damaged bytes and cuts off an incomplete or damaged tail,
     * logging each with offset and size.
     *
     * @param inDonePrefix whether every record in earlier segments is done
     * @return whether every record up to the end of this segment is done
     */
    boolean scan(FrameReader reader, long doneThroughSeq, boolean inDonePrefix) throws IOException {
        long size = channel.size();
        long pos = FILE_HEADER_BYTES;
        boolean done = inDonePrefix;
        while (pos < size) {
            FrameReader.Status status = reader.readAt(channel, pos, size, false);
            if (status == FrameReader.Status.RECORD) {
                if (done && reader.seq <= doneThroughSeq) {
                    doneCount++;
                    doneEnd = reader.end;
                } else if (done) {
                    done = false;
                    firstWaitingSeq = reader.seq;
                }
                onRecord(reader.seq, reader.atMs);
                pos = reader.end;
                continue;
            }
            long next = reader.resync(channel, pos + 1, size);
            if (next < 0) {
                if (status == FrameReader.Status.INCOMPLETE) {
                    log.warn("servmon agent: outbox segment {} ends with an incomplete record at offset {} ({} bytes): "
                            + "the agent or the machine stopped while writing it; cut it off", path, pos, size - pos);
                } else {
                    log.warn("servmon agent: outbox segment {} ends with {} damaged bytes at offset {}; cut them off", path, size - pos, pos);
                }
                channel.truncate(pos);
                break;
            }
            log.warn("servmon agent: outbox segment {} has {} damaged bytes at offset {} (a record that fails its length or CRC check); "
                    + "skipped them and kept the records after them", path, next - pos, pos);
            skip(pos, next);
            pos = next;
        }
        end = Math.min(pos, size);
        return done;
    }

    /**
     * Reads the first intact record at or after {@code pos}, skipping damaged bytes (logged when
     * first met). Returns its position, {@code reader} describing it, or -1 when this segment
     * holds no further record; a read error makes the rest of the segment count as damaged.
     */
    long read(FrameReader reader, long pos, boolean keepPayload) {
        while (pos < end) {
            Long skipTo = skips == null ? null : skips.get(pos);
            if (skipTo != null) {
                pos = skipTo;
                continue;
            }
            try {
                FileChannel ch = channel();
                if (reader.readAt(ch, pos, end, keepPayload) == FrameReader.Status.RECORD) {
                    return pos;
                }
                long next = reader.resync(ch, pos + 1, end);
                long to = next < 0 ? end : next;
                log.warn("servmon agent: outbox segment {} has {} damaged bytes at offset {}, changed on disk while the agent ran; skipped them",
                        path, to - pos, pos);
                skip(pos, to);
                pos = to;
            } catch (IOException e) {
                log.warn("servmon agent: cannot read outbox segment {} at offset {} ({}); its samples from there on are dropped",
                        path, pos, e.toString());
                skip(pos, end);
                return -1;
            }
        }
        return -1;
    }

    void onRecord(long seq, long atMs) {
        if (records == 0) {
            firstSeq = seq;
        }
        lastSeq = seq;
        records++;
        maxAtMs = Math.max(maxAtMs, atMs);
    }

    private void skip(long from, long to) {
        if (skips == null) {
            skips = new HashMap<>(4);
        }
        skips.put(from, to);
    }

    /** Opens the file for appending (and reading) again. */
    void openForAppend() throws IOException {
        closeChannel();
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        }
        return channel;
    }

    void closeChannel() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("servmon agent: cannot close outbox segment {} ({})", path, e.toString());
        }
        channel = null;
    }

    /** Closes and deletes the file: every record in it was acknowledged or dropped. */
    void delete() {
        closeChannel();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("servmon agent: cannot delete outbox segment {} ({}); delete it by hand", path, e.toString());
        }
    }
}
