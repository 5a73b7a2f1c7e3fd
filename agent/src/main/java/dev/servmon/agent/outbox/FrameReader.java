package dev.servmon.agent.outbox;

import static dev.servmon.agent.outbox.SegmentFormat.MARKER;
import static dev.servmon.agent.outbox.SegmentFormat.MARKER_FIRST_BYTE;
import static dev.servmon.agent.outbox.SegmentFormat.MAX_PAYLOAD_BYTES;
import static dev.servmon.agent.outbox.SegmentFormat.RECORD_HEADER_BYTES;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads records of a segment file ({@link SegmentFormat}) at given positions, and finds the next
 * intact record after damaged bytes. The fields describe the last record read. One reader per
 * thread; it reuses its buffers, so scanning allocates nothing per record.
 */
final class FrameReader {
    /** What {@link #readAt} found. */
    enum Status {
        /** An intact record; the fields describe it. */
        RECORD,
        /** The start of a record that does not fit before the limit: a write cut short. */
        INCOMPLETE,
        /** Bytes that are not an intact record. */
        CORRUPT
    }

    private static final int SCAN_CHUNK_BYTES = 8192;

    private final ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
    private final CRC32C crc = new CRC32C();
    private byte[] scratch = new byte[4096];
    private ByteBuffer chunk;

    long seq;
    long atMs;
    /** Position just after the record. */
    long end;
    /** The payload, when asked for; else null. */
    byte[] payload;

    /**
     * Reads the record at {@code pos}, which must end at or before {@code limit}.
     *
     * @param keepPayload whether to return the payload in a new array (else it is checked and dropped)
     */
    Status readAt(FileChannel ch, long pos, long limit, boolean keepPayload) throws IOException {
        payload = null;
        int available = (int) Math.min(RECORD_HEADER_BYTES, limit - pos);
        if (available <= 0) {
            return Status.INCOMPLETE;
        }
        header.clear().limit(available);
        int got = readFully(ch, header, pos);
        byte[] h = header.array();
        for (int i = 0; i < Math.min(4, got); i++) {
            if (h[i] != (byte) (MARKER >>> (24 - 8 * i))) {
                return Status.CORRUPT;
            }
        }
        if (got < RECORD_HEADER_BYTES) {
            return Status.INCOMPLETE;
        }
        int length = header.getInt(4);
        if (length < 0 || length > MAX_PAYLOAD_BYTES) {
            return Status.CORRUPT;
        }
        if (pos + RECORD_HEADER_BYTES + length > limit) {
            return Status.INCOMPLETE;
        }
        byte[] body = keepPayload ? new byte[length] : scratch(length);
        if (readFully(ch, ByteBuffer.wrap(body, 0, length), pos + RECORD_HEADER_BYTES) < length) {
            return Status.INCOMPLETE;
        }
        if (SegmentFormat.checksum(crc, h, body, length) != header.getInt(8)) {
            return Status.CORRUPT;
        }
        seq = header.getLong(12);
        atMs = header.getLong(20);
        end = pos + RECORD_HEADER_BYTES + length;
        payload = keepPayload ? body : null;
        return Status.RECORD;
    }

    /**
     * The position of the first intact record in {@code [from, limit)}, or -1 when there is none.
     * Leaves the fields describing that record.
     */
    long resync(FileChannel ch, long from, long limit) throws IOException {
        if (chunk == null) {
            chunk = ByteBuffer.allocate(SCAN_CHUNK_BYTES);
        }
        long base = from;
        while (base < limit) {
            chunk.clear().limit((int) Math.min(SCAN_CHUNK_BYTES, limit - base));
            int got = readFully(ch, chunk, base);
            if (got <= 0) {
                return -1;
            }
            byte[] bytes = chunk.array();
            for (int i = 0; i < got; i++) {
                if (bytes[i] == MARKER_FIRST_BYTE && readAt(ch, base + i, limit, false) == Status.RECORD) {
                    return base + i;
                }
            }
            base += got;
        }
        return -1;
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        return scratch;
    }

    /** Reads until {@code dst} is full or the file ends; returns the bytes read. */
    private static int readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
