package dev.servmon.hub.control;

import static dev.servmon.hub.control.TestAgents.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Desired-state reconciliation of programs over the real command channel of a real hub: an agent
 * that (re)connects reporting another revision of its programs than the host's gets the whole
 * current set once; one reporting the current revision, or none (an older agent), gets nothing.
 * The agent's end is spoken by hand (a raw WebSocket, raw polls) to see exactly what arrives.
 */
class ProgramReconcileTest {
    /** Long enough for a hello's answer on loopback: the hub answers it synchronously, in milliseconds. */
    private static final int QUIET_MS = 1_500;
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static CommandChannel channel() {
        return hub.hub().commands();
    }

    /** Defines a program on a host while its agent is away; returns the queued apply. */
    private static JsonNode define(long hostId, String name) {
        var admin = hub.admin();
        var r = admin.post("/api/v1/hosts/" + hostId + "/programs", "{\"name\":\"" + name + "\",\"command\":\"/bin/sleep\",\"args\":[\"1000\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode delivery = admin.json(r).get("delivery");
        assertThat(delivery.get("state").asText()).isEqualTo("QUEUED");
        return Json.mapper().valueToTree(channel().get(delivery.get("commandId").asText()));
    }

    private static long applies(long hostId) {
        return channel().history(hostId, Long.MAX_VALUE, 100).stream().filter(c -> c.type().equals("programs.apply")).count();
    }

    private static CommandChannelTest.Recorder connect(String key, String hello) {
        var recorder = new CommandChannelTest.Recorder();
        HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + key)
                .buildAsync(URI.create("ws://127.0.0.1:" + hub.hub().ingestPort() + "/api/v1/agent"), recorder).join();
        recorder.socket.sendText(hello, true).join();
        return recorder;
    }

    private static String hello(String revisions) {
        return "{\"event\":\"hello\",\"agentVersion\":\"9.9.9-test\",\"types\":[\"programs.apply\"]" + revisions + "}";
    }

    private static List<JsonNode> heard(CommandChannelTest.Recorder r) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        String m;
        while ((m = r.messages.poll(QUIET_MS, TimeUnit.MILLISECONDS)) != null) {
            out.add(Json.mapper().readTree(m));
        }
        return out;
    }

    private static void close(CommandChannelTest.Recorder r, long hostId) throws Exception {
        r.socket.sendClose(1000, "test done").join();
        r.closed.get(5, TimeUnit.SECONDS);
        await(() -> !channel().isConnected(hostId), Duration.ofSeconds(5), "agent gone");
    }

    @Test
    void over_the_websocket_an_agent_with_another_revision_gets_the_current_set_once_and_one_with_the_current_or_none_gets_nothing()
            throws Exception {
        JsonNode host = hub.registerHost("reconcile-ws");
        long id = host.get("id").asLong();
        String key = host.get("key").asText();
        long r1 = define(id, "alpha").at("/args/revision").asLong();
        long r2 = define(id, "beta").at("/args/revision").asLong();
        long current = define(id, "gamma").at("/args/revision").asLong();
        assertThat(r1).as("raised by each definition change").isPositive().isLessThan(r2);
        assertThat(r2).isLessThan(current);

        // The queued applies go out when it connects; its hello (revision 0: a reinstall) adds none of its own.
        var first = connect(key, hello(",\"revisions\":{\"programs\":0}"));
        List<JsonNode> got = heard(first);
        assertThat(got).extracting(c -> c.at("/args/revision").asLong()).as("the three queued applies, nothing more")
                .containsExactly(r1, r2, current);
        assertThat(applies(id)).isEqualTo(3);
        close(first, id);

        // Those were sent over a connection that is gone (never acknowledged): the next hello with an old revision gets the set again.
        var second = connect(key, hello(",\"revisions\":{\"programs\":" + r2 + "}"));
        got = heard(second);
        assertThat(got).hasSize(1);
        JsonNode apply = got.get(0);
        assertThat(apply.get("type").asText()).isEqualTo("programs.apply");
        assertThat(apply.at("/args/revision").asLong()).isEqualTo(current);
        assertThat(apply.at("/args/programs")).extracting(p -> p.get("name").asText()).containsExactly("alpha", "beta", "gamma");
        assertThat(apply.at("/args/programs/0/args/0").asText()).isEqualTo("1000");
        assertThat(channel().get(apply.get("id").asText()).requestedBy()).isEqualTo("hub (agent had revision " + r2 + ")");
        second.socket.sendText("{\"id\":\"" + apply.get("id").asText() + "\",\"event\":\"ack\"}", true).join();
        second.socket.sendText("{\"id\":\"" + apply.get("id").asText() + "\",\"event\":\"result\",\"ok\":true,\"message\":\"3 programs\"}", true)
                .join();
        hub.awaitCommand(apply.get("id").asText(), "SUCCEEDED", Duration.ofSeconds(5));
        close(second, id);
        assertThat(applies(id)).isEqualTo(4);

        var upToDate = connect(key, hello(",\"revisions\":{\"programs\":" + current + "}"));
        assertThat(heard(upToDate)).as("the current revision: nothing to send").isEmpty();
        close(upToDate, id);
        var older = connect(key, hello(""));
        assertThat(heard(older)).as("an agent that reports no revision is left alone").isEmpty();
        close(older, id);
        assertThat(applies(id)).isEqualTo(4);

        // An agent ahead of the hub (the hub was restored from a backup): the hub's set wins.
        var ahead = connect(key, hello(",\"revisions\":{\"programs\":" + (current + 1_000_000) + "}"));
        got = heard(ahead);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).at("/args/revision").asLong()).isEqualTo(current);
        close(ahead, id);
    }

    @Test
    void an_agent_that_applied_an_older_set_after_a_newer_one_gets_the_current_set_again() throws Exception {
        JsonNode host = hub.registerHost("reconcile-race");
        long id = host.get("id").asLong();
        long r1 = define(id, "alpha").at("/args/revision").asLong();
        long r2 = define(id, "beta").at("/args/revision").asLong();
        var agent = connect(host.get("key").asText(), hello(",\"revisions\":{\"programs\":0}"));
        List<JsonNode> got = heard(agent);
        assertThat(got).extracting(c -> c.at("/args/revision").asLong()).containsExactly(r1, r2);

        // Two edits that raced reach the agent in the other order: it applies r2, then r1.
        answer(agent, got.get(1), r2);
        assertThat(heard(agent)).as("the agent holds the current set: nothing to send").isEmpty();
        answer(agent, got.get(0), r1);
        got = heard(agent);
        assertThat(got).as("the agent fell back to an older set: the current one again, once").hasSize(1);
        assertThat(got.get(0).at("/args/revision").asLong()).isEqualTo(r2);
        assertThat(channel().get(got.get(0).get("id").asText()).requestedBy()).isEqualTo("hub (agent applied revision " + r1 + ")");
        answer(agent, got.get(0), r2);
        assertThat(heard(agent)).isEmpty();
        close(agent, id);
    }

    /** The agent's ack and result for an apply, reporting the revision it now holds. */
    private static void answer(CommandChannelTest.Recorder agent, JsonNode apply, long revision) throws Exception {
        String cid = apply.get("id").asText();
        agent.socket.sendText("{\"id\":\"" + cid + "\",\"event\":\"ack\"}", true).join();
        agent.socket.sendText("{\"id\":\"" + cid + "\",\"event\":\"result\",\"ok\":true,\"message\":\"applied\",\"data\":{\"revision\":"
                + revision + "}}", true).join();
        hub.awaitCommand(cid, "SUCCEEDED", Duration.ofSeconds(5));
    }

    @Test
    void an_agent_of_a_host_without_programs_reports_revision_0_and_gets_nothing() throws Exception {
        JsonNode host = hub.registerHost("reconcile-none");
        long id = host.get("id").asLong();
        var agent = connect(host.get("key").asText(), hello(",\"revisions\":{\"programs\":0}"));
        assertThat(heard(agent)).isEmpty();
        close(agent, id);
        assertThat(applies(id)).isZero();
    }

    @Test
    void a_polling_agent_reports_its_revision_in_its_first_poll_and_gets_the_current_set_when_it_differs() throws Exception {
        JsonNode host = hub.registerHost("reconcile-poll");
        long id = host.get("id").asLong();
        String key = host.get("key").asText();
        JsonNode queued = define(id, "delta");
        long current = queued.at("/args/revision").asLong();
        // The queued apply is lost (expired after 7 days, say): without reconciliation the agent would never get it.
        channel().forget(queued.get("id").asText());

        assertThat(commands(poll(key, "{}"))).as("no revision reported (an older agent): nothing").isEmpty();
        assertThat(commands(poll(key, ""))).isEmpty();
        assertThat(commands(poll(key, "{\"revisions\":{\"programs\":" + current + "}}"))).isEmpty();

        long t0 = System.nanoTime();
        JsonNode got = commands(poll(key, "{\"revisions\":{\"programs\":0}}"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("answered at once, not after the wait").isLessThan(QUIET_MS);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).get("type").asText()).isEqualTo("programs.apply");
        assertThat(got.get(0).at("/args/revision").asLong()).isEqualTo(current);
        assertThat(got.get(0).at("/args/programs")).extracting(p -> p.get("name").asText()).containsExactly("delta");
        assertThat(applies(id)).isEqualTo(1);

        var bad = poll(key, "not json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("a poll's body is {}");
    }

    private static HttpResponse<String> poll(String key, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(hub.ingestUrl() + "/api/v1/agent/poll?waitSeconds=1"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return hub.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode commands(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body()).get("commands");
    }
}
