package dev.servmon.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.TestHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A host's programs as the programs API shows them, for the end-to-end tests with real agents. */
final class ProgramsApi {
    private ProgramsApi() {}

    /** The program's status as {@code GET …/programs} lists it, once {@code until} holds; fails with the agent's output. */
    static JsonNode awaitStatus(TestHub.Client admin, long hostId, String name, Predicate<JsonNode> until, String what, ServmonProcess agent,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode p : admin.json(admin.get("/api/v1/hosts/" + hostId + "/programs"))) {
                if (p.get("name").asText().equals(name)) {
                    last = p;
                }
            }
            if (last != null && !last.path("status").isNull() && until.test(last.path("status"))) {
                return last.get("status");
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " not " + what + " within " + timeout + "; last: " + last
                + "\n--- agent stdout ---\n" + agent.stdout() + "\n--- agent stderr ---\n" + agent.stderr());
    }

    /** A status that is RUNNING with a pid other than {@code pids}. */
    static Predicate<JsonNode> runningOtherThan(long... pids) {
        return s -> {
            long pid = s.path("pid").asLong();
            for (long p : pids) {
                if (p == pid) {
                    return false;
                }
            }
            return s.path("state").asText().equals("RUNNING") && pid > 0;
        };
    }

    static long programId(TestHub.Client admin, long hostId, String name) {
        for (JsonNode p : admin.json(admin.get("/api/v1/hosts/" + hostId + "/programs"))) {
            if (p.get("name").asText().equals(name)) {
                return p.get("id").asLong();
            }
        }
        throw new AssertionError("no program " + name + " on host " + hostId);
    }

    /** The kinds of the program's events, newest first. */
    static List<String> events(TestHub.Client admin, long hostId, long programId) {
        List<String> kinds = new ArrayList<>();
        admin.json(admin.get("/api/v1/hosts/" + hostId + "/programs/" + programId + "/events")).forEach(e -> kinds.add(e.get("kind").asText()));
        return kinds;
    }
}
