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
 * than a timeout: a hung driver must not stop the agent's sampling.
 */
public final class Command {
    /** Output beyond this is cut: the tools' answers are a few hundred bytes. */
    static final int MAX_OUTPUT_BYTES = 64 * 1024;

    private Command() {}

    /**
     * The executable {@code name} in the directories of {@code searchPath} (a {@code PATH}
     * value), or {@code null} when none has it.
     */
    static Path find(String name, String searchPath) {
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
    static String runAnyStatus(List<String> command, Duration timeout) throws IOException, InterruptedException {
        return run(command, timeout, true);
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
