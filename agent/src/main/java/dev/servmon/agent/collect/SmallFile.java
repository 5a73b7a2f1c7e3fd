package dev.servmon.agent.collect;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the small files of {@code /proc} and {@code /sys} into one reused buffer, so a
 * collector that reads hundreds of them per scan allocates almost nothing per file.
 *
 * <p>Each read is a single {@code read(2)} of at most the buffer's size: procfs and sysfs
 * produce such files whole in one call, and callers need only their beginning. Not for use by
 * several threads.
 */
final class SmallFile {
    private byte[] buf;
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

    /**
     * The whole text of {@code path}, read into the buffer, which grows (and stays grown) to fit
     * it: for the per-sample {@code /proc} files whose size varies with the machine
     * ({@code /proc/stat} with many cores, {@code mountinfo} with many containers).
     */
    String readAll(Path path) throws IOException {
        try (FileInputStream in = new FileInputStream(path.toFile())) {
            int n = 0;
            int r;
            while ((r = in.read(buf, n, buf.length - n)) > 0) {
                n += r;
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            length = n;
        } catch (FileNotFoundException e) {
            // Callers tell a missing file by NoSuchFileException, as Files.readAllBytes reports it.
            NoSuchFileException missing = new NoSuchFileException(path.toString(), null, e.getMessage());
            missing.initCause(e);
            throw missing;
        }
        // Decoded as UTF-8: a mount point may hold any bytes, and invalid ones become U+FFFD rather than an error.
        return new String(buf, 0, length, StandardCharsets.UTF_8);
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
