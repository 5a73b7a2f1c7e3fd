package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void every_command_has_help() {
        for (String cmd : new String[] {"hub", "agent", "demo", "version"}) {
            var r = run(cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: servmon " + cmd);
        }
        assertThat(run("--help").out()).contains("hub", "agent", "demo", "version");
    }

    @Test
    void servmon_agent_has_the_agent_jars_own_help_and_exit_codes() {
        var viaServmon = run("agent", "--help");
        var viaHelpCommand = run("help", "agent");

        assertThat(viaServmon.out()).startsWith("Usage: servmon agent [OPTIONS]\n       java -jar servmon-agent.jar [OPTIONS]\n");
        assertThat(viaServmon.out()).contains("--install", "--uninstall", "SERVMON_HUB", "Exit codes:");
        assertThat(viaHelpCommand.out()).isEqualTo(viaServmon.out());
        var unknown = run("agent", "--no-such-flag");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("servmon agent: unknown option '--no-such-flag'; see --help\n");
    }

    /** ./servmon agent runs with the same JVM flags and environment the systemd unit uses. */
    @Test
    void the_launcher_runs_the_agent_with_the_units_jvm_flags() throws Exception {
        String launcher = java.nio.file.Files.readString(java.nio.file.Path.of("..", "servmon"));
        String agentLine = launcher.lines().filter(l -> l.strip().startsWith("agent)")).findFirst().orElseThrow();

        assertThat(agentLine).contains("jvm+=(" + String.join(" ", dev.servmon.agent.install.JvmFlags.SMALL_FOOTPRINT) + ")");
        assertThat(agentLine).contains("export " + String.join(" ", dev.servmon.agent.install.JvmFlags.ENVIRONMENT) + " ;;");
    }

    /** bench/footprint.sh measures the agent as it runs in production. */
    @Test
    void the_footprint_bench_runs_the_agent_with_the_units_jvm_flags() throws Exception {
        String bench = java.nio.file.Files.readString(java.nio.file.Path.of("..", "bench", "footprint.sh"));

        assertThat(bench).contains("\nagent_flags=(" + String.join(" ", dev.servmon.agent.install.JvmFlags.SMALL_FOOTPRINT) + ")\n");
        assertThat(bench).contains("\nagent_env=(" + String.join(" ", dev.servmon.agent.install.JvmFlags.ENVIRONMENT) + ")\n");
    }

    @Test
    void version_prints_the_build_and_protocol_versions() {
        var r = run("version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("servmon ").contains("protocol 1");
    }

    @Test
    void bad_values_get_a_message_that_says_what_to_do() {
        var r = run("agent", "--hub", "http://127.0.0.1:1", "--key", "smk_x", "--interval", "0", "--state-dir", "/tmp/servmon-cli-test");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--interval must be between 1 and 3600 seconds, got 0");
        var port = run("hub", "--port", "70000", "--data", "/tmp/servmon-cli-test-hub");
        assertThat(port.code()).isEqualTo(2);
        assertThat(port.err()).contains("--port must be between 0 and 65535, got 70000");
        var unknown = run("hub", "--no-such-flag");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--no-such-flag'");
    }

    @Test
    void flags_win_over_environment_which_wins_over_the_config_file() {
        Properties file = new Properties();
        file.setProperty("hub.port", "7000");
        file.setProperty("ingest-port", "7001");
        file.setProperty("data", "/from/file");
        var defaults = new ConfigDefaults(Map.of("SERVMON_INGEST_PORT", "9001"), file);
        HubCommand cmd = new HubCommand();
        new CommandLine(cmd).setDefaultValueProvider(defaults).parseArgs("--data", "/from/flag");
        assertThat(cmd.port).as("from file, command-qualified key").isEqualTo(7000);
        assertThat(cmd.ingestPort).as("environment beats file").isEqualTo(9001);
        assertThat(cmd.data.toString()).as("flag beats both").isEqualTo("/from/flag");
        HubCommand plain = new HubCommand();
        new CommandLine(plain).setDefaultValueProvider(new ConfigDefaults(Map.of(), new Properties())).parseArgs();
        assertThat(plain.port).isEqualTo(8080);
        assertThat(plain.ingestPort).isEqualTo(8081);
    }
}
