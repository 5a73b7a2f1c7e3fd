package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real hub (in-process, real ports, real SQLite) and a real agent process from the fat jar. */
class AgentEndToEndIT {
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static String status(long id) {
        var admin = hub.admin();
        return admin.json(admin.get("/api/v1/hosts/" + id)).get("status").asText();
    }

    static JsonNode awaitStatus(long id, String status, Duration timeout) throws InterruptedException {
        var admin = hub.admin();
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode view = null;
        while (System.nanoTime() < deadline) {
            view = admin.json(admin.get("/api/v1/hosts/" + id));
            if (view.get("status").asText().equals(status)) {
                return view;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("host " + id + " not " + status + " within " + timeout + ": " + view);
    }

    static long storedSamples(long hostId) {
        return hub.storedSamples(hostId);
    }

    @Test
    void a_real_agent_turns_its_host_on_and_its_reports_are_stored(@TempDir Path state) throws Exception {
        JsonNode host = hub.registerHost("e2e-agent");
        long id = host.get("id").asLong();
        assertThat(status(id)).isEqualTo("EMPTY");
        try (var agent = ServmonProcess.start("agent", "--hub", hub.ingestUrl(), "--key", host.get("key").asText(),
                "--interval", "1", "--state-dir", state.toString())) {
            JsonNode on = awaitStatus(id, "ON", Duration.ofSeconds(20));
            JsonNode latest = on.get("latest");
            assertThat(latest.get("cpuPercent").asDouble()).isBetween(0.0, 100.0);
            assertThat(latest.get("memTotalBytes").asLong()).isPositive();
            assertThat(latest.get("diskTotalBytes").asLong()).isPositive();
            assertThat(on.get("sample").get("cpu").get("perCorePercent").size()).isEqualTo(Runtime.getRuntime().availableProcessors());
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (storedSamples(id) < 3 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(storedSamples(id)).isGreaterThanOrEqualTo(3);

            // The key was saved (0600) so later starts need no --key.
            Path keyFile = state.resolve("host.key");
            assertThat(Files.readString(keyFile).strip()).isEqualTo(host.get("key").asText());
            assertThat(Files.getPosixFilePermissions(keyFile)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(agent.stop(Duration.ofSeconds(10))).as("graceful exit on SIGTERM").isIn(0, 143);
        }
        long before = storedSamples(id);
        // Restart without --key: the stored key is used, and new samples are not taken for replays.
        try (var agent = ServmonProcess.start("agent", "--hub", hub.ingestUrl(), "--interval", "1", "--state-dir", state.toString())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (storedSamples(id) < before + 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(storedSamples(id)).as("restarted agent's samples are stored, not ignored as duplicates").isGreaterThanOrEqualTo(before + 2);
        }
    }

    @Test
    void an_agent_with_a_revoked_key_says_so_clearly_and_stops(@TempDir Path state) throws Exception {
        JsonNode host = hub.registerHost("e2e-revoked");
        var admin = hub.admin();
        assertThat(admin.delete("/api/v1/hosts/" + host.get("id").asLong()).statusCode()).isEqualTo(204);
        try (var agent = ServmonProcess.start("agent", "--hub", hub.ingestUrl(), "--key", host.get("key").asText(),
                "--interval", "1", "--state-dir", state.toString())) {
            int code = agent.awaitExit(Duration.ofSeconds(30));
            assertThat(code).isEqualTo(3);
            assertThat(agent.stderr()).contains("401").contains("--key");
            assertThat(agent.stderr()).doesNotContain(host.get("key").asText());
        }
    }

    @Test
    void an_agent_started_without_a_key_explains_what_to_do(@TempDir Path state) throws Exception {
        try (var agent = ServmonProcess.start("agent", "--hub", hub.ingestUrl(), "--state-dir", state.toString())) {
            assertThat(agent.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(agent.stderr()).contains("--key");
        }
    }
}
