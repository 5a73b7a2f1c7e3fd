package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.SecurityConfig;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.tls.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub serving TLS with a self-signed certificate and real agent processes from the fat jar. */
class TlsAgentIT {
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(cfg -> cfg.withSecurity(SecurityConfig.DEFAULTS.withTls(TlsConfig.selfSignedInDataDir())));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static Path caFile() {
        return hub.hub().tls().orElseThrow().caFile();
    }

    @Test
    void an_agent_given_the_hubs_certificate_reports_over_https(@TempDir Path state) throws Exception {
        assertThat(hub.ingestUrl()).startsWith("https://");
        JsonNode host = hub.registerHost("tls-agent");
        long id = host.get("id").asLong();
        try (var agent = ServmonProcess.start("agent", "--hub", hub.ingestUrl(), "--key", host.get("key").asText(),
                "--interval", "1", "--state-dir", state.toString(), "--ca-file", caFile().toString())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hub.storedSamples(id) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(hub.storedSamples(id)).as(agent.stderr()).isGreaterThanOrEqualTo(2);
            assertThat(agent.stop(Duration.ofSeconds(10))).isIn(0, 143);
        }
    }

    @Test
    void the_ca_file_can_come_from_the_environment(@TempDir Path state) throws Exception {
        JsonNode host = hub.registerHost("tls-agent-env");
        long id = host.get("id").asLong();
        try (var agent = ServmonProcess.start(Map.of("SERVMON_CA_FILE", caFile().toString()), "agent", "--hub", hub.ingestUrl(),
                "--key", host.get("key").asText(), "--interval", "1", "--state-dir", state.toString())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hub.storedSamples(id) < 1 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(hub.storedSamples(id)).as(agent.stderr()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void an_agent_without_the_certificate_says_what_to_do_in_one_line_and_keeps_its_samples(@TempDir Path state) throws Exception {
        JsonNode host = hub.registerHost("tls-untrusting");
        long id = host.get("id").asLong();
        try (var agent = ServmonProcess.start("agent", "--hub", hub.ingestUrl(), "--key", host.get("key").asText(),
                "--interval", "1", "--state-dir", state.toString())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!agent.stderr().contains("not trusted") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            String err = agent.stderr();
            assertThat(err).contains("hub certificate is not trusted: pass --ca-file /path/hub-ca.pem (the hub prints where it is)");
            assertThat(err).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(agent.stop(Duration.ofSeconds(10))).isIn(0, 143);
            assertThat(agent.stderr()).contains("samples not acknowledged by the hub stay in the outbox");
        }
        assertThat(hub.storedSamples(id)).isZero();
        // The same agent, restarted with the certificate, delivers what it kept.
        try (var agent = ServmonProcess.start("agent", "--hub", hub.ingestUrl(), "--interval", "1", "--state-dir", state.toString(),
                "--ca-file", caFile().toString())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hub.storedSamples(id) < 3 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(hub.storedSamples(id)).as(agent.stderr()).isGreaterThanOrEqualTo(3);
        }
    }
}
