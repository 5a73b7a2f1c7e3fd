package dev.servmon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.AgentArgs.Opt;
import dev.servmon.agent.collect.CollectSettings;
import dev.servmon.agent.install.InstallException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMainTest {
    record Result(int code, String out, String err) {}

    @TempDir
    Path dir;

    static Result run(Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = AgentMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void help_lists_every_option_with_its_environment_variable_and_default_and_the_exit_codes() {
        Result r = run("--help");

        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("Usage: servmon agent [OPTIONS]\n       java -jar servmon-agent.jar [OPTIONS]\n");
        for (Opt o : Opt.values()) {
            if (o == Opt.INSTALL_ROOT) {
                assertThat(r.out()).as("test-only option stays out of the help").doesNotContain(o.flag);
                continue;
            }
            assertThat(r.out()).contains(o.flag);
            if (o.takesValue()) {
                assertThat(r.out()).contains(o == Opt.HUB ? "(env SERVMON_HUB; required)" : "(env " + o.envVar() + "; default: " + o.defaultText + ")");
            }
        }
        assertThat(r.out()).contains("SERVMON_HUB", "SERVMON_KEY_FILE", "SERVMON_STATE_DIR", "SERVMON_INTERVAL", "SERVMON_CONFIG",
                "default: 10", "default: /opt/servmon");
        assertThat(r.out()).contains("Exit codes: 0 ", "1 error", "2 bad usage", "3 the hub rejected the host key");
        assertThat(run("-h").out()).isEqualTo(r.out());
    }

    @Test
    void version_prints_the_agent_and_protocol_versions() {
        Result r = run("--version");

        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("servmon agent " + AgentVersion.current() + "\nprotocol ");
    }

    @Test
    void an_unknown_option_exits_2_naming_it_and_pointing_to_help() {
        Result r = run("--hub", "http://hub:8081", "--intervall", "5");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("servmon agent: unknown option '--intervall'; see --help\n");
    }

    @Test
    void a_missing_value_exits_2_naming_the_option_and_its_value() {
        assertThat(run("--hub").err()).isEqualTo("servmon agent: --hub needs a value: --hub URL; see --help\n");
        Result beforeNextOption = run("--key", "--hub", "http://hub:8081");
        assertThat(beforeNextOption.code()).isEqualTo(2);
        assertThat(beforeNextOption.err()).contains("--key needs a value: --key KEY");
    }

    @Test
    void usage_mistakes_are_named_precisely() {
        assertThat(run("hub.example.com").err()).contains("unexpected argument 'hub.example.com'");
        assertThat(run("--interval", "ten").err()).contains("--interval must be a whole number of seconds between 1 and 3600, got 'ten'");
        assertThat(run("--hub", "a", "--hub", "b").err()).contains("--hub is given twice");
        assertThat(run("--install=yes").err()).contains("--install takes no value");
        assertThat(run("--purge").err()).contains("--purge only goes with --uninstall");
        assertThat(run("--install", "--uninstall").err()).contains("--install and --uninstall exclude each other");
        assertThat(run("--purge").code()).isEqualTo(2);
    }

    @Test
    void configuration_errors_exit_2_with_the_message_of_the_config_check() {
        Result r = run("--hub", "http://hub:8081", "--key", "smk_x", "--interval", "0", "--state-dir", dir.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("servmon agent: --interval must be between 1 and 3600 seconds, got 0\n");
        assertThat(run("--state-dir", dir.toString()).err()).contains("--hub is required");
    }

    @Test
    void flags_win_over_the_environment_which_wins_over_the_config_file() throws Exception {
        Properties file = new Properties();
        file.setProperty("hub", "http://from-file:8081");
        file.setProperty("agent.interval", "30");
        file.setProperty("key-file", "/from/file.key");
        file.setProperty("state-dir", "/from/file");
        Map<String, String> env = Map.of("SERVMON_INTERVAL", "20", "SERVMON_STATE_DIR", "/from/env", "SERVMON_KEY_FILE", "");

        AgentArgs.Parsed p = AgentArgs.parse(new String[] {"--state-dir=/from/flag"}, env, file);

        assertThat(p.action()).isEqualTo(AgentArgs.Action.RUN);
        assertThat(p.hub()).as("only the file says it").isEqualTo(URI.create("http://from-file:8081"));
        assertThat(p.intervalSeconds()).as("environment beats file (agent.-qualified key)").isEqualTo(20);
        assertThat(p.keyFile()).as("an empty variable does not hide the file").isEqualTo(Path.of("/from/file.key"));
        assertThat(p.stateDir()).as("flag beats both").isEqualTo(Path.of("/from/flag"));
        assertThat(p.key()).as("nobody says it").isNull();

        AgentArgs.Parsed defaults = AgentArgs.parse(new String[0], Map.of(), new Properties());
        assertThat(defaults.intervalSeconds()).isEqualTo(10);
        assertThat(defaults.prefix()).isEqualTo(Path.of("/opt/servmon"));
        assertThat(defaults.installRoot()).isEqualTo(Path.of("/"));
        assertThat(defaults.delivery()).isEqualTo(DeliveryOptions.DEFAULTS);
        assertThat(defaults.collect()).isEqualTo(CollectSettings.DEFAULTS);
        assertThat(defaults.tuning()).isEmpty();
    }

    @Test
    void the_command_channel_is_on_by_default_and_configured_by_flags_environment_or_file() throws Exception {
        AgentArgs.Parsed defaults = AgentArgs.parse(new String[0], Map.of(), new Properties());
        assertThat(defaults.commands()).isEqualTo(dev.servmon.agent.control.AgentChannel.Options.DEFAULTS);

        AgentArgs.Parsed p = AgentArgs.parse(new String[] {"--no-commands", "--command-transport", "poll", "--power-hook", "/opt/hook"},
                Map.of(), new Properties());
        assertThat(p.commands().enabled()).isFalse();
        assertThat(p.commands().transport()).isEqualTo(dev.servmon.agent.control.AgentChannel.Transport.POLL);
        assertThat(p.commands().powerHook()).isEqualTo(Path.of("/opt/hook"));
        assertThat(p.tuning()).as("kept for --install's agent.conf")
                .containsEntry("no-commands", "true").containsEntry("command-transport", "poll").containsEntry("power-hook", "/opt/hook");

        Properties file = new Properties();
        file.setProperty("no-commands", "true");
        assertThat(AgentArgs.parse(new String[0], Map.of(), file).commands().enabled()).isFalse();
        assertThat(AgentArgs.parse(new String[0], Map.of("SERVMON_NO_COMMANDS", "false"), file).commands().enabled())
                .as("environment beats file").isTrue();
        assertThat(run("--command-transport", "carrier-pigeon").err()).contains("--command-transport must be auto, websocket or poll");
        assertThat(run("--no-commands=yes").err()).contains("--no-commands takes no value");
        assertThat(AgentArgs.usage()).contains("--no-commands", "--command-transport MODE", "--power-hook FILE");
    }

    @Test
    void delivery_and_collection_tuning_follow_the_same_precedence_and_are_kept_for_install() throws Exception {
        Properties file = new Properties();
        file.setProperty("replay-rate", "40");
        file.setProperty("agent.top-processes", "5");
        Map<String, String> env = Map.of("SERVMON_OUTBOX_MAX_MIB", "128", "SERVMON_TOP_PROCESSES", "7");

        AgentArgs.Parsed p = AgentArgs.parse(new String[] {"--process-interval", "60"}, env, file);

        assertThat(p.delivery()).isEqualTo(new DeliveryOptions(128, DeliveryOptions.DEFAULT_OUTBOX_MAX_AGE_HOURS, 40));
        assertThat(p.collect()).isEqualTo(new CollectSettings(7, Duration.ofSeconds(60)));
        assertThat(p.tuning()).containsExactly(Map.entry("outbox-max-mib", "128"), Map.entry("replay-rate", "40"),
                Map.entry("top-processes", "7"), Map.entry("process-interval", "60"));
        assertThat(run("--replay-rate", "fast").err()).contains("--replay-rate must be a whole number, got 'fast'");
        assertThat(run("--hub", "http://hub:8081", "--top-processes", "0").err())
                .isEqualTo("servmon agent: --top-processes must be between 1 and 100, got 0\n");
        assertThat(run("--outbox-max-mib", "0").code()).isEqualTo(2);
    }

    @Test
    void the_config_file_is_read_from_the_flag_or_the_environment() throws IOException {
        Path file = Files.writeString(dir.resolve("agent.conf"), "hub=http://hub.example.com:8081\ninterval=0\n");
        Path other = Files.writeString(dir.resolve("other.conf"), "hub=http://hub.example.com:8081\ninterval=4000\n");

        Result fromFlag = run(Map.of("SERVMON_CONFIG", other.toString()), "--config", file.toString(), "--key", "smk_x",
                "--state-dir", dir.toString());
        Result fromEnv = run(Map.of("SERVMON_CONFIG", other.toString()), "--key", "smk_x", "--state-dir", dir.toString());
        Result envOverFile = run(Map.of("SERVMON_INTERVAL", "7000"), "--config", file.toString(), "--key", "smk_x",
                "--state-dir", dir.toString());

        assertThat(fromFlag.err()).contains("got 0");
        assertThat(fromEnv.err()).contains("got 4000");
        assertThat(envOverFile.err()).contains("got 7000");
        Result missing = run("--config", dir.resolve("nope.conf").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("the config file " + dir.resolve("nope.conf") + " does not exist: fix --config or SERVMON_CONFIG");
    }

    @Test
    void install_refuses_a_separate_key_file_since_the_service_keeps_it_in_its_state_dir() {
        Result r = run("--install", "--hub", "http://hub:8081", "--key", "smk_x", "--key-file", "/tmp/k",
                "--install-root", dir.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--install keeps the host key in <state dir>/host.key; drop --key-file");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void install_from_unpacked_classes_says_which_jar_to_run_instead() {
        assertThatThrownBy(AgentMain::jarToInstall)
                .isInstanceOf(InstallException.class)
                .hasMessageContaining("run it as 'java -jar servmon-agent.jar --install ...'")
                .hasMessageContaining("agent/target/servmon-agent.jar");
    }

    @Test
    void the_service_runs_usr_bin_java_when_that_is_the_java_running_now() throws IOException {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path link = Files.createSymbolicLink(dir.resolve("java"), javaHome.resolve("bin/java"));
        Path elsewhere = Files.writeString(dir.resolve("other-java"), "#!/bin/sh\n");

        assertThat(AgentMain.javaForService(javaHome, link)).isEqualTo(link);
        assertThat(AgentMain.javaForService(javaHome, elsewhere)).isEqualTo(javaHome.resolve("bin/java"));
        assertThat(AgentMain.javaForService(javaHome, dir.resolve("missing"))).isEqualTo(javaHome.resolve("bin/java"));
    }
}
