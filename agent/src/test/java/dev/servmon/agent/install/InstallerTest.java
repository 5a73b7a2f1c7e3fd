package dev.servmon.agent.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installs into a temporary root and checks the files as systemd and the agent would find them. */
class InstallerTest {
    static final URI HUB = URI.create("http://hub.example.com:8081");
    static final String KEY = "smk_Zq3x9V_kL2mN8pR4sT6uW0yA1bC3dE5fG7hJ9kL1mN3";
    static final Path JAVA = Path.of("/usr/bin/java");

    @TempDir
    Path root;
    @TempDir
    Path build;
    Path sourceJar;
    final ByteArrayOutputStream output = new ByteArrayOutputStream();

    /** A system where systemd runs: records what would be done to users, owners and services. */
    static final class RecordingSystem implements SystemOps {
        final List<String> calls = new ArrayList<>();

        @Override
        public void requireRoot() {
            calls.add("requireRoot");
        }

        @Override
        public boolean systemdRunning() {
            return true;
        }

        @Override
        public void systemctl(String... args) {
            calls.add("systemctl " + String.join(" ", args));
        }

        @Override
        public boolean ensureSystemUser(String name, Path home) {
            calls.add("user " + name + " " + home);
            return true;
        }

        @Override
        public void chown(Path path, String user) {
            calls.add("chown " + user + " " + path);
        }
    }

    @BeforeEach
    void buildJar() throws IOException {
        sourceJar = Files.write(build.resolve("servmon-agent.jar"), "PK fake jar bytes".getBytes(StandardCharsets.UTF_8));
    }

    InstallLayout layout() {
        return InstallLayout.of(root, null, null);
    }

    Installer installer(SystemOps system) {
        return new Installer(layout(), system, new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    Installer.Request request(String key) {
        return new Installer.Request(HUB, key, 15, Map.of("replay-rate", "50"), sourceJar, JAVA);
    }

    Path at(String path) {
        return root.resolve(path);
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void install_writes_jar_key_config_and_unit_with_the_right_modes() throws Exception {
        installer(SystemOps.STAGED).install(request(KEY));

        assertThat(at("opt/servmon/servmon-agent.jar")).hasSameBinaryContentAs(sourceJar);
        assertThat(mode(at("opt/servmon/servmon-agent.jar"))).isEqualTo("rw-r--r--");
        assertThat(mode(at("opt/servmon"))).isEqualTo("rwxr-xr-x");

        assertThat(Files.readString(at("var/lib/servmon-agent/host.key"))).isEqualTo(KEY + "\n");
        assertThat(mode(at("var/lib/servmon-agent/host.key"))).isEqualTo("rw-------");
        assertThat(mode(at("var/lib/servmon-agent"))).isEqualTo("rwx------");

        assertThat(Files.readString(at("etc/servmon/agent.conf")))
                .contains("\nhub=http://hub.example.com:8081\n", "\ninterval=15\n", "\nstate-dir=/var/lib/servmon-agent\n", "\nreplay-rate=50\n")
                .doesNotContain(KEY);
        assertThat(mode(at("etc/servmon/agent.conf"))).as("no secret inside").isEqualTo("rw-r--r--");

        Path unit = at("etc/systemd/system/servmon-agent.service");
        assertThat(Files.readString(unit)).isEqualTo(SystemdUnit.render(new SystemdUnit.Spec("servmon", JAVA, JvmFlags.ENVIRONMENT, JvmFlags.SMALL_FOOTPRINT,
                Path.of("/opt/servmon/servmon-agent.jar"), Path.of("/etc/servmon/agent.conf"), Path.of("/var/lib/servmon-agent"))));
        assertThat(mode(unit)).isEqualTo("rw-r--r--");
        assertThat(Files.readString(unit)).as("the unit names real paths, not the staging root").doesNotContain(root.toString());

        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("systemd not found (no /run/systemd/system): files written, nothing started. Start the agent with\n  "
                        + "env MALLOC_ARENA_MAX=1 " + JAVA + " -XX:+UseSerialGC -Xms4m -Xmx16m", " -jar /opt/servmon/servmon-agent.jar --config /etc/servmon/agent.conf\n",
                        "Staged under " + root, "smk_Zq3x9V…")
                .doesNotContain(KEY);
    }

    @Test
    void install_creates_the_user_hands_it_the_state_dir_then_enables_and_restarts_the_service() throws Exception {
        Files.createDirectories(at("var/lib/servmon-agent"));
        Files.writeString(at("var/lib/servmon-agent/seq"), "12345\n");
        RecordingSystem system = new RecordingSystem();

        installer(system).install(request(KEY));

        assertThat(system.calls.subList(0, 2)).containsExactly("requireRoot", "user servmon /var/lib/servmon-agent");
        assertThat(system.calls.subList(2, 5)).containsExactlyInAnyOrder(
                "chown servmon " + at("var/lib/servmon-agent"),
                "chown servmon " + at("var/lib/servmon-agent/host.key"),
                "chown servmon " + at("var/lib/servmon-agent/seq"));
        assertThat(system.calls.subList(5, system.calls.size())).containsExactly(
                "systemctl daemon-reload",
                "systemctl enable servmon-agent.service",
                "systemctl restart servmon-agent.service");
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("enabled and started", "journalctl -u servmon-agent.service");
    }

    @Test
    void installing_again_upgrades_the_jar_and_keeps_the_saved_key() throws Exception {
        installer(SystemOps.STAGED).install(request(KEY));
        Files.writeString(sourceJar, "PK newer jar");

        installer(SystemOps.STAGED).install(new Installer.Request(HUB, null, 30, Map.of(), sourceJar, JAVA));

        assertThat(Files.readString(at("opt/servmon/servmon-agent.jar"))).isEqualTo("PK newer jar");
        assertThat(Files.readString(at("var/lib/servmon-agent/host.key"))).isEqualTo(KEY + "\n");
        assertThat(Files.readString(at("etc/servmon/agent.conf"))).contains("\ninterval=30\n");
    }

    @Test
    void a_first_install_without_a_key_or_with_a_bad_option_changes_nothing() {
        RecordingSystem system = new RecordingSystem();

        assertThatThrownBy(() -> installer(system).install(new Installer.Request(HUB, KEY, 0, Map.of(), sourceJar, JAVA)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--interval must be between 1 and 3600");
        assertThatThrownBy(() -> installer(system).install(new Installer.Request(URI.create("ftp://hub"), KEY, 10, Map.of(), sourceJar, JAVA)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--hub must start with http:// or https://");
        assertThatThrownBy(() -> installer(SystemOps.STAGED).install(request(null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host key: pass --key KEY once");

        assertThat(system.calls).containsOnly("requireRoot");
        assertThat(at("opt")).doesNotExist();
        assertThat(at("etc")).doesNotExist();
    }

    @Test
    void paths_that_systemd_would_misread_are_refused() {
        assertThatThrownBy(() -> InstallLayout.of(root, Path.of("/opt/my servmon"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--prefix must be an absolute path without spaces");
        assertThatThrownBy(() -> InstallLayout.of(root, null, Path.of("var/lib/x")))
                .hasMessageContaining("--state-dir must be an absolute path");
    }

    @Test
    void uninstall_stops_the_service_and_removes_unit_jar_and_config_but_keeps_the_key() throws Exception {
        installer(SystemOps.STAGED).install(request(KEY));
        RecordingSystem system = new RecordingSystem();

        installer(system).uninstall(false);

        assertThat(system.calls).containsExactly("requireRoot", "systemctl disable --now servmon-agent.service", "systemctl daemon-reload");
        assertThat(at("etc/systemd/system/servmon-agent.service")).doesNotExist();
        assertThat(at("opt/servmon")).as("emptied prefix goes too").doesNotExist();
        assertThat(at("etc/servmon")).doesNotExist();
        assertThat(at("etc/systemd/system")).exists();
        assertThat(Files.readString(at("var/lib/servmon-agent/host.key"))).isEqualTo(KEY + "\n");
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("kept " + at("var/lib/servmon-agent"), "--purge");
    }

    @Test
    void uninstall_with_purge_removes_the_state_dir_named_in_the_config_even_under_another_prefix() throws Exception {
        new Installer(InstallLayout.of(root, Path.of("/usr/local/servmon"), Path.of("/srv/servmon-state")), SystemOps.STAGED,
                new PrintStream(output, true, StandardCharsets.UTF_8)).install(request(KEY));
        assertThat(at("usr/local/servmon/servmon-agent.jar")).exists();

        installer(SystemOps.STAGED).uninstall(true);

        assertThat(at("usr/local/servmon")).doesNotExist();
        assertThat(at("srv/servmon-state")).doesNotExist();
        assertThat(at("etc/servmon/agent.conf")).doesNotExist();
    }

    @Test
    void uninstall_of_nothing_says_so_and_touches_no_service() throws Exception {
        RecordingSystem system = new RecordingSystem();

        installer(system).uninstall(false);

        assertThat(system.calls).containsExactly("requireRoot");
        assertThat(output.toString(StandardCharsets.UTF_8)).startsWith("servmon agent is not installed here");
    }

    @Test
    void the_service_user_is_a_system_account_with_its_own_group_and_no_login() {
        assertThat(LinuxSystem.useradd("servmon", Path.of("/var/lib/servmon-agent"), "/usr/sbin/nologin")).containsExactly(
                "useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/var/lib/servmon-agent",
                "--shell", "/usr/sbin/nologin", "--comment", "servmon agent", "servmon");
    }
}
