package dev.servmon.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SignalsTest {
    AlertKit kit;
    Receiver receiver;
    final Map<String, Long> rules = new HashMap<>();

    @BeforeEach
    void start() {
        kit = AlertKit.start();
        receiver = new Receiver();
        long hook = kit.webhook("ops", receiver.url("/hook"), null);
        for (JsonNode r : kit.admin.json(kit.admin.get("/api/v1/alert-rules"))) {
            rules.put(r.get("kind").asText(), r.get("id").asLong());
            kit.admin.put("/api/v1/alert-rules/" + r.get("id").asLong(), "{\"notifierIds\":[" + hook + "]}");
        }
    }

    @AfterEach
    void stop() {
        kit.hub.close();
        receiver.close();
    }

    Signals signals() {
        return kit.hub.hub().alerts().signals();
    }

    @Test
    void a_raised_signal_fires_its_built_in_rule_and_clearing_it_resolves() {
        var host = kit.host("app-1");
        host.report(10);
        signals().raise(SignalKind.PROGRAM_EXITED, host.id, "nginx", "exit code 137", Map.of("exitCode", 137));
        signals().raise(SignalKind.PROGRAM_EXITED, host.id, "nginx", "exit code 137 (again)", null);
        kit.engine().evaluateNow();
        JsonNode alert = kit.alerts(rules.get("program_exited")).get(0);
        assertThat(alert.get("state").asText()).isEqualTo("firing");
        assertThat(alert.get("subject").asText()).isEqualTo("nginx");
        assertThat(alert.get("detail").asText()).isEqualTo("exit code 137 (again)");
        JsonNode body = AlertKit.json(receiver.await(1, Duration.ofSeconds(10)).get(0).body());
        assertThat(body.get("subject").asText()).isEqualTo("nginx");
        assertThat(body.get("summary").asText()).contains("nginx on app-1");

        signals().clear(SignalKind.PROGRAM_EXITED, host.id, "nginx");
        kit.engine().evaluateNow();
        assertThat(kit.state(rules.get("program_exited"))).isEqualTo("resolved");
        receiver.await(2, Duration.ofSeconds(10));
    }

    @Test
    void a_check_behind_a_failing_check_is_held_and_the_engine_looks_at_once() {
        kit.hub.hub().alerts().dependencies().addSubjectDependency("check:api", "check:network");
        signals().raise(SignalKind.CHECK_FAILING, null, "check:network", "no route", null);
        signals().raise(SignalKind.CERT_EXPIRING, null, "check:api", "expires in 3 days", Map.of("daysLeft", 3));
        signals().raise(SignalKind.CHECK_FAILING, null, "check:api", "timeout", null);
        // raise() asks the engine to look now: no explicit evaluation here.
        JsonNode only = AlertKit.json(receiver.await(1, Duration.ofSeconds(10)).get(0).body());
        receiver.assertStays(1, Duration.ofMillis(500));
        assertThat(only.get("subject").asText()).isEqualTo("check:network");
        assertThat(only.get("host").isNull()).isTrue();
        JsonNode api = null;
        for (JsonNode a : kit.alerts(rules.get("check_failing"))) {
            if (a.get("subject").asText().equals("check:api")) {
                api = a;
            }
        }
        assertThat(api.get("suppressed").asText()).isEqualTo("held: check:network");
        assertThat(api.get("hostId").isNull()).isTrue();
        JsonNode cert = kit.alerts(rules.get("cert_expiring")).get(0);
        assertThat(cert.get("state").asText()).isEqualTo("firing");
        assertThat(cert.get("suppressed").asText()).isEqualTo("held: check:network");
    }
}
