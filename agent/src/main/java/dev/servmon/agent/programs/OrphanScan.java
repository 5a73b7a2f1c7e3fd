package dev.servmon.agent.programs;

import dev.servmon.agent.collect.PidFiles;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the wrappers of this agent's programs that run without a record of them: the agent lost
 * its state directory (a reinstall with the same key, or someone deleted it) while its programs
 * kept running. One pass over {@code /proc}: each process's command line (world-readable, read
 * into one reused buffer) tells the wrappers from the rest; only a wrapper's environment is read
 * for its {@link WrapperMarks}. Run only when a program has no record, never per tick.
 *
 * <p>Linux only: where there is no {@code /proc} (Windows, where programs are not supervised at
 * all) {@link #supported()} is false and the supervisor does not call it.
 */
final class OrphanScan {
    /** Large enough for {@code sh -c SCRIPT servmon-program EXITFILE}; the program's arguments after it may be cut off. */
    private static final int CMDLINE_BYTES = 4096;
    /** A larger environment is not a wrapper's that this agent could have made (the agent's own plus at most 256 of the spec's). */
    private static final int ENVIRON_MAX_BYTES = 2 << 20;
    private final Path proc;
    private final byte[] buf = new byte[CMDLINE_BYTES];

    /** A wrapper found running with this agent's marks. */
    record Wrapper(String program, long pid, long startTicks, Path exitFile, String launch) {}

    OrphanScan(Path proc) {
        this.proc = proc;
    }

    static OrphanScan linux() {
        return new OrphanScan(Path.of("/proc"));
    }

    /** Whether this system has a {@code /proc} to look in. */
    boolean supported() {
        return Files.isDirectory(proc.resolve("self"));
    }

    /**
     * The running wrappers marked with {@code owner}, by program name, newest first (by start
     * time). Processes that end during the pass, or whose environment this user may not read
     * (another user's: not this agent's), are skipped.
     *
     * @param info reads start times (the caller holds the supervisor's lock, which guards it)
     * @throws IOException when {@code /proc} cannot be listed
     */
    Map<String, List<Wrapper>> find(String owner, ProcInfo info) throws IOException {
        Map<String, List<Wrapper>> found = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc)) {
            for (Path p : dir) {
                long pid = PidFiles.pidOf(p.getFileName().toString());
                if (pid <= 0) {
                    continue;
                }
                int n = read(p.resolve("cmdline"));
                String exitFile = n <= 0 ? null : WrapperMarks.exitFileOf(buf, n);
                if (exitFile == null) {
                    continue;
                }
                WrapperMarks.Marks marks = marks(p.resolve("environ"));
                long ticks = info.startTicks(pid);
                if (marks != null && owner.equals(marks.owner()) && ticks >= 0) {
                    found.computeIfAbsent(marks.program(), k -> new ArrayList<>(1))
                            .add(new Wrapper(marks.program(), pid, ticks, Path.of(exitFile), marks.launch()));
                }
            }
        }
        found.values().forEach(l -> l.sort((a, b) -> Long.compare(b.startTicks(), a.startTicks())));
        return found;
    }

    private static WrapperMarks.Marks marks(Path environ) {
        byte[] env;
        try (FileInputStream in = new FileInputStream(environ.toFile())) {
            env = in.readNBytes(ENVIRON_MAX_BYTES);
        } catch (IOException e) {
            // Gone, or another user's wrapper (environ is readable by its user and root only): not ours either way.
            return null;
        }
        return WrapperMarks.marksOf(env, env.length);
    }

    /** Reads up to {@link #CMDLINE_BYTES} of {@code file} into {@link #buf}; -1 when the process is gone. */
    private int read(Path file) {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            return in.readNBytes(buf, 0, buf.length);
        } catch (IOException e) {
            // The process ended while the pass ran: nothing to adopt.
            return -1;
        }
    }
}
