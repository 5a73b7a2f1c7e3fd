package dev.servmon.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.hosts.Liveness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HostOffAlertTest {
    AlertKit kit;
    Receiver receiver;

    @BeforeEach
    void start() {
        kit = AlertKit.start();
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        kit.hub.close();
        receiver.close();
    }

    long hostOffRule(long notifier) {
        JsonNode rules = kit.admin.json(kit.admin.get("/api/v1/alert-rules"));
        for (JsonNode r : rules) {
            if (r.get("kind").asText().equals("host_off")) {
                long id = r.get("id").asLong();
                assertThat(kit.admin.put("/api/v1/alert-rules/" + id, "{\"notifierIds\":[" + notifier + "]}").statusCode()).isEqualTo(200);
                return id;
            }
        }
        throw new AssertionError("no built-in host_off rule in " + rules);
    }

    @Test
    void a_host_that_stops_reporting_fires_host_off_within_three_intervals_plus_grace_plus_one_evaluation_period() {
        long hook = kit.webhook("ops", receiver.url("/hook"), null);
        long rule = hostOffRule(hook);
        var db = kit.host("db-1");
        db.report(10);
        long lastReport = kit.clock.millis();
        kit.engine().evaluateNow();

        long bound = Liveness.MISSED_INTERVALS * 10_000L + 5_000 + AlertSettings.DEFAULT_EVALUATE_EVERY.toMillis();
        long firedAt = -1;
        // The engine is driven as its thread drives it: a tick every second of (test) time.
        for (long t = 1_000; t <= bound; t += 1_000) {
            kit.clock.advance(Duration.ofSeconds(1));
            kit.engine().tick();
            if (kit.state(rule).equals("firing")) {
                firedAt = kit.clock.millis();
                break;
            }
        }
        assertThat(firedAt).as("fired within %d ms", bound).isPositive();
        long latency = firedAt - lastReport;
        assertThat(latency).isLessThanOrEqualTo(bound);
        // It fires as soon as the host is OFF, not at the next periodic pass.
        assertThat(latency).isEqualTo(36_000);
        JsonNode body = AlertKit.json(receiver.await(1, Duration.ofSeconds(10)).get(0).body());
        assertThat(body.get("host").get("name").asText()).isEqualTo("db-1");
        assertThat(body.get("summary").asText()).contains("db-1 has not reported for 36");

        db.report(10);
        kit.clock.advance(Duration.ofMillis(200));
        kit.engine().tick();
        assertThat(kit.state(rule)).as("a report resolves it without waiting for a full pass").isEqualTo("resolved");
        receiver.await(2, Duration.ofSeconds(10));
    }

    @Test
    void a_host_that_never_reported_raises_nothing() {
        long rule = hostOffRule(kit.webhook("ops", receiver.url("/hook"), null));
        kit.host("empty");
        kit.clock.advance(Duration.ofHours(1));
        kit.engine().evaluateNow();
        assertThat(kit.alerts(rule)).isEmpty();
    }
}
