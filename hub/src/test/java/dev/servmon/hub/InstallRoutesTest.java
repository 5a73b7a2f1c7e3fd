package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent installer routes on a real hub: the script, the jar, and what happens without a jar. */
class InstallRoutesTest {
    @TempDir
    Path dir;
    TestHub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    byte[] jarBytes() {
        byte[] bytes = new byte[200_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 7));
        }
        return bytes;
    }

    TestHub startWithJar() throws IOException {
        Path jar = Files.write(dir.resolve("servmon-agent.jar"), jarBytes());
        return hub = TestHub.start(cfg -> cfg.withAgentJar(jar));
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static HttpResponse<byte[]> get(String url, String... headers) {
        try {
            var b = HttpRequest.newBuilder(java.net.URI.create(url));
            if (headers.length > 0) {
                b.headers(headers);
            }
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void the_install_script_names_this_hub_and_the_jar_hash_and_is_valid_sh() throws Exception {
        startWithJar();

        var r = get(hub.ingestUrl() + "/install/agent.sh");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/x-shellscript");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");
        String script = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(script).startsWith("#!/bin/sh\n");
        assertThat(script).contains("\nHUB='" + hub.ingestUrl() + "'\n", "\nJAR_SHA256='" + sha256(jarBytes()) + "'\n");
        assertThat(script).contains("--install --hub \"$HUB\" \"$@\"");
        assertThat(script).doesNotContain("@HUB_URL@", "@JAR_SHA256@");
        Path file = Files.writeString(dir.resolve("agent.sh"), script);
        assertThat(run("sh", "-n", file.toString())).as("sh -n: syntax errors").isEmpty();
    }

    @Test
    void the_ui_port_serves_the_same_script_pointing_agents_at_the_ingest_port() throws Exception {
        startWithJar();

        String fromApi = new String(get(hub.apiUrl() + "/install/agent.sh").body(), StandardCharsets.UTF_8);

        assertThat(fromApi).contains("\nHUB='" + hub.ingestUrl() + "'\n");
    }

    @Test
    void the_script_uses_the_configured_public_ingest_url() throws Exception {
        Path jar = Files.write(dir.resolve("servmon-agent.jar"), jarBytes());
        hub = TestHub.start(cfg -> cfg.withAgentJar(jar).withPublicIngestUrl("https://hub.example.com:8443/"));

        String script = new String(get(hub.ingestUrl() + "/install/agent.sh").body(), StandardCharsets.UTF_8);

        assertThat(script).contains("\nHUB='https://hub.example.com:8443'\n");
        var admin = hub.admin();
        assertThat(admin.json(admin.get("/api/v1/session")).get("installScriptUrl").asText())
                .isEqualTo("https://hub.example.com:8443/install/agent.sh");
    }

    @Test
    void the_jar_is_served_whole_with_its_hash_as_etag_and_revalidates_to_304() throws Exception {
        startWithJar();

        var r = get(hub.ingestUrl() + "/install/servmon-agent.jar");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(jarBytes());
        String etag = "\"" + sha256(jarBytes()) + "\"";
        assertThat(r.headers().firstValue("ETag")).contains(etag);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/java-archive");
        var again = get(hub.ingestUrl() + "/install/servmon-agent.jar", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get(hub.ingestUrl() + "/install/servmon-agent.jar", "If-None-Match", "\"stale\"").body()).isEqualTo(jarBytes());
    }

    @Test
    void the_jar_read_at_start_is_served_even_if_the_file_changes_later() throws Exception {
        startWithJar();
        Files.writeString(dir.resolve("servmon-agent.jar"), "replaced");

        assertThat(get(hub.ingestUrl() + "/install/servmon-agent.jar").body()).isEqualTo(jarBytes());
    }

    @Test
    void a_new_host_gets_the_one_line_install_command_with_its_key() throws Exception {
        startWithJar();
        var admin = hub.admin();

        JsonNode created = admin.json(admin.post("/api/v1/hosts", "{\"name\":\"web-1\"}"));

        String key = created.get("key").asText();
        assertThat(created.get("installCommand").asText())
                .isEqualTo("curl -fsSL " + hub.ingestUrl() + "/install/agent.sh | sudo sh -s -- --key " + key);
        assertThat(admin.json(admin.get("/api/v1/session")).get("installScriptUrl").asText())
                .isEqualTo(hub.ingestUrl() + "/install/agent.sh");
    }

    @Test
    void without_an_agent_jar_both_routes_answer_404_saying_how_to_get_one_and_no_install_is_offered() {
        hub = TestHub.start(cfg -> cfg);

        for (String url : new String[] {hub.ingestUrl() + "/install/agent.sh", hub.ingestUrl() + "/install/servmon-agent.jar",
                hub.apiUrl() + "/install/agent.sh"}) {
            var r = get(url);
            assertThat(r.statusCode()).as(url).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(url).startsWith("application/problem+json");
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(url)
                    .contains("no agent jar", "./mvnw -B package", "--agent-jar FILE");
        }
        var admin = hub.admin();
        assertThat(admin.json(admin.get("/api/v1/session")).get("installScriptUrl").isNull()).isTrue();
        JsonNode created = admin.json(admin.post("/api/v1/hosts", "{\"name\":\"web-2\"}"));
        assertThat(created.get("installCommand").isNull()).isTrue();
        assertThat(created.get("agentCommand").asText()).startsWith("java -jar servmon.jar agent --hub ");
    }

    @Test
    void an_agent_jar_option_naming_no_file_stops_the_start_with_the_path() {
        Path missing = dir.resolve("nope.jar");

        assertThatThrownBy(() -> TestHub.start(cfg -> cfg.withAgentJar(missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--agent-jar").hasMessageContaining(missing.toString());
    }

    @Test
    void a_public_ingest_url_with_shell_syntax_is_refused() {
        HubConfig cfg = HubConfig.defaults(dir).withPublicIngestUrl("http://hub';rm -rf ~;'");

        assertThatThrownBy(cfg::validate).hasMessageContaining("--public-ingest-url must look like http://host:8081");
        assertThat(HubConfig.defaults(dir).withPublicIngestUrl("http://[fd00::1]:8081").validate()).isNotNull();
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
