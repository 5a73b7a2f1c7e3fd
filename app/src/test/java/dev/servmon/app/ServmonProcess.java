package dev.servmon.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code java -jar servmon.jar ...} as a real child process, its output captured to files. */
final class ServmonProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    private ServmonProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static Path jar() {
        String jar = System.getProperty("servmon.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property servmon.jar must name the built fat jar (run via ./mvnw verify), got " + jar);
        }
        return Path.of(jar);
    }

    static ServmonProcess start(Map<String, String> env, String... args) {
        try {
            Path logs = Files.createTempDirectory("servmon-proc");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-Xmx128m", "-jar", jar().toString()));
            cmd.addAll(List.of(args));
            var pb = new ProcessBuilder(cmd)
                    .redirectOutput(logs.resolve("stdout").toFile())
                    .redirectError(logs.resolve("stderr").toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("SERVMON_"));
            pb.environment().putAll(env);
            return new ServmonProcess(pb.start(), logs.resolve("stdout"), logs.resolve("stderr"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServmonProcess start(String... args) {
        return start(Map.of(), args);
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    /** Waits for a line of stdout matching {@code regex}; returns its match. */
    Matcher awaitStdout(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(stdout());
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no stdout line matching " + regex + " within " + timeout
                + "\n--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + stderr());
    }

    /** Waits for the process to exit; returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process still running after " + timeout + "\n--- stderr ---\n" + stderr());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL ({@code kill -9}): no shutdown hook runs; waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + pid() + " still alive 10 s after SIGKILL");
        }
    }

    /** Sends a signal by name, e.g. {@code STOP} to freeze the process and {@code CONT} to let it go on. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).redirectErrorStream(true).start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid() + " failed: " + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** SIGTERM, as systemd or Ctrl-C would. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
