package dev.servmon.hub.control;

import static dev.servmon.hub.control.TestAgents.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.agent.control.AgentChannel;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.control.CommandSender.WhenOffline;
import dev.servmon.hub.storage.DbConfig;
import dev.servmon.hub.storage.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hub replicas on one PostgreSQL database: a command submitted on one reaches the agent
 * whose socket the other holds (LISTEN/NOTIFY), and its outcome is visible on both.
 */
class CommandReplicasTest {
    @TempDir
    Path dir;

    private static String state(TestHub hub, String id) {
        var admin = hub.admin();
        return admin.json(admin.get("/api/v1/commands/" + id)).get("state").asText();
    }

    @Test
    void a_command_submitted_on_one_replica_reaches_the_agent_connected_to_the_other() throws Exception {
        DbConfig db = TestPostgres.freshDatabase(dir);
        try (TestHub a = TestHub.start(cfg -> cfg.withDatabase(db)); TestHub b = TestHub.start(cfg -> cfg.withDatabase(db))) {
            JsonNode host = a.registerHost("on-replica-b");
            long id = host.get("id").asLong();
            try (var agent = TestAgents.start(b, host.get("key").asText(), AgentChannel.Transport.WEBSOCKET)) {
                await(() -> b.hub().commands().linkCount() == 1, Duration.ofSeconds(10), "agent on replica b");
                assertThat(a.hub().commands().linkCount()).isZero();
                // b records the link in the shared database just after it counts it: a sees it a moment later.
                await(() -> a.hub().commands().isConnected(id), Duration.ofSeconds(10), "replica a knows b holds the agent");

                for (int i = 0; i < 5; i++) {
                    var sent = a.hub().commands().submit(id, "test.echo", Map.of("text", "via b " + i), WhenOffline.REFUSE, null, null);
                    await(() -> state(a, sent.id()).equals("SUCCEEDED"), Duration.ofSeconds(10), "command done, seen on a");
                    assertThat(state(b, sent.id())).isEqualTo("SUCCEEDED");
                    var admin = a.admin();
                    assertThat(admin.json(admin.get("/api/v1/commands/" + sent.id())).get("message").asText()).isEqualTo("echo via b " + i);
                }

                // Queued on a while the agent is away, delivered when it comes back to b.
                agent.close();
                await(() -> !a.hub().commands().isConnected(id), Duration.ofSeconds(10), "agent gone everywhere");
                var queued = a.hub().commands().submit(id, "test.echo", Map.of("text", "later"), WhenOffline.QUEUE, Duration.ofMinutes(1), null);
                try (var again = TestAgents.start(b, host.get("key").asText(), AgentChannel.Transport.WEBSOCKET)) {
                    await(() -> state(a, queued.id()).equals("SUCCEEDED"), Duration.ofSeconds(10), "queued command done");
                }
            }
        }
    }

    @Test
    void an_agent_that_connects_to_the_other_replica_with_an_old_programs_revision_gets_the_set_defined_on_the_first()
            throws Exception {
        DbConfig db = TestPostgres.freshDatabase(dir);
        try (TestHub a = TestHub.start(cfg -> cfg.withDatabase(db)); TestHub b = TestHub.start(cfg -> cfg.withDatabase(db))) {
            JsonNode host = a.registerHost("reconciled-on-b");
            long id = host.get("id").asLong();
            var admin = a.admin();
            var created = admin.post("/api/v1/hosts/" + id + "/programs", "{\"name\":\"web\",\"command\":\"/bin/sleep\",\"args\":[\"9\"]}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String queued = admin.json(created).at("/delivery/commandId").asText();
            long current = a.hub().commands().get(queued).args().get("revision").asLong();
            a.hub().commands().forget(queued);

            // The agent's real channel, with a programs.apply handler that keeps what it got and reports it as its revision.
            var held = new java.util.concurrent.atomic.AtomicLong();
            var got = new java.util.concurrent.CopyOnWriteArrayList<Map<String, Object>>();
            var handlers = TestAgents.echo();
            handlers.register(new dev.servmon.agent.control.CommandHandler() {
                @Override
                public String type() {
                    return "programs.apply";
                }

                @Override
                public dev.servmon.agent.control.CommandResult handle(Map<String, Object> args) {
                    got.add(args);
                    held.set((Long) args.get("revision"));
                    return dev.servmon.agent.control.CommandResult.ok("applied");
                }
            });
            handlers.revision("programs", held::get);
            try (var agent = TestAgents.start(b.ingestUrl(), host.get("key").asText(), handlers, AgentChannel.Transport.WEBSOCKET, 5)) {
                await(() -> got.size() == 1, Duration.ofSeconds(10), "the set sent by replica b");
            }
            assertThat(got.get(0).get("revision")).isEqualTo(current);
            assertThat((java.util.List<?>) got.get(0).get("programs")).hasSize(1);
            await(() -> !a.hub().commands().isConnected(id), Duration.ofSeconds(10), "agent gone everywhere");
            try (var agent = TestAgents.start(b.ingestUrl(), host.get("key").asText(), handlers, AgentChannel.Transport.POLL, 1)) {
                await(() -> b.hub().commands().isConnected(id), Duration.ofSeconds(10), "polling b");
                Thread.sleep(2_000);
            }
            assertThat(got).as("the current revision: nothing more").hasSize(1);
        }
    }
}
