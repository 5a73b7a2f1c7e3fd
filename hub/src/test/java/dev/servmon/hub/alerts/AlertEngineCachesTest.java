package dev.servmon.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Passes over reported hosts work with what the engine keeps between passes (the values of each
 * host's newest sample, the settings of the last full pass): edits and new reports must show
 * at once. The clock stands still throughout, so no full pass falls due by itself.
 */
class AlertEngineCachesTest {
    AlertKit kit;

    @BeforeEach
    void start() {
        kit = AlertKit.start();
    }

    @AfterEach
    void stop() {
        kit.hub.close();
    }

    @Test
    void each_report_is_tested_with_its_own_values() {
        long rule = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\"}");
        var web = kit.host("web-1");
        web.report(50);
        kit.engine().tick();
        assertThat(kit.state(rule)).isEqualTo("none");

        web.report(95);
        kit.engine().tick();
        assertThat(kit.state(rule)).isEqualTo("firing");
        assertThat(kit.alerts(rule).get(0).get("value").asDouble()).isEqualTo(95.0);

        web.report(10);
        kit.engine().tick();
        assertThat(kit.state(rule)).isEqualTo("resolved");
    }

    @Test
    void a_rule_edited_between_two_reports_judges_the_next_report() {
        long rule = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\"}");
        var web = kit.host("web-1");
        web.report(80);
        kit.engine().tick();
        assertThat(kit.state(rule)).isEqualTo("none");

        assertThat(kit.admin.put("/api/v1/alert-rules/" + rule, "{\"condition\":\"cpuPercent > 70\"}").statusCode()).isEqualTo(200);
        web.report(80);
        kit.engine().tick();
        assertThat(kit.state(rule)).isEqualTo("firing");

        assertThat(kit.admin.put("/api/v1/alert-rules/" + rule, "{\"enabled\":false}").statusCode()).isEqualTo(200);
        web.report(80);
        kit.engine().tick();
        assertThat(kit.state(rule)).isEqualTo("resolved");
    }

    @Test
    void a_new_rule_on_another_metric_tests_the_newest_sample_already_stored() {
        long cpu = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\"}");
        var web = kit.host("web-1");
        web.report(50);
        kit.engine().tick();
        assertThat(kit.state(cpu)).isEqualTo("none");

        // The engine kept only cpuPercent of that sample; the new rule needs memPercent of the same one.
        long mem = kit.rule("{\"name\":\"Memory in use\",\"condition\":\"memPercent > 1\"}");
        kit.engine().tick();
        assertThat(kit.state(mem)).isEqualTo("firing");
        assertThat(kit.state(cpu)).isEqualTo("none");
    }

    @Test
    void a_silence_made_between_two_reports_holds_the_alert_they_fire() {
        long rule = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\"}");
        var web = kit.host("web-1");
        web.report(50);
        kit.engine().tick();

        long now = kit.clock.millis();
        var r = kit.admin.post("/api/v1/silences", "{\"hostId\":" + web.id + ",\"startsAtMs\":" + now + ",\"endsAtMs\":" + (now + 3_600_000)
                + ",\"comment\":\"upgrade\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        web.report(95);
        kit.engine().tick();
        assertThat(kit.state(rule)).isEqualTo("firing");
        assertThat(kit.alerts(rule).get(0).get("suppressed").asText()).isEqualTo("silenced");
    }
}
