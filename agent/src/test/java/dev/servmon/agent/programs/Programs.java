package dev.servmon.agent.programs;

import dev.servmon.protocol.ProgramSpec;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Helpers for the supervisor's tests: specs from maps (as the hub sends them), scripts, waiting. */
final class Programs {
    private Programs() {}

    /** A spec named {@code name} running {@code sh -c script}, with fast test timings and {@code extra} members. */
    static ProgramSpec spec(String name, String script, Object... extra) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", name);
        m.put("command", "/bin/sh");
        m.put("args", List.of("-c", script));
        m.put("autostart", false);
        m.put("backoffFirstSeconds", 0.2);
        m.put("backoffMaxSeconds", 2.0);
        m.put("startSeconds", 0.3);
        m.put("stopTimeoutSeconds", 3.0);
        for (int i = 0; i < extra.length; i += 2) {
            m.put((String) extra[i], extra[i + 1]);
        }
        return ProgramSpecs.read(m, "test");
    }

    static Path script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static Sample.Program status(Supervisor s, String name) {
        return s.status().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no status for " + name + " in " + s.status()));
    }

    /** Whether {@code pid} runs (a zombie does not: its parent may be an init that does not reap). */
    static boolean alive(long pid) {
        return ProcInfo.linux().startTicks(pid) >= 0;
    }
}
