package dev.servmon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
    private static final URI HUB = URI.create("http://hub.example.com:8081");
    private static final String KEY = "Zq3x9V_kL2mN8pR4sT6uW0yA1bC3dE5fG7hJ9kL1mN3";

    @TempDir
    Path dir;

    @Test
    void an_interval_outside_1_to_3600_seconds_is_refused_with_the_allowed_range() {
        assertThatThrownBy(() -> AgentConfig.of(HUB, KEY, null, dir, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--interval must be between 1 and 3600 seconds, got 0");
        assertThatThrownBy(() -> AgentConfig.of(HUB, KEY, null, dir, 3601))
                .hasMessage("--interval must be between 1 and 3600 seconds, got 3601");
    }

    @Test
    void without_a_key_or_key_file_the_message_says_to_pass_the_key_once_and_where_it_will_be_kept() {
        assertThatThrownBy(() -> AgentConfig.of(HUB, null, null, dir, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no host key: pass --key KEY once (it is saved to " + dir.resolve("host.key") + ") or --key-file FILE");
    }

    @Test
    void a_given_key_is_saved_owner_only_and_read_back_on_the_next_start() throws IOException {
        Path stateDir = dir.resolve("new/state");

        AgentConfig first = AgentConfig.of(HUB, "  " + KEY + "\n", null, stateDir, 10);
        AgentConfig next = AgentConfig.of(HUB, null, null, stateDir, 10);

        Path keyFile = stateDir.resolve("host.key");
        assertThat(first.key()).isEqualTo(KEY);
        assertThat(first.keyFile()).isEqualTo(keyFile);
        assertThat(Files.readString(keyFile)).isEqualTo(KEY + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir))).isEqualTo("rwx------");
        assertThat(next.key()).isEqualTo(KEY);
    }

    @Test
    void a_new_key_replaces_the_saved_one() throws IOException {
        AgentConfig.of(HUB, KEY, null, dir, 10);

        AgentConfig.of(HUB, "new-" + KEY, null, dir, 10);

        assertThat(AgentConfig.of(HUB, null, null, dir, 10).key()).isEqualTo("new-" + KEY);
    }

    @Test
    void a_key_file_given_explicitly_is_read_from_there() throws IOException {
        Path keyFile = Files.writeString(dir.resolve("elsewhere.key"), KEY + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));

        AgentConfig cfg = AgentConfig.of(HUB, null, keyFile, dir.resolve("state"), 10);

        assertThat(cfg.key()).isEqualTo(KEY);
        assertThat(cfg.keyFile()).isEqualTo(keyFile);
    }

    @Test
    void a_key_file_others_may_read_is_used_with_a_warning_that_says_how_to_fix_it() throws IOException {
        Path keyFile = Files.writeString(dir.resolve("host.key"), KEY);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        try (LogCapture logs = LogCapture.of(HostKeyFile.class)) {
            AgentConfig cfg = AgentConfig.of(HUB, null, null, dir, 10);

            assertThat(cfg.key()).isEqualTo(KEY);
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN").contains("chmod 600 " + keyFile));
        }
    }

    @Test
    void an_empty_key_file_is_refused_with_what_to_do() throws IOException {
        Files.writeString(dir.resolve("host.key"), "\n");

        assertThatThrownBy(() -> AgentConfig.of(HUB, null, null, dir, 10))
                .hasMessageContaining("is empty: pass --key KEY");
    }

    @Test
    void a_key_file_that_cannot_be_written_is_named_with_what_to_do() throws IOException {
        Path aFile = Files.writeString(dir.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> AgentConfig.of(HUB, KEY, aFile.resolve("host.key"), dir, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot save the host key to " + aFile.resolve("host.key"))
                .hasMessageContaining("--key-file FILE");
    }

    @Test
    void a_key_with_spaces_inside_is_refused_without_echoing_it() {
        assertThatThrownBy(() -> AgentConfig.of(HUB, "abc def ghi jkl mno", null, dir, 10))
                .hasMessageContaining("--key contains a space")
                .hasMessageNotContaining("abc def");
    }

    @Test
    void the_hub_url_must_be_http_or_https_with_a_host() {
        assertThatThrownBy(() -> AgentConfig.of(URI.create("hub.example.com:8081"), KEY, null, dir, 10))
                .hasMessageStartingWith("--hub must start with http:// or https://");
        assertThatThrownBy(() -> AgentConfig.of(URI.create("ftp://hub.example.com"), KEY, null, dir, 10))
                .hasMessageStartingWith("--hub must start with http:// or https://");
        assertThatThrownBy(() -> AgentConfig.of(URI.create("http:///ingest"), KEY, null, dir, 10))
                .hasMessageStartingWith("--hub must name the hub's host");
        assertThatThrownBy(() -> AgentConfig.of(URI.create("http://hub.example.com:8081/?a=b"), KEY, null, dir, 10))
                .hasMessageStartingWith("--hub must be a plain URL");
        assertThatThrownBy(() -> AgentConfig.of(null, KEY, null, dir, 10))
                .hasMessageStartingWith("--hub is required");
    }

    @Test
    void a_trailing_slash_or_the_ingest_path_itself_is_dropped_from_the_hub_url() {
        assertThat(AgentConfig.of(URI.create("https://hub.example.com:8081/"), KEY, null, dir, 10).hubUrl())
                .isEqualTo(URI.create("https://hub.example.com:8081"));
        assertThat(AgentConfig.of(URI.create("https://proxy.example.com/servmon/api/v1/ingest"), KEY, null, dir, 10).hubUrl())
                .isEqualTo(URI.create("https://proxy.example.com/servmon"));
    }

    @Test
    void the_config_as_text_shows_only_the_key_prefix() {
        AgentConfig cfg = AgentConfig.of(HUB, KEY, null, dir, 10);

        assertThat(cfg.toString()).contains("key=Zq3x9V_kL2…").doesNotContain(KEY);
        assertThat(cfg.keyPrefix()).isEqualTo("Zq3x9V_kL2…");
        assertThat(HostKeyFile.prefix("short")).isEqualTo("…");
    }

    @Test
    void the_default_state_dir_is_the_system_one_when_this_user_may_write_there_else_the_home_one() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path varLib = Files.createDirectories(dir.resolve("var/lib"));

        assertThat(AgentConfig.defaultStateDir(varLib.resolve("servmon-agent"), home)).isEqualTo(varLib.resolve("servmon-agent"));
        assertThat(AgentConfig.defaultStateDir(dir.resolve("no/such/servmon-agent"), home)).isEqualTo(home.resolve(".servmon-agent"));
        assertThat(AgentConfig.defaultStateDir()).isIn(AgentConfig.SYSTEM_STATE_DIR,
                Path.of(System.getProperty("user.home"), ".servmon-agent"));
    }
}
