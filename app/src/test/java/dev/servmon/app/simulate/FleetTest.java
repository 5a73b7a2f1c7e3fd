package dev.servmon.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.hub.TestHub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet simulator against a real hub in this JVM. */
class FleetTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void a_fleet_stops_at_max_reports_every_acknowledged_sample_is_stored_and_registration_problems_say_what_to_do(@TempDir Path dir) throws Exception {
        try (TestHub hub = TestHub.start()) {
            var keys = HostKeys.register(URI.create(hub.apiUrl()), "admin", TestHub.ADMIN_PASSWORD, List.of("f-1", "f-2", "f-3"), QUIET);
            var stats = new FleetStats();
            Path acked = dir.resolve("acked.txt");
            try (var log = new AckedLog(acked)) {
                new Fleet(keys, new Fleet.Settings(URI.create(hub.ingestUrl()), 1, Duration.ofSeconds(60), 7, 4, 2, 1), stats, log).run();
            }
            assertThat(stats.sent.sum()).isEqualTo(7);
            assertThat(stats.acked.sum()).isEqualTo(7);
            assertThat(stats.errorCount()).isZero();
            assertThat(stats.latency.snapshot().count()).isEqualTo(7);
            List<String> lines = Files.readAllLines(acked);
            assertThat(lines).hasSize(7);
            var admin = hub.admin();
            for (var host : admin.json(admin.get("/api/v1/hosts"))) {
                String name = host.get("name").asText();
                List<Long> stored = hub.hub().samples().seqs(host.get("id").asLong());
                List<Long> logged = lines.stream().filter(l -> l.startsWith(name + " ")).map(l -> Long.parseLong(l.split(" ")[1])).sorted().toList();
                assertThat(stored).as(name).isEqualTo(logged).isNotEmpty();
                var full = admin.json(admin.get("/api/v1/hosts/" + host.get("id").asLong()));
                assertThat(full.path("inventory").path("hostname").asText()).as("the first report carries the inventory").isEqualTo(name);
            }
            assertThat(stats.summary(3, 1, 4, 2.5)).contains("7 reports sent, 7 acked", "errors        0");

            URI api = URI.create(hub.apiUrl());
            assertThatThrownBy(() -> HostKeys.register(api, "admin", "wrong-password", List.of("a"), QUIET))
                    .hasMessageContaining("signing in to " + api + " as 'admin' failed (401")
                    .hasMessageContaining("--admin-password-env");
            assertThatThrownBy(() -> HostKeys.register(api, "admin", TestHub.ADMIN_PASSWORD, List.of("free", "f-2"), QUIET))
                    .hasMessageContaining("already has a host named 'f-2'")
                    .hasMessageContaining("--keys file of the run that registered it");
        }
    }

    @Test
    void reports_to_a_closed_port_are_counted_by_kind_and_the_run_ends_on_time() throws Exception {
        int closedPort;
        try (var s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        var stats = new FleetStats();
        long t0 = System.nanoTime();
        new Fleet(List.of(new HostKeys.HostKey("x-1", "smk_x"), new HostKeys.HostKey("x-2", "smk_y")),
                new Fleet.Settings(URI.create("http://127.0.0.1:" + closedPort), 1, Duration.ofSeconds(2), 0, 4, 2, 1), stats, null).run();
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
        assertThat(stats.acked.sum()).isZero();
        assertThat(stats.errorsByKind()).containsOnlyKeys("connection refused");
        assertThat(stats.errorsByKind().get("connection refused")).isEqualTo(stats.sent.sum()).isBetween(3L, 5L);
        assertThat(stats.summary(2, 1, 4, 2)).contains("errors        " + stats.sent.sum() + ": connection refused " + stats.sent.sum());
    }
}
