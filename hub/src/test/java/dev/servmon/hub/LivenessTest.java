package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.hosts.HostStatus;
import dev.servmon.hub.hosts.Liveness;
import dev.servmon.hub.hosts.LivenessWatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LivenessTest {
    final Liveness liveness = new Liveness(5_000);

    @Test
    void a_host_that_never_reported_is_empty() {
        assertThat(liveness.status(null, null, 1_000_000)).isEqualTo(HostStatus.EMPTY);
    }

    @Test
    void a_host_is_on_until_three_intervals_plus_grace_have_passed_then_off() {
        long seen = 1_000_000;
        assertThat(liveness.status(seen, 10, seen)).isEqualTo(HostStatus.ON);
        assertThat(liveness.status(seen, 10, seen + 35_000)).isEqualTo(HostStatus.ON);
        assertThat(liveness.status(seen, 10, seen + 35_001)).isEqualTo(HostStatus.OFF);
        assertThat(liveness.status(seen, 1, seen + 8_000)).isEqualTo(HostStatus.ON);
        assertThat(liveness.status(seen, 1, seen + 8_001)).isEqualTo(HostStatus.OFF);
        assertThat(liveness.offAtMs(seen, 10)).isEqualTo(seen + 35_001);
    }

    @Test
    void the_watcher_reports_each_transition_once_as_time_passes() {
        var clock = new MutableClock(1_000_000);
        List<Long> changed = new ArrayList<>();
        var watcher = new LivenessWatcher(liveness, clock, changed::add);
        watcher.track(1, clock.millis(), 10);
        watcher.track(2, null, null);
        assertThat(watcher.tick()).isZero();
        clock.advance(Duration.ofSeconds(35));
        assertThat(watcher.tick()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(watcher.tick()).isEqualTo(1);
        assertThat(watcher.tick()).isZero();
        assertThat(changed).containsExactly(1L);
        // A new report brings it back; the report path publishes that itself.
        watcher.track(1, clock.millis(), 10);
        assertThat(watcher.tick()).isZero();
        watcher.forget(1);
        clock.advance(Duration.ofHours(1));
        assertThat(watcher.tick()).isZero();
    }

    @Test
    void the_api_shows_empty_then_on_then_off_as_the_clock_moves() {
        var clock = new MutableClock(System.currentTimeMillis());
        try (var hub = TestHub.start(clock)) {
            var host = hub.registerHost("clocked");
            long id = host.get("id").asLong();
            var admin = hub.admin();
            assertThat(admin.json(admin.get("/api/v1/hosts/" + id)).get("status").asText()).isEqualTo("EMPTY");
            assertThat(hub.ingest(host.get("key").asText(), Samples.batch(clock.millis(), 1)).statusCode()).isEqualTo(200);
            assertThat(admin.json(admin.get("/api/v1/hosts/" + id)).get("status").asText()).isEqualTo("ON");
            clock.advance(Duration.ofSeconds(36));
            assertThat(admin.json(admin.get("/api/v1/hosts/" + id)).get("status").asText()).isEqualTo("OFF");
            assertThat(hub.ingest(host.get("key").asText(), Samples.batch(clock.millis(), 2)).statusCode()).isEqualTo(200);
            assertThat(admin.json(admin.get("/api/v1/hosts/" + id)).get("status").asText()).isEqualTo("ON");
        }
    }
}
