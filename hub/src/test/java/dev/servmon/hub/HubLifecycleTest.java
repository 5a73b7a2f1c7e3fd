package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubLifecycleTest {
    @Test
    void a_port_in_use_is_reported_with_the_flag_to_change_and_nothing_is_left_running(@TempDir Path dir) throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var config = HubConfig.defaults(dir).withPorts("127.0.0.1", taken.getLocalPort(), "127.0.0.1", 0)
                    .withInitialAdminPassword(TestHub.ADMIN_PASSWORD);
            assertThatThrownBy(() -> Hub.start(config))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("--port");
        }
        // The failed start released the database and the ingest port: the same data dir starts cleanly.
        try (var hub = Hub.start(HubConfig.defaults(dir).withPorts("127.0.0.1", 0, "127.0.0.1", 0))) {
            assertThat(hub.generatedAdminPassword()).as("the admin from the failed start persists").isEmpty();
            assertThat(hub.port()).isPositive();
        }
    }

    @Test
    void a_short_admin_password_from_the_environment_is_refused_with_advice(@TempDir Path dir) {
        assertThatThrownBy(() -> Hub.start(HubConfig.defaults(dir).withPorts("127.0.0.1", 0, "127.0.0.1", 0).withInitialAdminPassword("short")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SERVMON_ADMIN_PASSWORD")
                .hasMessageContaining("at least 10 characters");
    }

    @Test
    void the_first_start_without_a_password_generates_one_once(@TempDir Path dir) {
        String generated;
        try (var hub = Hub.start(HubConfig.defaults(dir).withPorts("127.0.0.1", 0, "127.0.0.1", 0))) {
            generated = hub.generatedAdminPassword().orElseThrow();
            assertThat(generated).hasSize(20);
        }
        try (var again = Hub.start(HubConfig.defaults(dir).withPorts("127.0.0.1", 0, "127.0.0.1", 0))) {
            assertThat(again.generatedAdminPassword()).isEmpty();
        }
    }
}
