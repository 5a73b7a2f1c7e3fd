package dev.servmon.hub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.TestHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

public class HealthHandlerTest {
    /** {@code GET <baseUrl>/healthz} without credentials; fails unless it answers 200; returns the body. */
    public static String health(String baseUrl) {
        try {
            var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/healthz"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void both_ports_answer_healthz_without_login_and_a_hub_on_sqlite_is_the_leader() {
        try (TestHub hub = TestHub.start()) {
            for (String url : new String[] {hub.apiUrl(), hub.ingestUrl()}) {
                assertThat(health(url)).startsWith("{\"status\":\"ok\",\"role\":\"leader\",\"version\":\"")
                        .endsWith("\"database\":\"sqlite\"}");
            }
            assertThat(hub.hub().leadership().isLeader()).isTrue();
        }
    }
}
