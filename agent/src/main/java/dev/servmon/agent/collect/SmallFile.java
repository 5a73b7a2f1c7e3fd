package dev.servmon.agent.collect;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the small files of {@code /proc} and {@code /sys} into one reused buffer, so a
 * collector that reads hundreds of them per scan allocates almost nothing per file.
 *
 * <p>Each read is a single {@code read(2)} of at most the buffer's size: procfs and sysfs
 * produce such files whole in one call, and callers need only their beginning. Not for use by
 * several threads.
 */
final class SmallFile {
    private final byte[] buf;
    private int length;

    SmallFile(int capacity) {
        this.buf = new byte[capacity];
    }

    /**
     * Reads the first bytes of {@code path} into the buffer.
     *
     * @return the number of bytes read
     * @throws java.io.FileNotFoundException when the file does not exist (or vanished, as
     *     {@code /proc/<pid>} files do when the process exits) or may not be read
     */
    int read(String path) throws IOException {
        try (FileInputStream in = new FileInputStream(path)) {
            length = Math.max(0, in.read(buf));
        }
        return length;
    }

    /** The buffer holding the last read's bytes (valid up to {@link #length()}). */
    byte[] bytes() {
        return buf;
    }

    /** Bytes of the last read. */
    int length() {
        return length;
    }

    /** The last read's text, trimmed. */
    String text() {
        return new String(buf, 0, length, StandardCharsets.UTF_8).trim();
    }

    /**
     * The integer the last read holds, as sysfs prints it (optional minus sign, digits, a
     * newline).
     *
     * @throws NumberFormatException when the file holds anything else
     */
    long number() {
        return Bytes.parseLong(buf, 0, length);
    }

    /** The trimmed text of {@code file}, or {@code null} when it does not exist. */
    static String readTrimmed(Path file) throws IOException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
