package dev.servmon.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    AlertKit kit;
    Receiver receiver;

    /** The hub the scenarios run on: SQLite here, PostgreSQL in {@link PostgresAlertLifecycleTest}. */
    AlertKit startKit() {
        return AlertKit.start();
    }

    @BeforeEach
    void start() {
        kit = startKit();
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        kit.hub.close();
        receiver.close();
    }

    JsonNode body(int i) {
        return AlertKit.json(receiver.requests().get(i).body());
    }

    @Test
    void an_alert_is_pending_then_fires_after_its_duration_and_resolves_only_past_the_recovery_threshold() {
        var web = kit.host("web-1");
        long hook = kit.webhook("ops", receiver.url("/hook"), null);
        long rule = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90 for 5m recover 80\",\"notifierIds\":[" + hook + "]}");

        web.report(50);
        kit.engine().evaluateNow();
        assertThat(kit.state(rule)).isEqualTo("none");

        web.report(95);
        kit.engine().evaluateNow();
        assertThat(kit.state(rule)).isEqualTo("pending");
        kit.run(270, 30, 95, web);
        assertThat(kit.state(rule)).as("4.5 min of 5").isEqualTo("pending");
        assertThat(receiver.requests()).isEmpty();
        kit.run(30, 30, 95, web);
        assertThat(kit.state(rule)).isEqualTo("firing");
        receiver.await(1, WAIT);
        assertThat(body(0).get("event").asText()).isEqualTo("firing");
        assertThat(body(0).get("value").asDouble()).isEqualTo(95.0);

        kit.run(60, 30, 85, web);
        assertThat(kit.state(rule)).as("85 is below 90 but above the recovery threshold 80").isEqualTo("firing");
        kit.run(30, 30, 75, web);
        assertThat(kit.state(rule)).isEqualTo("resolved");
        receiver.await(2, WAIT);
        assertThat(body(1).get("event").asText()).isEqualTo("resolved");
        assertThat(body(1).get("endsAt").isNull()).isFalse();
        receiver.assertStays(2, Duration.ofMillis(300));
    }

    @Test
    void a_pending_alert_that_stops_holding_before_its_duration_leaves_no_trace() {
        var web = kit.host("web-1");
        long rule = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"forSeconds\":120}");
        web.report(95);
        kit.engine().evaluateNow();
        assertThat(kit.state(rule)).isEqualTo("pending");
        kit.run(60, 30, 10, web);
        assertThat(kit.alerts(rule)).isEmpty();
    }

    @Test
    void a_silence_keeps_a_firing_alert_quiet_and_it_notifies_once_the_silence_is_gone() {
        var web = kit.host("web-1");
        long hook = kit.webhook("ops", receiver.url("/hook"), null);
        long rule = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"notifierIds\":[" + hook + "]}");
        long silence = kit.create("/api/v1/silences", "{\"ruleId\":" + rule + ",\"hostId\":" + web.id
                + ",\"durationMinutes\":60,\"comment\":\"load test\"}").get("id").asLong();

        web.report(99);
        kit.engine().evaluateNow();
        JsonNode alert = kit.alerts(rule).get(0);
        assertThat(alert.get("state").asText()).isEqualTo("firing");
        assertThat(alert.get("suppressed").asText()).isEqualTo("silenced");
        kit.hub.hub().alerts().dispatcher().runDue();
        receiver.assertStays(0, Duration.ofMillis(300));

        assertThat(kit.admin.delete("/api/v1/silences/" + silence).statusCode()).isEqualTo(204);
        kit.engine().evaluateNow();
        receiver.await(1, WAIT);
        assertThat(kit.alerts(rule).get(0).get("suppressed").isNull()).isTrue();
    }

    @Test
    void a_silence_ends_by_itself_at_its_end_time() {
        var web = kit.host("web-1");
        long hook = kit.webhook("ops", receiver.url("/hook"), null);
        long rule = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"notifierIds\":[" + hook + "]}");
        kit.create("/api/v1/silences", "{\"hostId\":" + web.id + ",\"durationMinutes\":2}");
        web.report(99);
        kit.engine().evaluateNow();
        kit.run(90, 30, 99, web);
        receiver.assertStays(0, Duration.ofMillis(200));
        kit.run(30, 30, 99, web);
        receiver.await(1, WAIT);
        assertThat(kit.state(rule)).isEqualTo("firing");
    }

    @Test
    void repeats_go_out_until_the_alert_is_acknowledged_with_a_comment() {
        var web = kit.host("web-1");
        long hook = kit.webhook("ops", receiver.url("/hook"), null);
        long rule = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"repeatMinutes\":2,\"notifierIds\":[" + hook + "]}");
        web.report(99);
        kit.engine().evaluateNow();
        receiver.await(1, WAIT);
        kit.run(120, 30, 99, web);
        receiver.await(2, WAIT);

        long id = kit.alerts(rule).get(0).get("id").asLong();
        var ack = kit.admin.post("/api/v1/alerts/" + id + "/ack", "{\"comment\":\"looking into it\"}");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(kit.admin.json(ack).get("ackedBy").asText()).isEqualTo("admin");
        assertThat(kit.admin.json(ack).get("ackedComment").asText()).isEqualTo("looking into it");
        kit.run(300, 30, 99, web);
        receiver.assertStays(2, Duration.ofMillis(300));
        assertThat(kit.alerts(rule).get(0).get("suppressed").asText()).isEqualTo("acknowledged");
        assertThat(kit.admin.post("/api/v1/alerts/999999/ack", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void disabling_or_deleting_a_rule_resolves_its_open_alerts_and_tells_the_notifiers() {
        var web = kit.host("web-1");
        long hook = kit.webhook("ops", receiver.url("/hook"), null);
        long disabled = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"notifierIds\":[" + hook + "]}");
        long deleted = kit.rule("{\"name\":\"CPU warm\",\"condition\":\"cpuPercent > 80\",\"notifierIds\":[" + hook + "]}");
        web.report(95);
        kit.engine().evaluateNow();
        receiver.await(2, WAIT);

        assertThat(kit.admin.put("/api/v1/alert-rules/" + disabled, "{\"enabled\":false}").statusCode()).isEqualTo(200);
        assertThat(kit.admin.delete("/api/v1/alert-rules/" + deleted).statusCode()).isEqualTo(204);
        kit.engine().evaluateNow();
        assertThat(kit.state(disabled)).isEqualTo("resolved");
        assertThat(kit.state(deleted)).as("the history of a deleted rule stays").isEqualTo("resolved");
        assertThat(kit.alerts(deleted).get(0).get("ruleName").asText()).isEqualTo("CPU warm");
        receiver.await(4, WAIT);
        for (int i = 2; i < 4; i++) {
            assertThat(body(i).get("event").asText()).isEqualTo("resolved");
            assertThat(body(i).get("summary").asText()).contains("the rule was disabled or deleted");
        }
        assertThat(java.util.List.of(body(2).get("rule").get("name").asText(), body(3).get("rule").get("name").asText()))
                .containsExactlyInAnyOrder("CPU hot", "CPU warm");

        web.report(95);
        kit.engine().evaluateNow();
        receiver.assertStays(4, Duration.ofMillis(300));
        assertThat(kit.admin.delete("/api/v1/alert-rules/" + deleted).statusCode()).isEqualTo(404);
    }

    @Test
    void history_filters_by_state_host_and_time_and_the_summary_counts_states() {
        var a = kit.host("a");
        var b = kit.host("b");
        long rule = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent >= 90\"}");
        long t0 = kit.clock.millis();
        a.report(95);
        b.report(95);
        kit.engine().evaluateNow();
        kit.run(30, 30, 10, a);
        b.report(95);
        kit.engine().evaluateNow();
        var admin = kit.admin;
        assertThat(admin.json(admin.get("/api/v1/alerts?state=resolved")).size()).isEqualTo(1);
        assertThat(admin.json(admin.get("/api/v1/alerts?state=firing&host=" + b.id)).size()).isEqualTo(1);
        assertThat(admin.json(admin.get("/api/v1/alerts?host=" + a.id + "&from=" + t0 + "&to=" + (t0 + 1))).size()).isEqualTo(1);
        assertThat(admin.json(admin.get("/api/v1/alerts?to=" + (t0 - 1))).size()).isZero();
        JsonNode summary = admin.json(admin.get("/api/v1/alerts/summary"));
        assertThat(summary.get("firing").asLong()).isEqualTo(1);
        assertThat(summary.get("resolved").asLong()).isEqualTo(1);
        assertThat(admin.get("/api/v1/alerts?state=burning").statusCode()).isEqualTo(400);
        assertThat(admin.get("/api/v1/alerts?from=yesterday").statusCode()).isEqualTo(400);
        assertThat(rule).isPositive();
    }

    @Test
    void rules_are_validated_with_problem_details_and_built_ins_cannot_be_deleted() {
        var admin = kit.admin;
        assertThat(admin.post("/api/v1/alert-rules", "{\"name\":\"x\",\"condition\":\"cpuPercent >> 90\"}").body()).contains("unknown operator");
        assertThat(admin.post("/api/v1/alert-rules", "{\"name\":\"x\",\"condition\":\"nosuch > 1\"}").body()).contains("unknown metric");
        assertThat(admin.post("/api/v1/alert-rules", "{\"name\":\"x\",\"condition\":\"cpuPercent > 90 recover 95\"}").statusCode()).isEqualTo(400);
        assertThat(admin.post("/api/v1/alert-rules", "{\"name\":\"x\",\"condition\":\"cpuPercent > 90\",\"notifierIds\":[42]}").body())
                .contains("no notifier with id 42");
        assertThat(admin.post("/api/v1/alert-rules", "{\"condition\":\"cpuPercent > 90\"}").statusCode()).isEqualTo(400);
        assertThat(admin.post("/api/v1/alert-rules", "not json").statusCode()).isEqualTo(400);
        JsonNode rules = admin.json(admin.get("/api/v1/alert-rules"));
        assertThat(rules.findValuesAsText("kind")).contains("host_off", "disk_full", "check_failing", "cert_expiring", "program_exited",
                "program_gave_up");
        long builtin = rules.get(0).get("id").asLong();
        assertThat(admin.delete("/api/v1/alert-rules/" + builtin).statusCode()).isEqualTo(409);
        assertThat(admin.put("/api/v1/alert-rules/" + builtin, "{\"enabled\":false}").statusCode()).isEqualTo(200);
        long id = kit.rule("{\"name\":\"mem\",\"condition\":\"memPercent > 80\",\"forSeconds\":60}");
        JsonNode updated = admin.json(admin.put("/api/v1/alert-rules/" + id, "{\"condition\":\"memPercent > 85\"}"));
        assertThat(updated.get("threshold").asDouble()).isEqualTo(85);
        assertThat(updated.get("forSeconds").asLong()).isEqualTo(60);
        assertThat(admin.delete("/api/v1/alert-rules/" + id).statusCode()).isEqualTo(204);
        assertThat(admin.get("/api/v1/alert-rules/" + id).statusCode()).isEqualTo(404);
        assertThat(kit.hub.anonymous().get("/api/v1/alert-rules").statusCode()).isEqualTo(401);
    }
}
