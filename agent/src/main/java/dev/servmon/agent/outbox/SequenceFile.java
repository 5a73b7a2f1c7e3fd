package dev.servmon.agent.outbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import dev.servmon.agent.Log;

/**
 * Hands out this host's sample sequence numbers, strictly increasing across agent restarts.
 *
 * <p>The file holds a high-water mark: no number at or above it has been handed out. Numbers
 * are reserved in blocks of {@link #BLOCK}: the mark is written (and fsync'ed) once per block,
 * not once per sample. A restart continues at the mark, skipping the unused rest of the last
 * block, which is harmless: numbers must increase, not be contiguous.
 *
 * <p>A new or unreadable file starts at the current time in epoch milliseconds, and every start
 * begins at no less than that: since the agent takes at most one sample a second, numbers
 * taken from the clock outrun any an earlier installation handed out, even when its state
 * directory was lost or restored from an old backup.
 */
public final class SequenceFile {
    /** Numbers reserved per write of the file. */
    public static final long BLOCK = 1000;
    private static final Log log = Log.get(SequenceFile.class);

    private final Path file;
    private long next;
    private long reservedUntil;

    private SequenceFile(Path file, long next) {
        this.file = file;
        this.next = next;
        this.reservedUntil = next;
    }

    /**
     * Opens (or creates) the sequence file and reserves the first block.
     *
     * @param file the file, e.g. {@code <state dir>/seq}
     * @param nowMs the clock, epoch milliseconds
     * @throws IOException when the first block cannot be written
     */
    public static SequenceFile open(Path file, LongSupplier nowMs) throws IOException {
        long now = nowMs.getAsLong();
        long start = now;
        String from;
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            long mark = Long.parseLong(text);
            if (mark < 0) {
                throw new NumberFormatException("negative: " + text);
            }
            start = Math.max(mark, now);
            from = start == mark ? "continuing the sequence file " + file : "the clock, ahead of the sequence file " + file;
        } catch (NoSuchFileException e) {
            from = "the clock; no sequence file " + file + " yet";
        } catch (IOException | NumberFormatException e) {
            log.warn("servmon agent: sequence file {} is unreadable ({}); numbering samples from the clock ({}) instead",
                    file, e.toString(), now);
            from = "the clock";
        }
        SequenceFile seq = new SequenceFile(file, start);
        seq.reserve();
        log.info("servmon agent: numbering samples from seq {} ({})", start, from);
        return seq;
    }

    /**
     * The next number, higher than every number handed out before by this file.
     *
     * @throws IOException when a new block must be reserved and the file cannot be written;
     *     no number is handed out then
     */
    public synchronized long next() throws IOException {
        if (next >= reservedUntil) {
            reserve();
        }
        return next++;
    }

    private void reserve() throws IOException {
        long mark = next + BLOCK;
        AtomicFile.write(file, mark + "\n", true);
        reservedUntil = mark;
    }
}
