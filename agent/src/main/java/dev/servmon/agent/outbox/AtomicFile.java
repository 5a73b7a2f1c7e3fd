package dev.servmon.agent.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Small state files replaced as a whole: a reader sees the old content or the new, never a mix. */
public final class AtomicFile {
    private AtomicFile() {}

    /**
     * Replaces {@code file} with {@code text} (US-ASCII) by writing a sibling {@code .tmp} file and
     * renaming it over the old one, creating missing directories.
     *
     * @param durable also fsync the content and the rename, so the new content survives an OS
     *     crash; without it a crash may leave the old content (never a torn one on journaling
     *     filesystems, which order the data before a replacing rename)
     */
    public static void write(Path file, String text, boolean durable) throws IOException {
        write(file, text.getBytes(StandardCharsets.US_ASCII), durable);
    }

    /** As {@link #write(Path, String, boolean)}, with the content as bytes (e.g. UTF-8 JSON). */
    public static void write(Path file, byte[] content, boolean durable) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            if (durable) {
                ch.force(true);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (durable) {
            syncDirectory(dir);
        }
    }

    /** Makes creations, renames and deletions in {@code dir} durable; Windows cannot open a directory and commits them in NTFS's journal. */
    static void syncDirectory(Path dir) throws IOException {
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
