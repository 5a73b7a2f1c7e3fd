package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.agent.install.JvmFlags;
import dev.servmon.hub.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-line install end to end, without systemd: a real hub (serving the agent jar that
 * servmon.jar carries) hands out its install script, {@code sh} runs it with
 * {@code SERVMON_INSTALL_ROOT} pointing at a temporary directory, and the agent installed
 * there then runs with the unit's JVM flags and turns its host ON.
 */
class InstallScriptIT {
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    record Run(int code, String out, String err) {}

    static Run sh(Path script, Path root, Path pathFirst, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", script.toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, Map.of("SERVMON_INSTALL_ROOT", root.toString(),
                "PATH", pathFirst + ":" + Path.of(System.getProperty("java.home"), "bin") + ":/usr/local/bin:/usr/bin:/bin"));
    }

    static Run exec(List<String> cmd, Map<String, String> env) throws Exception {
        Path logs = Files.createTempDirectory("servmon-install-it");
        var pb = new ProcessBuilder(cmd).redirectOutput(logs.resolve("out").toFile()).redirectError(logs.resolve("err").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SERVMON_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish in 120 s; stderr: " + Files.readString(logs.resolve("err")));
        }
        return new Run(p.exitValue(), Files.readString(logs.resolve("out")), Files.readString(logs.resolve("err")));
    }

    static byte[] get(String url) throws Exception {
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as("GET %s: %s", url, new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return r.body();
    }

    static Path script(Path dir) throws Exception {
        return Files.write(dir.resolve("agent.sh"), get(hub.ingestUrl() + "/install/agent.sh"));
    }

    @Test
    void the_one_line_install_downloads_verifies_and_installs_the_agent_which_then_reports(@TempDir Path dir) throws Exception {
        JsonNode host = hub.registerHost("installed-by-script");
        String key = host.get("key").asText();
        assertThat(host.get("installCommand").asText()).isEqualTo("curl -fsSL " + hub.ingestUrl() + "/install/agent.sh | sudo sh -s -- --key " + key);
        Path root = Files.createDirectory(dir.resolve("root"));

        Run run = sh(script(dir), root, dir, "--key", key, "--interval", "1");

        assertThat(run.code()).as("stdout: %s%nstderr: %s", run.out(), run.err()).isZero();
        assertThat(run.err()).contains("downloading " + hub.ingestUrl() + "/install/servmon-agent.jar", "SHA-256 verified");
        assertThat(run.out()).contains("servmon agent installed", "systemd not found", "Staged under " + root).doesNotContain(key);
        Path jar = root.resolve("opt/servmon/servmon-agent.jar");
        assertThat(Files.readAllBytes(jar)).isEqualTo(get(hub.ingestUrl() + "/install/servmon-agent.jar"));
        Path keyFile = root.resolve("var/lib/servmon-agent/host.key");
        assertThat(Files.readString(keyFile).strip()).isEqualTo(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.readString(root.resolve("etc/servmon/agent.conf"))).contains("hub=" + hub.ingestUrl() + "\n", "interval=1\n");
        String unit = Files.readString(root.resolve("etc/systemd/system/servmon-agent.service"));
        assertThat(unit).contains("-jar /opt/servmon/servmon-agent.jar --config /etc/servmon/agent.conf", "User=servmon");

        // The installed jar, run the way the unit runs it (same JVM flags, so -Xmx16m), reports.
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(JvmFlags.SMALL_FOOTPRINT);
        assertThat(unit).contains(String.join(" ", JvmFlags.SMALL_FOOTPRINT) + " -jar ");
        cmd.addAll(List.of("-jar", jar.toString(), "--config", root.resolve("etc/servmon/agent.conf").toString(),
                "--state-dir", root.resolve("var/lib/servmon-agent").toString()));
        Process agent = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            long id = host.get("id").asLong();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hub.storedSamples(id) < 3 && System.nanoTime() < deadline && agent.isAlive()) {
                Thread.sleep(200);
            }
            assertThat(hub.storedSamples(id)).as("samples stored; agent log:%n%s", Files.readString(dir.resolve("agent.log")))
                    .isGreaterThanOrEqualTo(3);
            var admin = hub.admin();
            assertThat(admin.json(admin.get("/api/v1/hosts/" + id)).get("status").asText()).isEqualTo("ON");
        } finally {
            agent.destroy();
            assertThat(agent.waitFor(10, TimeUnit.SECONDS)).as("agent stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(dir.resolve("agent.log"))).doesNotContain("OutOfMemoryError", "Exception");
    }

    @Test
    void a_jar_that_does_not_match_the_announced_hash_is_not_installed(@TempDir Path dir) throws Exception {
        Path script = script(dir);
        String text = Files.readString(script);
        String tampered = text.replaceFirst("JAR_SHA256='[0-9a-f]{64}'", "JAR_SHA256='" + "0".repeat(64) + "'");
        assertThat(tampered).isNotEqualTo(text);
        Files.writeString(script, tampered);
        Path root = Files.createDirectory(dir.resolve("root"));

        Run run = sh(script, root, dir, "--key", hub.registerHost("tampered").get("key").asText());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("but the hub announced " + "0".repeat(64) + ": not installing it");
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void an_old_java_is_refused_with_install_hints(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path fakeJava = Files.writeString(bin.resolve("java"), "#!/bin/sh\necho 'java version \"1.8.0_292\"' >&2\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = Files.createDirectory(dir.resolve("root"));

        Run run = sh(script(dir), root, bin, "--key", "smk_unused");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("is Java 1; the agent needs Java 17 or newer", "apt-get install -y openjdk-17-jre-headless",
                "dnf install", "apk add");
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void servmon_agent_install_from_the_fat_jar_installs_the_agent_jar_it_carries(@TempDir Path root) throws Exception {
        String key = hub.registerHost("installed-from-fat-jar").get("key").asText();

        try (var p = ServmonProcess.start(Map.of("SERVMON_INSTALL_ROOT", root.toString()),
                "agent", "--install", "--hub", hub.ingestUrl(), "--key", key)) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.stderr()).isZero();
        }

        Path jar = root.resolve("opt/servmon/servmon-agent.jar");
        assertThat(Files.readAllBytes(jar)).as("the agent's own jar, not servmon.jar")
                .isEqualTo(get(hub.ingestUrl() + "/install/servmon-agent.jar"));
        assertThat(Files.size(jar)).isLessThan(Files.size(ServmonProcess.jar()) / 2);
        assertThat(Files.readString(root.resolve("var/lib/servmon-agent/host.key")).strip()).isEqualTo(key);

        try (var p = ServmonProcess.start(Map.of("SERVMON_INSTALL_ROOT", root.toString()), "agent", "--uninstall", "--purge")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.stderr()).isZero();
        }
        try (var files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile)).as("nothing left after --uninstall --purge").isEmpty();
        }
    }
}
