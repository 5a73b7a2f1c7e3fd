package dev.servmon.agent.collect;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Inode counts of local file systems, from {@code df -P -i -l} every
 * {@value #EVERY_MILLIS} ms (inodes run out over days, not seconds, and a fork costs more than
 * every other source of a sample). Between runs the last counts stand. {@code -l}: a hung
 * network mount must not hang the agent; remote file systems have no inode figures.
 */
final class InodeSource {
    /** How often {@code df} runs. */
    static final long EVERY_MILLIS = 5 * 60_000;
    /** Longest wait for one {@code df} run. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<String> command;
    private final Cadence cadence = new Cadence(EVERY_MILLIS);
    private Map<String, DfInodes.Inodes> last = Map.of();

    private InodeSource(Path df) {
        this.command = List.of(df.toString(), "-P", "-i", "-l");
    }

    /** A source using the {@code df} on {@code searchPath}, or {@code null} when there is none. */
    static InodeSource find(String searchPath) {
        Path df = Command.find("df", searchPath);
        return df == null ? null : new InodeSource(df);
    }

    /**
     * The inode counts by mount point, read again when due.
     *
     * @throws IOException when {@code df} fails or prints something else; the last counts are dropped
     */
    Map<String, DfInodes.Inodes> read(long atMs) throws IOException {
        if (!cadence.due(atMs)) {
            return last;
        }
        last = Map.of();
        try {
            // df exits 1 when one mount point is unreadable yet prints the others: keep those.
            last = DfInodes.parse(Command.runAnyStatus(command, TIMEOUT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running df", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return last;
    }
}
