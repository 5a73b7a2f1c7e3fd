package dev.servmon.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CaFileOptionTest {
    @Test
    void ca_file_comes_from_the_flag_the_environment_or_the_file_as_an_absolute_path() throws Exception {
        var fromFlag = AgentArgs.parse(new String[] {"--hub", "https://hub:8081", "--ca-file", "certs/hub-ca.pem"}, Map.of(), new Properties());
        assertThat(fromFlag.caFile()).isEqualTo(Path.of("certs/hub-ca.pem").toAbsolutePath());
        var fromEnv = AgentArgs.parse(new String[] {"--hub", "https://hub:8081"}, Map.of("SERVMON_CA_FILE", "/etc/servmon/hub-ca.pem"), new Properties());
        assertThat(fromEnv.caFile()).isEqualTo(Path.of("/etc/servmon/hub-ca.pem"));
        Properties file = new Properties();
        file.setProperty("ca-file", "/srv/ca.pem");
        assertThat(AgentArgs.parse(new String[] {"--hub", "https://hub:8081"}, Map.of(), file).caFile()).isEqualTo(Path.of("/srv/ca.pem"));
        assertThat(AgentArgs.parse(new String[] {"--hub", "https://hub:8081"}, Map.of(), new Properties()).caFile()).isNull();
    }

    @Test
    void install_writes_the_ca_file_into_the_service_config_as_an_absolute_path() throws Exception {
        var parsed = AgentArgs.parse(new String[] {"--install", "--hub", "https://hub:8081", "--ca-file", "hub-ca.pem"}, Map.of(), new Properties());
        assertThat(parsed.tuning()).containsEntry("ca-file", Path.of("hub-ca.pem").toAbsolutePath().toString());
    }

    @Test
    void help_lists_the_option_and_its_environment_variable() {
        assertThat(AgentArgs.usage()).contains("--ca-file FILE").contains("SERVMON_CA_FILE");
    }
}
