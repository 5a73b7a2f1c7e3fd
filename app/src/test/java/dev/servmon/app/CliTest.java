package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        for (String cmd : new String[] {"hub", "agent", "demo", "backup", "restore", "migrate", "simulate", "user", "version"}) {
            var r = run(cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: servmon " + cmd);
        }
        assertThat(run("--help").out()).contains("hub", "agent", "demo", "backup", "restore", "migrate", "simulate", "version");
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

    /**
     * ./servmon hub runs with the memory defaults docs/operations.md and the README document (and
     * tell people to copy for a hub run with java -jar), and SERVMON_JAVA_OPTS comes after them so
     * a user's -Xmx wins.
     */
    @Test
    void the_launcher_runs_the_hub_with_the_documented_jvm_flags() throws Exception {
        String launcher = java.nio.file.Files.readString(java.nio.file.Path.of("..", "servmon"));
        String hubLine = launcher.lines().filter(l -> l.strip().startsWith("hub)")).findFirst().orElseThrow();
        String flags = hubLine.substring(hubLine.indexOf("jvm+=(") + 6, hubLine.indexOf(')', hubLine.indexOf("jvm+=(")))
                .replace("$trim_native", "-XX:TrimNativeHeapInterval=5000");
        assertThat(flags).contains("-Xmx", "-XX:+UseSerialGC");
        assertThat(hubLine).contains("export MALLOC_ARENA_MAX=\"${MALLOC_ARENA_MAX:-2}\"");
        String documented = "MALLOC_ARENA_MAX=2 java " + flags + " -jar servmon.jar hub";

        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "operations.md"))).contains(documented);
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"))).contains(documented);
        assertThat(launcher).contains("exec java \"${jvm[@]}\" ${SERVMON_JAVA_OPTS:-} -jar \"$jar\" \"$@\"");
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
        var url = run("hub", "--db-url", "jdbc:mysql://db/servmon", "--data", "/tmp/servmon-cli-test-hub");
        assertThat(url.code()).isEqualTo(2);
        assertThat(url.err()).contains("--db-url must start with jdbc:postgresql://");
        var retention = run("hub", "--retention-raw", "40d", "--data", "/tmp/servmon-cli-test-hub");
        assertThat(retention.code()).isEqualTo(2);
        assertThat(retention.err()).contains("--retention-1m (30d) must be at least --retention-raw (40d)");
        var duration = run("hub", "--retention-1h", "forever", "--data", "/tmp/servmon-cli-test-hub");
        assertThat(duration.code()).isEqualTo(2);
        assertThat(duration.err()).contains("--retention-1h must be a duration like 7d, 36h or 90m, got 'forever'");
        var lock = run("hub", "--leader-lock-interval", "50ms", "--data", "/tmp/servmon-cli-test-hub");
        assertThat(lock.code()).isEqualTo(2);
        assertThat(lock.err()).contains("--leader-lock-interval must be between 100ms and 5m, got 50ms");
        var every = run("hub", "--maintenance-interval", "often", "--data", "/tmp/servmon-cli-test-hub");
        assertThat(every.code()).isEqualTo(2);
        assertThat(every.err()).contains("--maintenance-interval must be a duration like 500ms, 5s, 2m or 1h, got 'often'");
        var alerts = run("hub", "--alert-interval", "2h", "--data", "/tmp/servmon-cli-test-hub");
        assertThat(alerts.code()).isEqualTo(2);
        assertThat(alerts.err()).contains("--alert-interval must be between 100ms and 60m, got 7200000ms");
        var publicUrl = run("hub", "--public-url", "monitor.example.com", "--data", "/tmp/servmon-cli-test-hub");
        assertThat(publicUrl.code()).isEqualTo(2);
        assertThat(publicUrl.err()).contains("--public-url must look like https://monitor.example.com, got 'monitor.example.com'");
        var unknown = run("hub", "--no-such-flag");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--no-such-flag'");
    }

    @Test
    void the_operations_commands_check_their_options_first() {
        var hosts = run("simulate", "--hub", "http://127.0.0.1:1", "--hosts", "0", "--api-url", "http://127.0.0.1:2");
        assertThat(hosts.code()).isEqualTo(2);
        assertThat(hosts.err()).isEqualTo("servmon simulate: --hosts must be between 1 and 100000, got 0\n");
        var noKeys = run("simulate", "--hub", "http://127.0.0.1:1");
        assertThat(noKeys.err()).contains("needs host keys: give --api-url", "or --keys FILE");
        var remote = run("simulate", "--hub", "http://192.0.2.1:8081", "--api-url", "http://127.0.0.1:2");
        assertThat(remote.err()).contains("--hub must point at this machine");
        var to = run("migrate", "--to", "jdbc:mysql://db/servmon");
        assertThat(to.code()).isEqualTo(2);
        assertThat(to.err()).contains("--to must be a PostgreSQL URL like jdbc:postgresql://");
    }

    @Test
    void migrate_takes_the_database_login_from_the_environment_like_the_hub() {
        var cmd = new dev.servmon.app.migrate.MigrateCommand();
        var spec = new CommandLine(cmd).setDefaultValueProvider(new ConfigDefaults(
                Map.of("SERVMON_DB_USER", "servmon", "SERVMON_DB_PASSWORD", "s3cret-env"), new Properties()));
        spec.parseArgs("--to", "jdbc:postgresql://db/servmon");
        DbLogin login = spec.getCommandSpec().mixins().values().stream()
                .map(m -> m.userObject()).filter(DbLogin.class::isInstance).map(DbLogin.class::cast).findFirst().orElseThrow();
        assertThat(login.user()).isEqualTo("servmon");
        assertThat(login.password()).isEqualTo("s3cret-env");
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

    @Test
    void alert_settings_come_from_flags_environment_or_config_file_and_are_documented_in_help() {
        Properties file = new Properties();
        file.setProperty("hub.public-url", "https://monitor.example.com/");
        HubCommand cmd = new HubCommand();
        new CommandLine(cmd).setDefaultValueProvider(new ConfigDefaults(Map.of("SERVMON_ALERT_INTERVAL", "2s"), file)).parseArgs();
        var alerts = cmd.hubOptions.toConfig(Path.of("/tmp/servmon-cli-test-hub"), 0, 0).alerts();
        assertThat(alerts.evaluateEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThat(alerts.publicUrlBase()).isEqualTo("https://monitor.example.com");
        HubCommand flags = new HubCommand();
        new CommandLine(flags).setDefaultValueProvider(new ConfigDefaults(Map.of("SERVMON_ALERT_INTERVAL", "2s"), file))
                .parseArgs("--alert-interval", "500ms", "--public-url", "http://mon.lan:8080");
        assertThat(flags.hubOptions.alerts().evaluateEvery()).isEqualTo(Duration.ofMillis(500));
        assertThat(flags.hubOptions.alerts().publicUrlBase()).isEqualTo("http://mon.lan:8080");
        HubCommand plain = new HubCommand();
        new CommandLine(plain).setDefaultValueProvider(new ConfigDefaults(Map.of(), new Properties())).parseArgs();
        assertThat(plain.hubOptions.alerts().evaluateEvery()).isEqualTo(Duration.ofSeconds(15));
        assertThat(plain.hubOptions.alerts().publicUrl()).isNull();
        assertThat(run("hub", "--help").out().replaceAll("\\s+", " ")).contains("--alert-interval=DURATION", "--public-url=URL",
                "announces (default: 15s)", "links in alert notifications");
    }

    @Test
    void the_database_password_comes_from_the_environment_or_a_file_and_never_shows() throws Exception {
        var fromEnv = new HubCommand();
        new CommandLine(fromEnv).setDefaultValueProvider(new ConfigDefaults(
                Map.of("SERVMON_DB_URL", "jdbc:postgresql://db:5432/servmon", "SERVMON_DB_PASSWORD", "s3cret-env"), new Properties()))
                .parseArgs("--db-user", "servmon", "--retention-raw", "14d", "--retention-1m", "60d");
        var config = fromEnv.hubOptions.toConfig(Path.of("/tmp/d"), 0, 0);
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db:5432/servmon");
        assertThat(config.database().user()).isEqualTo("servmon");
        assertThat(config.database().password()).isEqualTo("s3cret-env");
        assertThat(config.database().toString()).doesNotContain("s3cret");
        assertThat(config.retention().raw()).isEqualTo(Duration.ofDays(14));
        assertThat(config.retention().oneMinute()).isEqualTo(Duration.ofDays(60));
        assertThat(config.retention().oneHour()).isEqualTo(Duration.ofDays(1825));

        Path file = Files.createTempFile("servmon-db-password", "");
        Files.writeString(file, "s3cret-file\n");
        var fromFile = new HubCommand();
        new CommandLine(fromFile).setDefaultValueProvider(new ConfigDefaults(Map.of(), new Properties()))
                .parseArgs("--db-url", "jdbc:postgresql://db/servmon", "--db-password-file", file.toString());
        assertThat(fromFile.hubOptions.toConfig(Path.of("/tmp/d"), 0, 0).database().password()).isEqualTo("s3cret-file");
        Files.delete(file);

        var sqlite = new HubCommand();
        new CommandLine(sqlite).setDefaultValueProvider(new ConfigDefaults(Map.of(), new Properties())).parseArgs();
        assertThat(sqlite.hubOptions.toConfig(Path.of("/tmp/d"), 0, 0).database().isPostgres()).isFalse();
    }
}
