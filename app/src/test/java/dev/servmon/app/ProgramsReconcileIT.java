package dev.servmon.app;

import static dev.servmon.app.ProgramsApi.runningOtherThan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs reach an agent that missed their definition, with no edit: the hub in-process (real
 * SQLite, the real command channel) and real agent processes from the fat jar. The agent reports
 * the revision of the set it holds when its channel connects; the hub sends the current set when
 * it differs, and running programs whose definition did not change keep running untouched, also
 * when the agent lost its state directory (it finds them by their wrappers' marks).
 */
class ProgramsReconcileIT {
    private static final Duration SOON = Duration.ofSeconds(20);

    private TestHub hub;
    private TestHub.Client admin;

    @BeforeEach
    void startHub() {
        hub = TestHub.start();
        admin = hub.admin();
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    /** Defines a program; returns the delivery ({@code commandId}, {@code state}). */
    private JsonNode define(long hostId, String name, Path script) {
        HttpResponse<String> r = admin.post("/api/v1/hosts/" + hostId + "/programs",
                "{\"name\":\"" + name + "\",\"command\":\"/bin/sh\",\"args\":[\"" + script + "\"],\"startSeconds\":0.5}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return admin.json(r).get("delivery");
    }

    private JsonNode awaitProgram(long hostId, String name, Predicate<JsonNode> until, String what, ServmonProcess agent)
            throws InterruptedException {
        return ProgramsApi.awaitStatus(admin, hostId, name, until, what, agent, SOON);
    }

    private long programId(long hostId, String name) {
        return ProgramsApi.programId(admin, hostId, name);
    }

    private List<String> events(long hostId, String name) {
        return ProgramsApi.events(admin, hostId, programId(hostId, name));
    }

    private void stop(long hostId, String name) throws InterruptedException {
        HttpResponse<String> r = admin.post("/api/v1/hosts/" + hostId + "/programs/" + programId(hostId, name) + "/stop", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        hub.awaitCommand(admin.json(r).get("id").asText(), "SUCCEEDED", SOON);
    }

    /** The applies the hub sent on its own, because a connecting agent held another revision. */
    private List<JsonNode> resent(long hostId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : admin.json(admin.get("/api/v1/hosts/" + hostId + "/commands"))) {
            if (c.get("type").asText().equals("programs.apply") && c.get("requestedBy").asText().startsWith("hub (agent had revision")) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void a_program_defined_while_its_apply_was_lost_runs_when_the_agent_reconnects_and_after_a_reinstall_without_any_edit(
            @TempDir Path dir) throws Exception {
        Path ticker = RealAgents.ticker(dir);
        Path state = dir.resolve("state");
        JsonNode host = hub.registerHost("reconcile-e2e");
        long id = host.get("id").asLong();
        long webPid;
        try (var agent = RealAgents.start(hub, host, state)) {
            RealAgents.awaitConnected(hub, id, agent, SOON);
            define(id, "web", ticker);
            webPid = awaitProgram(id, "web", runningOtherThan(0), "RUNNING", agent).get("pid").asLong();
            agent.stop(Duration.ofSeconds(10));
        }
        assertThat(alive(webPid)).as("programs outlive their agent").isTrue();

        // Defined while the agent is stopped, and the queued apply is lost (as when it expires after 7 days).
        JsonNode delivery = define(id, "late", ticker);
        assertThat(delivery.get("state").asText()).isEqualTo("QUEUED");
        hub.hub().commands().forget(delivery.get("commandId").asText());

        long latePid;
        try (var agent = RealAgents.start(hub, host, state)) {
            RealAgents.awaitConnected(hub, id, agent, SOON);
            latePid = awaitProgram(id, "late", runningOtherThan(0), "RUNNING without an edit", agent).get("pid").asLong();
            assertThat(resent(id)).hasSize(1);
            hub.awaitCommand(resent(id).get(0).get("id").asText(), "SUCCEEDED", SOON);
            assertThat(resent(id).get(0).get("message").asText()).isEqualTo("2 programs: 1 added, 0 changed, 0 removed");
            JsonNode web = awaitProgram(id, "web", s -> s.path("state").asText().equals("RUNNING"), "RUNNING", agent);
            assertThat(web.get("pid").asLong()).as("web was adopted and left alone by the apply").isEqualTo(webPid);
            assertThat(events(id, "web")).as("started once, never stopped").containsExactly("started");

            // Stopped and started again: the agent now holds the hub's revision, so nothing is sent.
            agent.stop(Duration.ofSeconds(10));
        }
        try (var agent = RealAgents.start(hub, host, state)) {
            RealAgents.awaitConnected(hub, id, agent, SOON);
            awaitProgram(id, "late", s -> s.path("message").asText().contains("adopted"), "adopted", agent);
            assertThat(resent(id)).as("same revision: nothing sent").hasSize(1);
            assertThat(alive(webPid)).isTrue();
            agent.stop(Duration.ofSeconds(10));
        }
        assertThat(wrappers(ticker)).as("one copy of each program").isEqualTo(2);

        // A reinstall with the same key while the programs run: the state directory is gone. Over polling this time.
        deleteTree(state);
        try (var agent = RealAgents.start(hub, host, state, "--command-transport", "poll")) {
            RealAgents.awaitConnected(hub, id, agent, SOON);
            JsonNode web = awaitProgram(id, "web", s -> s.path("message").asText().startsWith("adopted: found running"),
                    "found and adopted after the reinstall", agent);
            JsonNode late = awaitProgram(id, "late", s -> s.path("message").asText().startsWith("adopted: found running"),
                    "found and adopted after the reinstall", agent);
            assertThat(web.get("state").asText()).isEqualTo("RUNNING");
            assertThat(web.get("pid").asLong()).as("the same process, not a second copy").isEqualTo(webPid);
            assertThat(late.get("pid").asLong()).isEqualTo(latePid);
            assertThat(wrappers(ticker)).as("still one copy of each program").isEqualTo(2);
            assertThat(resent(id)).hasSize(2);
            assertThat(resent(id).get(0).get("requestedBy").asText()).as("newest first").isEqualTo("hub (agent had revision 0)");
            hub.awaitCommand(resent(id).get(0).get("id").asText(), "SUCCEEDED", SOON);
            assertThat(resent(id).get(0).get("message").asText())
                    .isEqualTo("2 programs: 2 added, 0 changed, 0 removed, 2 found running and adopted");
            assertThat(events(id, "web")).as("started once, never stopped").containsExactly("started");
            stop(id, "web");
            stop(id, "late");
            assertThat(alive(webPid)).isFalse();
            assertThat(alive(latePid)).isFalse();
            assertThat(wrappers(ticker)).isZero();
            agent.stop(Duration.ofSeconds(10));
        }
    }

    /** How many program wrappers run {@code script} (one per copy of a program; the script's own subshells have other command lines). */
    private static long wrappers(Path script) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("servmon-program") && c.endsWith(" " + script)).orElse(false)).count();
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
