package dev.servmon.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DependencyTest {
    AlertKit kit;
    Receiver receiver;
    long rule;

    @BeforeEach
    void start() {
        kit = AlertKit.start();
        receiver = new Receiver();
        long hook = kit.webhook("ops", receiver.url("/hook"), null);
        for (JsonNode r : kit.admin.json(kit.admin.get("/api/v1/alert-rules"))) {
            if (r.get("kind").asText().equals("host_off")) {
                rule = r.get("id").asLong();
                kit.admin.put("/api/v1/alert-rules/" + rule, "{\"notifierIds\":[" + hook + "]}");
            }
        }
    }

    @AfterEach
    void stop() {
        kit.hub.close();
        receiver.close();
    }

    void dependsOn(AlertKit.Host child, AlertKit.Host parent) {
        var r = kit.admin.put("/api/v1/hosts/" + child.id + "/dependencies", "{\"parentIds\":[" + parent.id + "]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    void tickFor(Duration d) {
        for (long t = 0; t < d.toMillis(); t += 1_000) {
            kit.clock.advance(Duration.ofSeconds(1));
            kit.engine().tick();
        }
    }

    @Test
    void a_switch_going_off_with_its_three_hosts_sends_one_notification_naming_them() {
        var sw = kit.host("switch");
        var a = kit.host("a");
        var b = kit.host("b");
        var c = kit.host("c");
        for (var child : List.of(a, b, c)) {
            dependsOn(child, sw);
            child.report(10);
        }
        // The switch's last report came after its hosts' last ones: they go OFF first.
        kit.clock.advance(Duration.ofSeconds(2));
        sw.report(10);
        kit.engine().evaluateNow();

        tickFor(Duration.ofSeconds(60));
        JsonNode alerts = kit.alerts(rule);
        assertThat(alerts).hasSize(4);
        for (JsonNode alert : alerts) {
            assertThat(alert.get("state").asText()).isEqualTo("firing");
            if (!alert.get("hostName").asText().equals("switch")) {
                assertThat(alert.get("suppressed").asText()).isEqualTo("held: switch");
            }
        }
        List<Receiver.Request> got = receiver.await(1, Duration.ofSeconds(10));
        receiver.assertStays(1, Duration.ofMillis(500));
        JsonNode body = AlertKit.json(got.get(0).body());
        assertThat(body.get("host").get("name").asText()).isEqualTo("switch");
        assertThat(body.get("held")).extracting(JsonNode::asText).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(body.get("summary").asText()).contains("3 hosts that depend on it are down too");

        // The switch comes back, one host behind it does not: now that host is told about.
        sw.report(10);
        a.report(10);
        b.report(10);
        kit.engine().evaluateNow();
        List<Receiver.Request> after = receiver.await(3, Duration.ofSeconds(10));
        receiver.assertStays(3, Duration.ofMillis(300));
        assertThat(after.subList(1, 3).stream().map(r -> AlertKit.json(r.body()))
                .map(j -> j.get("event").asText() + " " + j.get("host").get("name").asText()))
                .containsExactlyInAnyOrder("resolved switch", "firing c");
    }

    @Test
    void a_host_behind_a_healthy_parent_is_told_about_once_the_parent_proved_alive() {
        var sw = kit.host("switch");
        var a = kit.host("a");
        dependsOn(a, sw);
        a.report(10);
        sw.report(10);
        kit.engine().evaluateNow();
        for (int i = 0; i < 3; i++) {
            kit.clock.advance(Duration.ofSeconds(10));
            sw.report(10);
            kit.engine().evaluateNow();
        }
        // a is OFF after 35 s; the switch had until a's next report (10 s) plus its own window to fail too.
        kit.clock.advance(Duration.ofSeconds(6));
        kit.engine().evaluateNow();
        JsonNode alert = kit.alerts(rule).get(0);
        assertThat(alert.get("hostName").asText()).isEqualTo("a");
        assertThat(alert.get("suppressed").asText()).isEqualTo("waiting for switch");
        receiver.assertStays(0, Duration.ofMillis(200));
        for (int i = 0; i < 2; i++) {
            kit.clock.advance(Duration.ofSeconds(5));
            sw.report(10);
            kit.engine().evaluateNow();
        }
        JsonNode body = AlertKit.json(receiver.await(1, Duration.ofSeconds(10)).get(0).body());
        assertThat(body.get("host").get("name").asText()).isEqualTo("a");
    }

    @Test
    void dependencies_are_validated() {
        var a = kit.host("a");
        var b = kit.host("b");
        dependsOn(a, b);
        var cycle = kit.admin.put("/api/v1/hosts/" + b.id + "/dependencies", "{\"parentIds\":[" + a.id + "]}");
        assertThat(cycle.statusCode()).isEqualTo(400);
        assertThat(cycle.body()).contains("depend on itself");
        assertThat(kit.admin.put("/api/v1/hosts/" + a.id + "/dependencies", "{\"parentIds\":[" + a.id + "]}").statusCode()).isEqualTo(400);
        assertThat(kit.admin.put("/api/v1/hosts/" + a.id + "/dependencies", "{\"parentIds\":[9999]}").statusCode()).isEqualTo(400);
        assertThat(kit.admin.get("/api/v1/hosts/9999/dependencies").statusCode()).isEqualTo(404);
        assertThat(kit.admin.json(kit.admin.get("/api/v1/hosts/" + a.id + "/dependencies")).get("parentIds").get(0).asLong()).isEqualTo(b.id);
    }
}
