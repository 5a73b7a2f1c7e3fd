package dev.servmon.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoopbackTest {
    @Test
    void loopback_urls_are_accepted() {
        assertThat(Loopback.require("--hub", "http://127.0.0.1:8081").getPort()).isEqualTo(8081);
        assertThat(Loopback.require("--hub", "http://127.1.2.3:8081/").getHost()).isEqualTo("127.1.2.3");
        assertThat(Loopback.require("--hub", "http://[::1]:8081").getHost()).isEqualTo("[::1]");
        assertThat(Loopback.require("--api-url", "http://localhost:8080").getHost()).isEqualTo("localhost");
    }

    @Test
    void other_hosts_are_refused_with_a_message_that_says_why() {
        assertThatThrownBy(() -> Loopback.require("--hub", "http://10.1.2.3:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--hub must point at this machine")
                .hasMessageContaining("10.1.2.3")
                .hasMessageContaining("load tests");
        assertThatThrownBy(() -> Loopback.require("--api-url", "http://0.0.0.0:8080")).hasMessageContaining("--api-url must point at this machine");
        assertThatThrownBy(() -> Loopback.require("--hub", "ftp://127.0.0.1/")).hasMessageContaining("must be an http:// URL");
        assertThatThrownBy(() -> Loopback.require("--hub", "127.0.0.1:8081")).hasMessageContaining("must be an http:// URL");
    }
}
