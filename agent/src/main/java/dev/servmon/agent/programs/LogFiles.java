package dev.servmon.agent.programs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A program's output: {@code out.log} (stdout and stderr interleaved, as the program wrote them)
 * and up to {@code keep} older files {@code out.log.1} (newest) … {@code out.log.N}.
 *
 * <p>The program holds {@code out.log} open in append mode, also while the agent is down, so it
 * cannot be renamed away: rotation copies it to {@code out.log.1} and truncates it (what
 * logrotate calls copytruncate). Appends land at the new end. Lines written between the copy
 * and the truncation are lost; at the default 5 MiB that window is a few milliseconds every
 * 5 MiB of output.
 */
final class LogFiles {
    static final String NAME = "out.log";
    /** Most lines one tail returns. */
    static final int MAX_TAIL_LINES = 5_000;
    /** Most bytes one tail reads, whatever the line count. */
    static final int MAX_TAIL_BYTES = 1 << 20;
    private final Path current;
    private final long maxBytes;
    private final int keep;

    LogFiles(Path dir, long maxBytes, int keep) {
        this.current = dir.resolve(NAME);
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    Path current() {
        return current;
    }

    /** Creates the directory and an empty {@code out.log} when missing. */
    void ensure() throws IOException {
        Files.createDirectories(current.getParent());
        if (!Files.exists(current)) {
            Files.createFile(current);
        }
    }

    /** Rotates when {@code out.log} passed the size limit; true when it did. */
    boolean rotateIfLarge() throws IOException {
        long size;
        try {
            size = Files.size(current);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (size < maxBytes) {
            return false;
        }
        for (int i = keep - 1; i >= 1; i--) {
            Path older = numbered(i);
            if (Files.exists(older)) {
                Files.move(older, numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (keep >= 1) {
            Files.copy(current, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel ch = FileChannel.open(current, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        return true;
    }

    Path numbered(int i) {
        return current.resolveSibling(NAME + "." + i);
    }

    /**
     * The last {@code lines} lines of output, oldest first, reaching into rotated files when
     * {@code out.log} holds fewer; at most {@value #MAX_TAIL_BYTES} bytes are read.
     */
    List<String> tail(int lines) throws IOException {
        int want = Math.max(0, Math.min(lines, MAX_TAIL_LINES));
        Deque<String> out = new ArrayDeque<>(Math.min(want, 1024));
        int budget = MAX_TAIL_BYTES;
        for (int i = 0; i <= keep && out.size() < want && budget > 0; i++) {
            Path file = i == 0 ? current : numbered(i);
            if (!Files.exists(file)) {
                continue;
            }
            budget -= tailOf(file, want - out.size(), budget, out);
        }
        return new ArrayList<>(out);
    }

    /** Adds up to {@code want} last lines of {@code file} at the front of {@code out}; returns the bytes read. */
    private static int tailOf(Path file, int want, int budget, Deque<String> out) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long end = f.length();
            int len = (int) Math.min(end, budget);
            if (len == 0) {
                return 0;
            }
            byte[] b = new byte[len];
            f.seek(end - len);
            f.readFully(b);
            int stop = len;
            // A final newline ends the last line; it does not start an empty one.
            if (stop > 0 && b[stop - 1] == '\n') {
                stop--;
            }
            List<String> found = new ArrayList<>();
            for (int i = stop - 1; i >= -1 && found.size() < want; i--) {
                if (i == -1 || b[i] == '\n') {
                    if (i == -1 && len < end) {
                        break; // a line cut by the byte budget is not shown half
                    }
                    found.add(new String(b, i + 1, stop - i - 1, StandardCharsets.UTF_8));
                    stop = i;
                }
            }
            for (String line : found) {
                out.addFirst(line);
            }
            return len;
        }
    }
}
