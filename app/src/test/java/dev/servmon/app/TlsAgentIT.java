package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.SecurityConfig;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.tls.TlsConfig;
import dev.servmon.agent.install.JvmFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** Waits up to 30 s until the hub holds {@code n} samples of host {@code id}; returns how many it holds. */
    private static long awaitStored(long id, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (hub.storedSamples(id) < n && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return hub.storedSamples(id);
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
            assertThat(awaitStored(id, 2)).as(agent.stderr()).isGreaterThanOrEqualTo(2);
            assertThat(agent.stop(Duration.ofSeconds(10))).isIn(0, 143);
        }
    }

    @Test
    void the_ca_file_can_come_from_the_environment(@TempDir Path state) throws Exception {
        JsonNode host = hub.registerHost("tls-agent-env");
        long id = host.get("id").asLong();
        try (var agent = ServmonProcess.start(Map.of("SERVMON_CA_FILE", caFile().toString()), "agent", "--hub", hub.ingestUrl(),
                "--key", host.get("key").asText(), "--interval", "1", "--state-dir", state.toString())) {
            assertThat(awaitStored(id, 1)).as(agent.stderr()).isGreaterThanOrEqualTo(1);
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
            assertThat(awaitStored(id, 3)).as(agent.stderr()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void the_one_line_install_pins_the_hubs_key_saves_its_certificate_and_the_installed_agent_reports(@TempDir Path dir) throws Exception {
        JsonNode host = hub.registerHost("tls-installed");
        String command = host.get("installCommand").asText();
        assertThat(command).contains("-k --pinnedpubkey 'sha256//").endsWith("| sudo sh -s -- --key " + host.get("key").asText());
        Path root = Files.createDirectory(dir.resolve("root"));

        // As a person would paste it, minus sudo (the test is root or stages under root/).
        var run = InstallScriptIT.exec(List.of("sh", "-c", command.replace("| sudo sh", "| sh") + " --interval 1"),
                Map.of("SERVMON_INSTALL_ROOT", root.toString(),
                        "PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/local/bin:/usr/bin:/bin"));
        assertThat(run.code()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isZero();
        assertThat(run.err()).contains("hub certificate checked", "SHA-256 verified");
        assertThat(root.resolve("etc/servmon/hub-ca.pem")).hasSameTextualContentAs(caFile());
        assertThat(Files.readString(root.resolve("etc/servmon/agent.conf"))).contains("ca-file=/etc/servmon/hub-ca.pem\n");

        // The installed agent, told where the staged certificate is, reports over https.
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(JvmFlags.SMALL_FOOTPRINT);
        cmd.addAll(List.of("-jar", root.resolve("opt/servmon/servmon-agent.jar").toString(),
                "--config", root.resolve("etc/servmon/agent.conf").toString(),
                "--state-dir", root.resolve("var/lib/servmon-agent").toString(),
                "--ca-file", root.resolve("etc/servmon/hub-ca.pem").toString()));
        Process agent = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            long id = host.get("id").asLong();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hub.storedSamples(id) < 2 && System.nanoTime() < deadline && agent.isAlive()) {
                Thread.sleep(200);
            }
            assertThat(hub.storedSamples(id)).as(Files.readString(dir.resolve("agent.log"))).isGreaterThanOrEqualTo(2);
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }

    @Test
    void an_install_command_with_another_key_pin_fetches_nothing(@TempDir Path dir) throws Exception {
        JsonNode host = hub.registerHost("tls-wrong-pin");
        String command = host.get("installCommand").asText()
                .replaceFirst("sha256//[A-Za-z0-9+/=]+", "sha256//" + "A".repeat(43) + "=");
        Path root = Files.createDirectory(dir.resolve("root"));
        var run = InstallScriptIT.exec(List.of("sh", "-c", "set -o pipefail 2>/dev/null; " + command.replace("| sudo sh", "| sh")),
                Map.of("SERVMON_INSTALL_ROOT", root.toString(),
                        "PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/local/bin:/usr/bin:/bin"));
        assertThat(run.err()).doesNotContain("hub certificate checked");
        assertThat(root).isEmptyDirectory();
    }
}
