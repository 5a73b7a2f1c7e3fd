package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.TestHub;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs end to end: the hub in-process (real ports, real SQLite, the real command channel) and
 * a real agent process from the fat jar supervising small shell scripts. Every action goes
 * through the programs API, the command channel (WebSocket, and polling), the agent's handlers
 * and its supervisor; every status comes back in the agent's samples.
 */
class ProgramsEndToEndIT {
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

    private ServmonProcess agent(JsonNode host, Path state, String... more) {
        return RealAgents.start(hub, host, state, more);
    }

    private void awaitConnected(long hostId, ServmonProcess agent) throws InterruptedException {
        RealAgents.awaitConnected(hub, hostId, agent, SOON);
    }

    private long define(long hostId, String json) {
        HttpResponse<String> r = admin.post("/api/v1/hosts/" + hostId + "/programs", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = admin.json(r);
        assertThat(body.at("/delivery/error").isNull() || body.at("/delivery/error").isMissingNode()).as(r.body()).isTrue();
        return body.at("/program/id").asLong();
    }

    /** The program as {@code GET …/programs} lists it, once {@code until} holds. */
    private JsonNode awaitProgram(long hostId, String name, Predicate<JsonNode> until, String what, ServmonProcess agent)
            throws InterruptedException {
        return ProgramsApi.awaitStatus(admin, hostId, name, until, what, agent, SOON);
    }

    private static Predicate<JsonNode> state(String state) {
        return s -> s.path("state").asText().equals(state);
    }

    private static Predicate<JsonNode> runningOtherThan(long pid) {
        return ProgramsApi.runningOtherThan(pid);
    }

    /** Posts a start / stop / restart and waits for the agent's result; returns its message. */
    private String act(long hostId, long programId, String action) throws InterruptedException {
        HttpResponse<String> r = admin.post("/api/v1/hosts/" + hostId + "/programs/" + programId + "/" + action, "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode done = hub.awaitCommand(admin.json(r).get("id").asText(), "SUCCEEDED", SOON);
        assertThat(done.get("type").asText()).isEqualTo("program." + action);
        return done.get("message").asText();
    }

    private List<String> events(long hostId, long programId) {
        return ProgramsApi.events(admin, hostId, programId);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void programs_are_started_stopped_restarted_given_up_health_checked_and_adopted_through_the_real_channel(@TempDir Path dir)
            throws Exception {
        Path ticker = RealAgents.ticker(dir);
        Path crasher = RealAgents.script(dir, "crash.sh", "echo crashing\nexit 3\n");
        Path state = dir.resolve("state");
        JsonNode host = hub.registerHost("prog-1");
        long id = host.get("id").asLong();
        long webPid;
        try (var agent = agent(host, state)) {
            awaitConnected(id, agent);
            long web = define(id, "{\"name\":\"web\",\"command\":\"/bin/sh\",\"args\":[\"" + ticker + "\"],\"startSeconds\":0.5}");
            JsonNode running = awaitProgram(id, "web", runningOtherThan(0), "RUNNING", agent);
            webPid = running.get("pid").asLong();
            assertThat(alive(webPid)).as("pid %d is a live process", webPid).isTrue();

            assertThat(act(id, web, "stop")).contains("stopped");
            awaitProgram(id, "web", state("STOPPED"), "STOPPED", agent);
            assertThat(alive(webPid)).isFalse();

            String answer = act(id, web, "start");
            long started = awaitProgram(id, "web", runningOtherThan(webPid), "RUNNING with a new pid", agent).get("pid").asLong();
            assertThat(answer).as("the answer names the pid the status shows").isEqualTo("started web, pid " + started);

            answer = act(id, web, "restart");
            webPid = awaitProgram(id, "web", runningOtherThan(started), "RUNNING after the restart", agent).get("pid").asLong();
            assertThat(answer).isEqualTo("restarted web, pid " + webPid);
            assertThat(alive(started)).isFalse();
            assertThat(events(id, web)).contains("started", "stopped", "restarted");

            // The log comes from the agent through program.tail over the channel.
            HttpResponse<String> log = admin.get("/api/v1/hosts/" + id + "/programs/" + web + "/log?lines=20");
            assertThat(log.statusCode()).as(log.body()).isEqualTo(200);
            JsonNode lines = admin.json(log).get("lines");
            assertThat(lines.size()).isBetween(1, 20);
            assertThat(lines.get(lines.size() - 1).asText()).startsWith("tick ");

            // A program that exits at once: backoff restarts, then it gives up.
            long crash = define(id, "{\"name\":\"crash\",\"command\":\"/bin/sh\",\"args\":[\"" + crasher + "\"],"
                    + "\"backoffFirstSeconds\":0.2,\"backoffMaxSeconds\":0.5,\"maxRestarts\":2,\"restartWindowSeconds\":60}");
            JsonNode failed = awaitProgram(id, "crash", state("FAILED"), "FAILED", agent);
            assertThat(failed.get("message").asText()).startsWith("gave up: 2 restarts within 60 s");
            assertThat(failed.get("exitCode").asInt()).isEqualTo(3);
            List<String> crashEvents = events(id, crash);
            assertThat(crashEvents).first().isEqualTo("gave_up");
            assertThat(crashEvents).contains("exited", "restarted");

            // A health check nobody answers: the program is restarted after two failed checks.
            long checked = define(id, "{\"name\":\"checked\",\"command\":\"/bin/sh\",\"args\":[\"" + ticker + "\"],\"startSeconds\":0.5,"
                    + "\"healthCheck\":{\"type\":\"tcp\",\"port\":" + freePort() + ",\"intervalSeconds\":1,\"timeoutSeconds\":0.5,\"failures\":2}}");
            long checkedPid = awaitProgram(id, "checked", runningOtherThan(0), "RUNNING", agent).get("pid").asLong();
            awaitProgram(id, "checked", s -> s.path("pid").asLong() != checkedPid && s.path("pid").asLong() > 0, "restarted by its health check", agent);
            assertThat(events(id, checked)).contains("restarted");
            assertThat(admin.json(admin.get("/api/v1/hosts/" + id + "/programs/" + checked + "/events")).get(0).get("message").asText())
                    .containsIgnoringCase("health");

            agent.kill();
        }
        assertThat(alive(webPid)).as("the program outlives the agent's kill -9").isTrue();
        try (var agent = agent(host, state)) {
            awaitConnected(id, agent);
            JsonNode adopted = awaitProgram(id, "web", s -> s.path("message").asText().contains("adopted"), "adopted", agent);
            assertThat(adopted.get("state").asText()).isEqualTo("RUNNING");
            assertThat(adopted.get("pid").asLong()).isEqualTo(webPid);
            // The adopted program still obeys the hub.
            assertThat(act(id, programId(id, "web"), "stop")).contains("stopped");
            awaitProgram(id, "web", state("STOPPED"), "STOPPED", agent);
            assertThat(alive(webPid)).isFalse();
            act(id, programId(id, "checked"), "stop");
            agent.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void programs_are_started_and_stopped_over_the_polling_transport_and_refused_while_the_agent_is_away(@TempDir Path dir) throws Exception {
        Path ticker = RealAgents.ticker(dir);
        JsonNode host = hub.registerHost("prog-poll");
        long id = host.get("id").asLong();
        // Defined while the agent is away: kept and queued, started when the agent connects.
        long web = define(id, "{\"name\":\"web\",\"command\":\"/bin/sh\",\"args\":[\"" + ticker + "\"],\"startSeconds\":0.5}");
        HttpResponse<String> refused = admin.post("/api/v1/hosts/" + id + "/programs/" + web + "/stop", "");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("not connected");
        assertThat(admin.get("/api/v1/hosts/" + id + "/programs/" + web + "/log").statusCode()).isEqualTo(409);
        try (var agent = agent(host, dir.resolve("state"), "--command-transport", "poll")) {
            awaitConnected(id, agent);
            long pid = awaitProgram(id, "web", runningOtherThan(0), "RUNNING", agent).get("pid").asLong();
            assertThat(act(id, web, "stop")).contains("stopped");
            awaitProgram(id, "web", state("STOPPED"), "STOPPED", agent);
            assertThat(alive(pid)).isFalse();
            assertThat(act(id, web, "start")).startsWith("started web, pid ");
            long again = awaitProgram(id, "web", runningOtherThan(pid), "RUNNING again", agent).get("pid").asLong();
            assertThat(act(id, web, "stop")).contains("stopped");
            assertThat(alive(again)).isFalse();
            agent.stop(Duration.ofSeconds(10));
        }
    }

    private long programId(long hostId, String name) {
        return ProgramsApi.programId(admin, hostId, name);
    }
}
