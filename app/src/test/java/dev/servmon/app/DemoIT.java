package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code servmon demo} as a user runs it: prints URL and login, and this machine's card turns ON. */
class DemoIT {
    @Test
    void the_demo_prints_url_and_login_and_this_machine_reports_within_15_seconds(@TempDir Path data) throws Exception {
        long started = System.nanoTime();
        try (var demo = ServmonProcess.start("demo", "--port", "0", "--data", data.toString())) {
            var url = demo.awaitStdout("dashboard: (http://\\S+/)", Duration.ofSeconds(30)).group(1);
            var password = demo.awaitStdout("login: +admin / (\\S+)", Duration.ofSeconds(5)).group(1);
            var http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            var json = new ObjectMapper();
            var login = http.send(HttpRequest.newBuilder(URI.create(url + "api/v1/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            String status = "";
            while (System.nanoTime() - started < Duration.ofSeconds(15).toNanos()) {
                var hosts = json.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "api/v1/hosts")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertThat(hosts.size()).isEqualTo(1);
                status = hosts.get(0).get("status").asText();
                if (status.equals("ON")) {
                    break;
                }
                Thread.sleep(250);
            }
            assertThat(status).as("this machine's card within 15 s of start").isEqualTo("ON");
            assertThat(demo.stop(Duration.ofSeconds(15))).isIn(0, 143);
            assertThat(demo.stderr()).contains("hub stopped");
        }
        // A second run of the same data dir shows the same login again and re-registers nothing.
        try (var again = ServmonProcess.start("demo", "--port", "0", "--data", data.toString())) {
            again.awaitStdout("login: +admin / \\S+", Duration.ofSeconds(30));
            assertThat(again.stdout()).doesNotContain("(set at first start");
        }
    }
}
