package dev.servmon.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.MutableClock;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.storage.DbConfig;
import dev.servmon.hub.storage.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hubs on one PostgreSQL database: an alert is evaluated and sent once, by the leader,
 * wherever the report arrived or the rule was changed.
 */
class AlertReplicasTest {
    @TempDir
    Path dir;

    @Test
    void reports_and_rule_changes_on_the_follower_reach_the_leaders_engine_at_once_and_each_notification_goes_out_once() {
        DbConfig db = TestPostgres.freshDatabase(dir);
        var clock = new MutableClock(1_800_000_000_000L);
        try (TestHub first = TestHub.start(cfg -> cfg.withDatabase(db).withClock(clock));
             TestHub second = TestHub.start(cfg -> cfg.withDatabase(db).withClock(clock));
             Receiver receiver = new Receiver()) {
            assertThat(first.hub().leadership().isLeader()).as("the first hub up leads").isTrue();
            assertThat(second.hub().leadership().isLeader()).isFalse();
            var follower = new AlertKit(clock, second);
            long hook = follower.webhook("ops", receiver.url("/hook"), null);
            long rule = follower.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"notifierIds\":[" + hook + "]}");
            var web = follower.host("web-1");

            long sent = System.nanoTime();
            web.report(97);
            receiver.await(1, Duration.ofSeconds(10));
            Duration took = Duration.ofNanos(receiver.requests().get(0).receivedAtNanos() - sent);
            assertThat(took).as("well before the next full pass (15 s)").isLessThan(Duration.ofSeconds(5));
            assertThat(follower.state(rule)).isEqualTo("firing");
            receiver.assertStays(1, Duration.ofMillis(1_500));

            // The clock stands still, so the leader has no full pass due: only the word from the
            // follower that the rule changed makes it look again.
            assertThat(follower.admin.put("/api/v1/alert-rules/" + rule, "{\"enabled\":false}").statusCode()).isEqualTo(200);
            receiver.await(2, Duration.ofSeconds(5));
            assertThat(AlertKit.json(receiver.requests().get(1).body()).get("event").asText()).isEqualTo("resolved");
            assertThat(follower.state(rule)).isEqualTo("resolved");
            receiver.assertStays(2, Duration.ofMillis(500));
        }
    }

    @Test
    void a_report_on_the_follower_after_one_on_the_leader_is_judged_by_its_own_values_not_those_the_leader_kept() {
        DbConfig db = TestPostgres.freshDatabase(dir);
        var clock = new MutableClock(1_800_000_000_000L);
        try (TestHub first = TestHub.start(cfg -> cfg.withDatabase(db).withClock(clock));
             TestHub second = TestHub.start(cfg -> cfg.withDatabase(db).withClock(clock));
             Receiver receiver = new Receiver()) {
            assertThat(first.hub().leadership().isLeader()).as("the first hub up leads").isTrue();
            var leader = new AlertKit(clock, first);
            long hook = leader.webhook("ops", receiver.url("/hook"), null);
            long rule = leader.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"notifierIds\":[" + hook + "]}");
            var web = leader.host("web-1");

            // The leader keeps the values of this report, which it parsed itself.
            web.report(50);
            leader.engine().tick();
            assertThat(leader.state(rule)).isEqualTo("none");

            // The next report reaches the follower; the leader hears of it and must read it from the database.
            var r = second.ingest(web.key, dev.servmon.hub.Samples.cpuBatch(++web.seq, clock.millis(), 97));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            receiver.await(1, Duration.ofSeconds(10));
            assertThat(leader.state(rule)).isEqualTo("firing");
            assertThat(leader.alerts(rule).get(0).get("value").asDouble()).isEqualTo(97.0);
        }
    }
}
