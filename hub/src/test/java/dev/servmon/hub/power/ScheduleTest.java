package dev.servmon.hub.power;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.MutableClock;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.control.Command;
import dev.servmon.hub.control.CommandState;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Power schedules against a real hub on a hand-moved clock: weekdays and times in
 * Europe/Berlin (including both changes of clocks), exactly one firing per occurrence even with
 * two evaluators on one database, the command stored in the host's history through the real
 * command channel (queued for the offline agent), and maintenance windows protecting hosts from
 * scheduled shutdowns but not from wakes.
 */
class ScheduleTest {
    /** Sunday 2026-03-22 12:00 UTC; Berlin is on CET (UTC+1) until Sunday 2026-03-29 02:00. */
    private static final Instant START = Instant.parse("2026-03-22T12:00:00Z");

    MutableClock clock;
    TestHub hub;

    @BeforeEach
    void start() {
        clock = new MutableClock(START.toEpochMilli());
        hub = TestHub.start(clock);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private void at(String utc) {
        long target = Instant.parse(utc).toEpochMilli();
        assertThat(target).as("the test clock only moves forward").isGreaterThanOrEqualTo(clock.millis());
        clock.advance(Duration.ofMillis(target - clock.millis()));
    }

    private long host(String name) {
        return hub.registerHost(name).get("id").asLong();
    }

    private JsonNode create(String body) {
        var admin = hub.admin();
        var r = admin.post("/api/v1/power/schedules", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return admin.json(r);
    }

    private List<Command> history(long hostId) {
        return hub.hub().commands().history(hostId, Long.MAX_VALUE, 50);
    }

    private int run() {
        return hub.hub().powerPolicy().scheduleRunner().runOnce();
    }

    @Test
    void a_weekday_schedule_fires_once_at_its_local_time_and_queues_the_command_for_the_offline_agent() {
        long web = host("web-1");
        JsonNode s = create("{\"hostId\":" + web + ",\"action\":\"shutdown\",\"days\":[\"MON\",\"WED\"],\"time\":\"07:30\","
                + "\"timeZone\":\"Europe/Berlin\"}");
        long id = s.get("id").asLong();
        // Next: Monday 07:30 CET = 06:30 UTC.
        assertThat(s.get("nextRunAtMs").asLong()).isEqualTo(Instant.parse("2026-03-23T06:30:00Z").toEpochMilli());

        at("2026-03-23T06:29:50Z");
        assertThat(run()).isZero();
        assertThat(history(web)).isEmpty();

        at("2026-03-23T06:30:10Z");
        assertThat(run()).isEqualTo(1);
        assertThat(run()).isZero();
        at("2026-03-23T06:31:00Z");
        assertThat(run()).isZero();

        List<Command> commands = history(web);
        assertThat(commands).hasSize(1);
        Command c = commands.get(0);
        assertThat(c.type()).isEqualTo("power.shutdown");
        assertThat(c.state()).isEqualTo(CommandState.QUEUED);
        assertThat(c.requestedBy()).isEqualTo("schedule #" + id);
        assertThat(c.expiresAtMs() - c.createdAtMs()).isEqualTo(PowerActions.COMMAND_EXPIRY.toMillis());

        // Tuesday is not a day of the schedule; Wednesday is.
        at("2026-03-24T06:30:10Z");
        assertThat(run()).isZero();
        at("2026-03-25T06:30:10Z");
        assertThat(run()).isEqualTo(1);
        assertThat(history(web)).hasSize(2);

        var admin = hub.admin();
        JsonNode listed = admin.json(admin.get("/api/v1/power/schedules?host=" + web)).get(0);
        assertThat(listed.get("lastRunAtMs").asLong()).isEqualTo(Instant.parse("2026-03-25T06:30:00Z").toEpochMilli());
        assertThat(listed.get("lastOutcome").asText()).startsWith("acted: power.shutdown queued");
        assertThat(admin.json(admin.get("/api/v1/hosts/" + web + "/power-decisions")).get(0).get("outcome").asText()).isEqualTo("acted");
    }

    @Test
    void occurrences_follow_berlin_time_across_both_changes_of_clocks() {
        long gap = host("gap");
        long morning = host("morning");
        create("{\"hostId\":" + gap + ",\"action\":\"suspend\",\"days\":[\"SUN\"],\"time\":\"02:30\",\"timeZone\":\"Europe/Berlin\"}");
        create("{\"hostId\":" + morning + ",\"action\":\"shutdown\",\"days\":[\"SUN\"],\"time\":\"08:00\",\"timeZone\":\"Europe/Berlin\"}");

        // 2026-03-29: 02:00 CET jumps to 03:00 CEST. 02:30 does not exist: it fires at 03:30 CEST = 01:30 UTC.
        at("2026-03-29T01:29:00Z");
        assertThat(run()).isZero();
        at("2026-03-29T01:30:05Z");
        assertThat(run()).isEqualTo(1);
        assertThat(history(gap)).extracting(Command::type).containsExactly("power.suspend");
        // 08:00 CEST is 06:00 UTC that day (a week earlier it would have been 07:00 UTC).
        at("2026-03-29T05:59:00Z");
        assertThat(run()).isZero();
        at("2026-03-29T06:00:05Z");
        assertThat(run()).isEqualTo(1);
        assertThat(history(morning)).hasSize(1);

        // Weeks later: the occurrences the hub slept through are recorded as missed.
        at("2026-10-24T12:00:00Z");
        assertThat(run()).isEqualTo(2);
        // 2026-10-25: 03:00 CEST goes back to 02:00 CET, so 02:30 happens twice; the schedule fires at the first only.
        at("2026-10-25T00:29:00Z");
        assertThat(run()).isZero();
        int before = history(gap).size();
        at("2026-10-25T00:30:05Z"); // 02:30 CEST
        assertThat(run()).isEqualTo(1);
        at("2026-10-25T01:30:05Z"); // 02:30 CET, the second time
        assertThat(run()).isZero();
        assertThat(history(gap)).hasSize(before + 1);
    }

    @Test
    void two_evaluators_on_one_database_fire_each_occurrence_once() throws Exception {
        long db = host("db-1");
        create("{\"hostId\":" + db + ",\"action\":\"shutdown\",\"days\":[\"MON\"],\"time\":\"22:00\",\"timeZone\":\"Europe/Berlin\"}");
        ScheduleRunner leader = hub.hub().powerPolicy().scheduleRunner();
        ScheduleRunner next = hub.hub().powerPolicy().scheduleRunner();
        at("2026-03-23T21:00:01Z");
        var pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> both = List.of(leader::runOnce, next::runOnce);
            int claimed = 0;
            for (var f : pool.invokeAll(both)) {
                claimed += f.get();
            }
            assertThat(claimed).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        // The new leader, after a fail-over a minute later, does not fire the occurrence again.
        at("2026-03-23T21:01:00Z");
        assertThat(next.runOnce()).isZero();
        assertThat(history(db)).hasSize(1);
    }

    @Test
    void a_schedule_made_after_todays_time_waits_and_a_late_hub_records_a_miss() {
        long app = host("app-1");
        // Created Sunday 12:00 UTC for Sunday 09:00 Berlin: that occurrence is past and never fires.
        long id = create("{\"hostId\":" + app + ",\"action\":\"shutdown\",\"days\":[\"SUN\"],\"time\":\"09:00\","
                + "\"timeZone\":\"Europe/Berlin\"}").get("id").asLong();
        assertThat(run()).isZero();
        // Next Sunday the hub was down at 09:00 and evaluates at 11:00: recorded as missed, not fired late.
        at("2026-03-29T09:00:00Z");
        assertThat(run()).isEqualTo(1);
        assertThat(history(app)).isEmpty();
        assertThat(hub.hub().powerPolicy().scheduleRunner().runOnce()).isZero();
        var admin = hub.admin();
        JsonNode s = admin.json(admin.get("/api/v1/power/schedules")).get(0);
        assertThat(s.get("id").asLong()).isEqualTo(id);
        assertThat(s.get("lastOutcome").asText()).startsWith("missed");
    }

    @Test
    void in_a_maintenance_window_a_scheduled_shutdown_is_skipped_with_its_reason_but_a_wake_runs() throws IOException {
        long nas = host("nas");
        var admin = hub.admin();
        long off;
        try (var nic = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertThat(admin.put("/api/v1/hosts/" + nas + "/wol", "{\"mac\":\"52:54:00:12:ab:cd\",\"broadcast\":\"127.0.0.1\",\"port\":"
                    + nic.getLocalPort() + "}").statusCode()).isEqualTo(200);
            assertThat(admin.post("/api/v1/maintenance-windows", "{\"name\":\"backup\",\"scope\":{\"kind\":\"hosts\",\"hostIds\":[" + nas
                    + "]},\"days\":[\"MON\"],\"startTime\":\"20:00\",\"durationMinutes\":240,\"timeZone\":\"Europe/Berlin\"}").statusCode())
                    .isEqualTo(201);
            off = create("{\"hostId\":" + nas + ",\"action\":\"shutdown\",\"days\":[\"MON\"],\"time\":\"21:00\","
                    + "\"timeZone\":\"Europe/Berlin\"}").get("id").asLong();
            create("{\"hostId\":" + nas + ",\"action\":\"wake\",\"days\":[\"MON\"],\"time\":\"21:00\",\"timeZone\":\"Europe/Berlin\"}");

            at("2026-03-23T20:00:10Z");
            assertThat(run()).isEqualTo(2);
            nic.setSoTimeout(5_000);
            var packet = new java.net.DatagramPacket(new byte[200], 200);
            nic.receive(packet);
            assertThat(packet.getLength()).isEqualTo(102);
        }
        List<Command> commands = history(nas);
        Command shutdown = commands.stream().filter(c -> c.type().equals("power.shutdown")).findFirst().orElseThrow();
        assertThat(shutdown.state()).isEqualTo(CommandState.REFUSED);
        assertThat(shutdown.requestedBy()).isEqualTo("schedule #" + off);
        assertThat(shutdown.message()).contains("maintenance window");
        Command wake = commands.stream().filter(c -> c.type().equals(Wakes.WAKE)).findFirst().orElseThrow();
        assertThat(wake.state()).isEqualTo(CommandState.ACKED);
        admin = hub.admin(); // the clock moved past the session's idle timeout
        JsonNode decisions = admin.json(admin.get("/api/v1/hosts/" + nas + "/power-decisions"));
        assertThat(decisions.findValuesAsText("outcome")).as(decisions.toString()).containsExactlyInAnyOrder("skipped", "acted");
    }

    @Test
    void bad_schedules_are_refused_with_a_reason_and_viewers_cannot_write() {
        long web = host("web-2");
        var admin = hub.admin();
        assertThat(admin.post("/api/v1/power/schedules", "{\"hostId\":" + web + ",\"action\":\"explode\",\"days\":[\"MON\"],"
                + "\"time\":\"07:00\",\"timeZone\":\"UTC\"}").body()).contains("wake, shutdown or suspend");
        assertThat(admin.post("/api/v1/power/schedules", "{\"hostId\":" + web + ",\"action\":\"wake\",\"days\":[\"MON\"],"
                + "\"time\":\"7 am\",\"timeZone\":\"UTC\"}").body()).contains("HH:MM");
        assertThat(admin.post("/api/v1/power/schedules", "{\"hostId\":" + web + ",\"action\":\"wake\",\"days\":[\"MON\"],"
                + "\"time\":\"07:00\",\"timeZone\":\"Mars/Olympus\"}").body()).contains("IANA");
        assertThat(admin.post("/api/v1/power/schedules", "{\"action\":\"wake\",\"days\":[\"MON\"],\"time\":\"07:00\",\"timeZone\":\"UTC\"}")
                .body()).contains("neither");
        long id = create("{\"tag\":\"lab\",\"action\":\"wake\",\"days\":[\"MON\"],\"time\":\"07:00\",\"timeZone\":\"UTC\"}").get("id").asLong();
        var r = admin.put("/api/v1/power/schedules/" + id, "{\"tag\":\"lab\",\"action\":\"wake\",\"days\":[\"TUE\"],\"time\":\"08:15\","
                + "\"timeZone\":\"UTC\",\"enabled\":false}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(admin.json(r).get("days").get(0).asText()).isEqualTo("TUE");
        assertThat(admin.json(r).get("enabled").asBoolean()).isFalse();
        hub.addUser("viewer", "viewer");
        var viewer = hub.signIn("viewer", TestHub.USER_PASSWORD);
        assertThat(viewer.get("/api/v1/power/schedules").statusCode()).isEqualTo(200);
        assertThat(viewer.delete("/api/v1/power/schedules/" + id).statusCode()).isEqualTo(403);
        assertThat(admin.delete("/api/v1/power/schedules/" + id).statusCode()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/power/schedules/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void on_postgresql_schedules_fire_once_and_the_policy_and_energy_routes_work() {
        try (TestHub pg = TestHub.startPostgres(clock)) {
            long web = pg.registerHost("pg-web").get("id").asLong();
            var admin = pg.admin();
            var r = admin.post("/api/v1/power/schedules", "{\"hostId\":" + web + ",\"action\":\"shutdown\",\"days\":[\"MON\"],"
                    + "\"time\":\"07:30\",\"timeZone\":\"Europe/Berlin\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            at("2026-03-23T06:30:10Z");
            ScheduleRunner a = pg.hub().powerPolicy().scheduleRunner();
            ScheduleRunner b = pg.hub().powerPolicy().scheduleRunner();
            assertThat(a.runOnce() + b.runOnce()).isEqualTo(1);
            assertThat(pg.hub().commands().history(web, Long.MAX_VALUE, 10)).extracting(Command::requestedBy)
                    .containsExactly("schedule #" + admin.json(r).get("id").asLong());
            admin = pg.admin();
            assertThat(admin.json(admin.get("/api/v1/hosts/" + web + "/power-decisions")).get(0).get("outcome").asText()).isEqualTo("acted");
            var p = admin.put("/api/v1/hosts/" + web + "/idle-policy", "{\"enabled\":true,\"cpuBelowPercent\":5,\"noUsersMinutes\":30,"
                    + "\"protectedFrom\":\"22:00\",\"protectedTo\":\"06:00\",\"timeZone\":\"UTC\"}");
            assertThat(p.statusCode()).as(p.body()).isEqualTo(200);
            assertThat(pg.hub().powerPolicy().idleEvaluator().runOnce()).isZero();
            assertThat(admin.put("/api/v1/hosts/" + web + "/energy", "{\"nominalWatts\":40}").statusCode()).isEqualTo(200);
            var e = admin.get("/api/v1/energy?host=" + web);
            assertThat(e.statusCode()).as(e.body()).isEqualTo(200);
            assertThat(admin.json(e).get("hosts").get(0).get("nominalWatts").asDouble()).isEqualTo(40.0);
        }
    }
}
