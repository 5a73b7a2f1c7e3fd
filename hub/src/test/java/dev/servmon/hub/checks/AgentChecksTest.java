package dev.servmon.hub.checks;

import static dev.servmon.hub.control.TestAgents.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.agent.checks.CheckRun;
import dev.servmon.agent.control.AgentChannel;
import dev.servmon.agent.control.CommandHandler;
import dev.servmon.agent.control.CommandHandlers;
import dev.servmon.agent.control.CommandResult;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.control.TestAgents;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks with an {@code agentHostId}, end to end: the real hub schedules them and sends
 * {@code check.run} over the command channel to the agent's real channel and handler, whose
 * result is stored like any check result.
 */
class AgentChecksTest {
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** The agent's real check.run, counting its runs so a test can tell the agent ran the check, not the hub. */
    static CommandHandlers counting(AtomicInteger runs) {
        CommandHandlers real = new CommandHandlers();
        CheckRun.register(real);
        CommandHandler checkRun = real.find("check.run").orElseThrow();
        CommandHandlers handlers = new CommandHandlers();
        handlers.register(new CommandHandler() {
            @Override
            public String type() {
                return checkRun.type();
            }

            @Override
            public CommandResult handle(Map<String, Object> args) throws Exception {
                runs.incrementAndGet();
                return checkRun.handle(args);
            }
        });
        return handlers;
    }

    static AgentChannel agent(JsonNode host, CommandHandlers handlers) throws InterruptedException {
        long id = host.get("id").asLong();
        AgentChannel channel = TestAgents.start(hub.ingestUrl(), host.get("key").asText(), handlers, AgentChannel.Transport.WEBSOCKET, 5);
        await(() -> hub.hub().commands().isConnected(id), Duration.ofSeconds(10), "agent connected");
        return channel;
    }

    static long create(String body) {
        var admin = hub.admin();
        var r = admin.post("/api/v1/checks", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return admin.json(r).get("id").asLong();
    }

    static JsonNode runNow(long checkId) {
        var admin = hub.admin();
        var r = admin.post("/api/v1/checks/" + checkId + "/run", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return admin.json(r);
    }

    @Test
    void a_directory_check_runs_on_its_agent_on_schedule_and_is_stored_like_any_result(@TempDir Path dir) throws Exception {
        var host = hub.registerHost("backup-box");
        long hostId = host.get("id").asLong();
        for (int i = 0; i < 3; i++) {
            Files.writeString(dir.resolve("backup-" + i + ".tar.gz"), "x");
        }
        AtomicInteger runs = new AtomicInteger();
        try (var agent = agent(host, counting(runs))) {
            long id = create("{\"name\":\"backups on backup-box\",\"type\":\"directory\",\"agentHostId\":" + hostId
                    + ",\"intervalSeconds\":60,\"settings\":{\"path\":" + TestHub.quote(dir.toString()) + ",\"glob\":\"*.tar.gz\",\"maxCount\":4}}");
            var admin = hub.admin();
            // A new check runs at once on the leader's scheduler.
            await(() -> admin.json(admin.get("/api/v1/checks/" + id)).path("last").path("up").isBoolean(), Duration.ofSeconds(15),
                    "the scheduled first run");
            JsonNode first = admin.json(admin.get("/api/v1/checks/" + id));
            assertThat(first.get("agentHostId").asLong()).isEqualTo(hostId);
            JsonNode last = first.get("last");
            assertThat(last.get("up").asBoolean()).as(last.toString()).isTrue();
            assertThat(last.get("value").asDouble()).isEqualTo(3.0);
            assertThat(last.get("message").asText()).startsWith("3 files, newest");
            assertThat(runs.get()).as("run by the agent").isEqualTo(1);

            Files.writeString(dir.resolve("backup-3.tar.gz"), "x");
            Files.writeString(dir.resolve("backup-4.tar.gz"), "x");
            JsonNode down = runNow(id);
            assertThat(down.get("up").asBoolean()).isFalse();
            assertThat(down.get("value").asDouble()).isEqualTo(5.0);
            assertThat(down.get("message").asText()).endsWith("; at most 4 expected");
            assertThat(runs.get()).isEqualTo(2);

            JsonNode results = admin.json(admin.get("/api/v1/checks/" + id + "/results?from=-1h"));
            assertThat(results.get("results")).hasSize(2);
            assertThat(admin.json(admin.get("/api/v1/checks/" + id)).get("uptime24h").asDouble()).isEqualTo(50.0);
            assertThat(admin.json(admin.get("/api/v1/hosts/" + hostId + "/commands")))
                    .as("check runs are not kept in the command history: the results are their record").isEmpty();
        }
    }

    @Test
    void a_tcp_check_runs_from_the_agent() throws Exception {
        var host = hub.registerHost("tcp-agent");
        long hostId = host.get("id").asLong();
        AtomicInteger runs = new AtomicInteger();
        try (var agent = agent(host, counting(runs)); ServerSocket target = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            long id = create("{\"name\":\"db port from tcp-agent\",\"type\":\"tcp\",\"agentHostId\":" + hostId + ",\"enabled\":false,"
                    + "\"settings\":{\"host\":\"127.0.0.1\",\"port\":" + target.getLocalPort() + "}}");
            JsonNode r = runNow(id);
            assertThat(r.get("up").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.get("message").asText()).isEqualTo("connected to 127.0.0.1:" + target.getLocalPort());
            assertThat(r.get("responseMs").asDouble()).isNotNegative();
            assertThat(runs.get()).isEqualTo(1);
        }
    }

    @Test
    void a_command_check_reports_its_first_line_and_number() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        var host = hub.registerHost("cmd-agent");
        try (var agent = agent(host, counting(new AtomicInteger()))) {
            long id = create("{\"name\":\"queue length\",\"type\":\"command\",\"agentHostId\":" + host.get("id").asLong()
                    + ",\"enabled\":false,\"settings\":{\"command\":\"echo 42\"}}");
            JsonNode r = runNow(id);
            assertThat(r.get("up").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.get("value").asDouble()).isEqualTo(42.0);
            assertThat(r.get("message").asText()).isEqualTo("42");
        }
    }

    @Test
    void deleting_the_host_disables_the_checks_its_agent_ran_instead_of_moving_them_to_the_hub() {
        var host = hub.registerHost("gone-box");
        long hostId = host.get("id").asLong();
        long agentRun = create("{\"name\":\"files on gone-box\",\"type\":\"directory\",\"agentHostId\":" + hostId
                + ",\"intervalSeconds\":3600,\"settings\":{\"path\":\"/tmp\"}}");
        var admin = hub.admin();
        long hubRun = create("{\"name\":\"tcp to gone-box\",\"type\":\"tcp\",\"hostId\":" + hostId
                + ",\"intervalSeconds\":3600,\"settings\":{\"host\":\"127.0.0.1\",\"port\":9}}");

        assertThat(admin.delete("/api/v1/hosts/" + hostId).statusCode()).isEqualTo(204);

        JsonNode orphan = admin.json(admin.get("/api/v1/checks/" + agentRun));
        assertThat(orphan.get("enabled").asBoolean()).as("its agent is gone: not run from the hub instead").isFalse();
        assertThat(orphan.path("agentHostId").isNull()).isTrue();
        JsonNode kept = admin.json(admin.get("/api/v1/checks/" + hubRun));
        assertThat(kept.get("enabled").asBoolean()).as("a check the hub runs about the host goes on").isTrue();
    }

    @Test
    void an_agent_that_is_not_connected_gives_a_down_result_saying_so() throws Exception {
        var host = hub.registerHost("sleepy-agent");
        long hostId = host.get("id").asLong();
        long id = create("{\"name\":\"files on sleepy-agent\",\"type\":\"directory\",\"agentHostId\":" + hostId
                + ",\"enabled\":false,\"settings\":{\"path\":\"/tmp\"}}");
        JsonNode r = runNow(id);
        assertThat(r.get("up").asBoolean()).isFalse();
        assertThat(r.get("message").asText()).isEqualTo("agent sleepy-agent is not connected");
        assertThat(r.get("method").asText()).isEqualTo("agent");
        var admin = hub.admin();
        assertThat(admin.json(admin.get("/api/v1/hosts/" + hostId + "/commands"))).as("nothing was sent").isEmpty();
    }

    @Test
    void an_agent_without_check_run_gives_a_down_result_naming_the_reason() throws Exception {
        var host = hub.registerHost("old-agent");
        try (var agent = agent(host, TestAgents.echo())) {
            long id = create("{\"name\":\"port on old-agent\",\"type\":\"tcp\",\"agentHostId\":" + host.get("id").asLong()
                    + ",\"enabled\":false,\"settings\":{\"host\":\"127.0.0.1\",\"port\":9}}");
            JsonNode r = runNow(id);
            assertThat(r.get("up").asBoolean()).isFalse();
            assertThat(r.get("method").asText()).isEqualTo("agent");
            assertThat(r.get("message").asText())
                    .isEqualTo("the agent of old-agent could not run the check: this agent does not support check.run (agent version 9.9.9-test)");
        }
    }
}
