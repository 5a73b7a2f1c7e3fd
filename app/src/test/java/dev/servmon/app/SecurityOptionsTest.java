package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.hub.api.RateLimits;
import dev.servmon.hub.auth.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The hub's security flags, from flags, the environment and the config file. */
class SecurityOptionsTest {
    private static HubCommand parse(Map<String, String> env, Properties file, String... args) {
        HubCommand cmd = new HubCommand();
        new CommandLine(cmd).setDefaultValueProvider(new ConfigDefaults(env, file)).parseArgs(args);
        return cmd;
    }

    @Test
    void defaults_are_plain_http_no_required_2fa_and_the_default_limits() {
        var security = parse(Map.of(), new Properties()).hubOptions.security();
        assertThat(security.tls().enabled()).isFalse();
        assertThat(security.require2faFor()).isNull();
        assertThat(security.rateLimits()).isEqualTo(RateLimits.DEFAULTS);
    }

    @Test
    void flags_environment_and_file_set_tls_2fa_and_limits(@TempDir Path dir) throws Exception {
        Properties file = new Properties();
        file.setProperty("hub.require-2fa-for", "admin");
        file.setProperty("login-limit-per-minute", "3");
        var security = parse(Map.of("SERVMON_TLS_SELF_SIGNED", "true", "SERVMON_INGEST_LIMIT_BURST", "120"), file,
                "--api-limit-per-second", "0").hubOptions.security();
        assertThat(security.tls().selfSigned()).isTrue();
        assertThat(security.require2faFor()).isEqualTo(Role.ADMIN);
        assertThat(security.rateLimits()).isEqualTo(new RateLimits(3, 0, 200, 10, 120));

        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        Path key = Files.writeString(dir.resolve("k.pem"), "x");
        var files = parse(Map.of(), new Properties(), "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--require-2fa-for", "operator").hubOptions.security();
        assertThat(files.tls().certFile()).isEqualTo(cert);
        assertThat(files.require2faFor()).isEqualTo(Role.OPERATOR);
    }

    @Test
    void bad_values_name_the_flag() {
        assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--require-2fa-for", "viewer").hubOptions.security())
                .hasMessageContaining("--require-2fa-for must be none, operator (operators and admins) or admin, got 'viewer'");
        assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--tls-cert", "/nope.pem").hubOptions.security())
                .hasMessageContaining("--tls-cert and --tls-key go together");
        assertThatThrownBy(() -> parse(Map.of(), new Properties(), "--login-limit-per-minute", "-1").hubOptions.security())
                .hasMessageContaining("--login-limit-per-minute must be between 0 (off) and 1000, got -1");
    }
}
