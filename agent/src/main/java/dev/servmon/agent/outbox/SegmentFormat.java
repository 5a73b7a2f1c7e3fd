package dev.servmon.agent.outbox;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The bytes of a {@link DiskOutbox} segment file, big-endian throughout.
 *
 * <pre>
 * file   = magic "SMOB" (4) | version (4) | record*
 * record = marker FE C0 5E 9A (4) | length (4) | crc32c (4) | seq (8) | atMs (8) | payload (length)
 * </pre>
 *
 * <p>The CRC-32C covers length, seq, atMs and payload. The marker lets a reader find the next
 * record after damaged bytes; it starts with {@code 0xFE}, a byte that never occurs in UTF-8,
 * so a JSON payload cannot hold a false marker, and a false one in binary fields fails the CRC.
 */
final class SegmentFormat {
    /** "SMOB": servmon outbox. */
    static final int MAGIC = 0x534D4F42;
    static final int VERSION = 1;
    static final int FILE_HEADER_BYTES = 8;
    static final int MARKER = 0xFEC05E9A;
    static final byte MARKER_FIRST_BYTE = (byte) 0xFE;
    static final int RECORD_HEADER_BYTES = 28;
    /** Largest payload written or believed when read; a sample is a few KiB. */
    static final int MAX_PAYLOAD_BYTES = 1 << 20;
    static final String SUFFIX = ".seg";

    private SegmentFormat() {}

    static ByteBuffer fileHeader() {
        return ByteBuffer.allocate(FILE_HEADER_BYTES).putInt(MAGIC).putInt(VERSION).flip();
    }

    /** One record, ready to write. */
    static ByteBuffer encode(CRC32C crc, long seq, long atMs, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_BYTES + payload.length);
        b.putInt(MARKER).putInt(payload.length).putInt(0).putLong(seq).putLong(atMs).put(payload);
        b.putInt(8, checksum(crc, b.array(), payload, payload.length));
        return b.flip();
    }

    /** The CRC of a record from its header bytes and the first {@code length} bytes of {@code payload}. */
    static int checksum(CRC32C crc, byte[] header, byte[] payload, int length) {
        crc.reset();
        crc.update(header, 4, 4);
        crc.update(header, 12, 16);
        crc.update(payload, 0, length);
        return (int) crc.getValue();
    }

    /** File name of segment {@code id}: ten digits, so names sort like ids. */
    static String fileName(long id) {
        String digits = Long.toString(id);
        return "0".repeat(Math.max(0, 10 - digits.length())) + digits + SUFFIX;
    }

    /** The id in a segment file name, or -1 when {@code name} is not one. */
    static long idOf(String name) {
        if (!name.endsWith(SUFFIX) || name.length() == SUFFIX.length() || name.length() > 19 + SUFFIX.length()) {
            return -1;
        }
        long id = 0;
        for (int i = 0; i < name.length() - SUFFIX.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            id = id * 10 + (c - '0');
        }
        return id;
    }
}
