package dev.servmon.agent.programs;

import dev.servmon.agent.outbox.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the agent remembers about a program's run across its own restarts, in the program's
 * {@code status} file: the state, and while it runs the wrapper's pid with its start time and
 * the boot it belongs to (a pid from another boot, or with another start time, is not ours).
 *
 * @param state the {@link ProgramState} name
 * @param pid the wrapper's pid (also its process group), 0 when none runs
 * @param startTicks the wrapper's start time in clock ticks after boot
 * @param startedAtMs when the run started
 * @param bootId the boot the pid belongs to
 * @param restarts restarts counted so far
 * @param exitCode the last exit status, or null
 * @param exitFile where the running wrapper writes its exit status when not in the program's
 *     directory (a wrapper adopted without records, started by an agent with another state
 *     directory), else null
 */
record RunRecord(String state, long pid, long startTicks, long startedAtMs, String bootId, int restarts, Integer exitCode,
        String exitFile) {
    static final String FILE = "status";

    void write(Path dir) throws IOException {
        String text = "state=" + state + "\npid=" + pid + "\nstartTicks=" + startTicks + "\nstartedAtMs=" + startedAtMs
                + "\nbootId=" + bootId + "\nrestarts=" + restarts + "\nexitCode=" + (exitCode == null ? "" : exitCode)
                + (exitFile == null ? "" : "\nexitFile=" + exitFile) + "\n";
        AtomicFile.write(dir.resolve(FILE), text, false);
    }

    /** The record in {@code dir}, or null when there is none or it cannot be read (then the program starts afresh). */
    static RunRecord read(Path dir) throws IOException {
        String text;
        try {
            text = Files.readString(dir.resolve(FILE), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        }
        return parse(text);
    }

    /** Parses the file's text; null when it is malformed. */
    static RunRecord parse(String text) {
        Map<String, String> v = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                v.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        try {
            String exit = v.getOrDefault("exitCode", "");
            return new RunRecord(v.getOrDefault("state", ProgramState.STOPPED.name()), Long.parseLong(v.getOrDefault("pid", "0")),
                    Long.parseLong(v.getOrDefault("startTicks", "0")), Long.parseLong(v.getOrDefault("startedAtMs", "0")),
                    v.getOrDefault("bootId", ""), Integer.parseInt(v.getOrDefault("restarts", "0")),
                    exit.isEmpty() ? null : Integer.valueOf(exit), v.get("exitFile"));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The status the wrapper wrote to {@code exitFile}, or null when it wrote none (it was killed
     * too, or the file's directory was gone).
     */
    static Integer exitStatus(Path exitFile) {
        try {
            String s = Files.readString(exitFile, StandardCharsets.US_ASCII).strip();
            return s.isEmpty() ? null : Integer.valueOf(s);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** When the wrapper wrote the exit file (the program's exit time), or {@code fallbackMs}. */
    static long exitTimeMs(Path exitFile, long fallbackMs) {
        try {
            return Files.getLastModifiedTime(exitFile).toMillis();
        } catch (IOException e) {
            return fallbackMs;
        }
    }
}
