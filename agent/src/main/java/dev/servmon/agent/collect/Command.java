package dev.servmon.agent.collect;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a vendor tool ({@code nvidia-smi}, {@code ipmitool}) for its output, never for longer
 * than a timeout: a hung driver must not stop the agent's sampling. {@link #execute} runs
 * commands whose output size is not known (checks run by the agent) and tells their exit status.
 */
public final class Command {
    /** Output beyond this is cut: the tools' answers are a few hundred bytes. */
    static final int MAX_OUTPUT_BYTES = 64 * 1024;

    private Command() {}

    /**
     * The executable {@code name} in the directories of {@code searchPath} (a {@code PATH}
     * value), or {@code null} when none has it.
     */
    public static Path find(String name, String searchPath) {
        if (searchPath == null) {
            return null;
        }
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Runs {@code command} and returns what it printed on standard output.
     *
     * <p>The tool's output must fit the pipe's buffer (64 KiB on Linux) until it exits, which
     * the tools run here do by far; that lets the wait be one bounded {@code waitFor}.
     *
     * @throws IOException when it cannot start, runs longer than {@code timeout} (it is then
     *     killed) or exits with a non-zero status (the message carries its first output line)
     * @throws InterruptedException when interrupted while waiting (the tool is killed)
     */
    public static String run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        return run(command, timeout, false);
    }

    /**
     * Runs {@code command} and returns its standard output whatever its exit status; its error
     * output is discarded. For tools such as {@code df} that print what they could read and
     * exit 1 for what they could not.
     *
     * @throws IOException when it cannot start or runs longer than {@code timeout} (it is then killed)
     * @throws InterruptedException when interrupted while waiting (the tool is killed)
     */
    public static String runAnyStatus(List<String> command, Duration timeout) throws IOException, InterruptedException {
        return run(command, timeout, true);
    }

    /** How a command ended: its exit status and the start of what it printed on each stream. */
    public record Finished(int exitStatus, String output, String errors) {}

    /**
     * Runs {@code command} whatever it prints: its output goes to temporary files rather than
     * pipes, so a command printing more than a pipe holds is not stalled, and only the first
     * {@value #MAX_OUTPUT_BYTES} bytes of each stream are read back. A command still running
     * after {@code timeout} is killed with the processes it started.
     *
     * @throws IOException when it cannot start (the message names the command) or runs longer than {@code timeout}
     * @throws InterruptedException when interrupted while waiting (the command is killed)
     */
    public static Finished execute(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("servmon-cmd", ".out");
        Path err = Files.createTempFile("servmon-cmd", ".err");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IOException(command.get(0) + " did not finish within " + timeout.toMillis() / 1000.0 + " s; it was stopped");
                }
                return new Finished(p.exitValue(), head(out), head(err));
            } finally {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_OUTPUT_BYTES), StandardCharsets.UTF_8);
        }
    }

    private static String run(List<String> command, Duration timeout, boolean anyStatus)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (anyStatus) {
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        } else {
            builder.redirectErrorStream(true);
        }
        Process p = builder.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(command.get(0) + " did not answer within " + timeout.toMillis() + " ms; it was stopped");
            }
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(MAX_OUTPUT_BYTES), StandardCharsets.UTF_8);
            }
            if (!anyStatus && p.exitValue() != 0) {
                String first = out.strip().lines().findFirst().orElse("");
                throw new IOException(String.join(" ", command) + " exited with status " + p.exitValue()
                        + (first.isEmpty() ? "" : ": " + first));
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
