package dev.servmon.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static MaintenanceWindow recurring(Set<DayOfWeek> days, String start, int minutes) {
        return new MaintenanceWindow(1, "w", Scope.ALL, null, null, days, LocalTime.parse(start), minutes, BERLIN, "t", 0);
    }

    static boolean at(MaintenanceWindow w, String instant) {
        return w.covers(Instant.parse(instant));
    }

    @Test
    void a_weekday_window_follows_local_time_in_winter_and_summer() {
        var w = recurring(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "09:00", 30);
        assertThat(at(w, "2026-01-14T07:59:59Z")).isFalse();
        assertThat(at(w, "2026-01-14T08:00:00Z")).as("09:00 CET, a Wednesday").isTrue();
        assertThat(at(w, "2026-01-14T08:29:59Z")).isTrue();
        assertThat(at(w, "2026-01-14T08:30:00Z")).isFalse();
        assertThat(at(w, "2026-07-15T07:10:00Z")).as("09:10 CEST").isTrue();
        assertThat(at(w, "2026-07-15T08:10:00Z")).isFalse();
        assertThat(at(w, "2026-01-17T08:10:00Z")).as("Saturday").isFalse();
    }

    @Test
    void a_start_time_skipped_by_the_spring_change_opens_after_the_gap() {
        // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST; 02:30 does not exist that day.
        var w = recurring(EnumSet.allOf(DayOfWeek.class), "02:30", 60);
        assertThat(at(w, "2026-03-29T01:29:59Z")).isFalse();
        assertThat(at(w, "2026-03-29T01:30:00Z")).as("03:30 CEST").isTrue();
        assertThat(at(w, "2026-03-29T02:29:59Z")).isTrue();
        assertThat(at(w, "2026-03-29T02:30:00Z")).isFalse();
        assertThat(at(w, "2026-03-30T00:30:00Z")).as("02:30 CEST the next day").isTrue();
        assertThat(at(w, "2026-03-28T01:30:00Z")).as("02:30 CET the day before").isTrue();
    }

    @Test
    void a_window_across_the_autumn_change_lasts_its_elapsed_duration() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; a 4-hour window from 23:00 ends at 02:00 CET, not 03:00.
        var w = recurring(EnumSet.of(DayOfWeek.SATURDAY), "23:00", 240);
        assertThat(at(w, "2026-10-24T20:59:59Z")).isFalse();
        assertThat(at(w, "2026-10-24T21:00:00Z")).isTrue();
        assertThat(at(w, "2026-10-25T00:59:59Z")).isTrue();
        assertThat(at(w, "2026-10-25T01:00:00Z")).isFalse();
        assertThat(w.endOfOccurrence(Instant.parse("2026-10-24T22:00:00Z"))).isEqualTo(Instant.parse("2026-10-25T01:00:00Z"));
    }

    @Test
    void one_off_windows_and_scopes() {
        var w = new MaintenanceWindow(1, "w", new Scope(Scope.Kind.HOSTS, List.of(7L), null), 1_000L, 2_000L, null, null, null, null, "t", 0);
        assertThat(w.covers(Instant.ofEpochMilli(999))).isFalse();
        assertThat(w.covers(Instant.ofEpochMilli(1_000))).isTrue();
        assertThat(w.covers(Instant.ofEpochMilli(2_000))).isFalse();
        assertThat(w.scope().covers(7, HostGroups.NONE)).isTrue();
        assertThat(w.scope().covers(8, HostGroups.NONE)).isFalse();
        assertThat(new Scope(Scope.Kind.TAG, null, "rack-1").covers(8, tag -> Set.of(8L))).isTrue();
    }

    @Test
    void a_window_silences_a_firing_rule_which_notifies_when_the_window_ends() {
        var kit = AlertKit.start();
        try (var receiver = new Receiver()) {
            var web = kit.host("web-1");
            var other = kit.host("other");
            long hook = kit.webhook("ops", receiver.url("/hook"), null);
            long rule = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"notifierIds\":[" + hook + "]}");
            long now = kit.clock.millis();
            JsonNode window = kit.create("/api/v1/maintenance-windows", "{\"name\":\"patching\",\"scope\":{\"kind\":\"hosts\",\"hostIds\":["
                    + web.id + "]},\"startsAtMs\":" + now + ",\"endsAtMs\":" + (now + 120_000) + "}");
            assertThat(window.get("activeNow").asBoolean()).isTrue();
            var windows = kit.hub.hub().alerts().maintenanceWindows();
            assertThat(windows.isInMaintenance(web.id, Instant.ofEpochMilli(now))).isTrue();
            assertThat(windows.isInMaintenance(other.id, Instant.ofEpochMilli(now))).isFalse();

            web.report(99);
            kit.engine().evaluateNow();
            JsonNode alert = kit.alerts(rule).get(0);
            assertThat(alert.get("state").asText()).isEqualTo("firing");
            assertThat(alert.get("inMaintenance").asBoolean()).isTrue();
            kit.run(90, 30, 99, web);
            receiver.assertStays(0, Duration.ofMillis(300));

            kit.run(30, 30, 99, web);
            assertThat(windows.isInMaintenance(web.id, Instant.ofEpochMilli(kit.clock.millis()))).isFalse();
            receiver.await(1, Duration.ofSeconds(10));
            assertThat(kit.alerts(rule).get(0).get("inMaintenance").asBoolean()).isFalse();
        } finally {
            kit.hub.close();
        }
    }

    @Test
    void a_window_edited_to_end_early_lets_its_firing_alerts_notify_at_once() {
        var kit = AlertKit.start();
        try (var receiver = new Receiver()) {
            var web = kit.host("web-1");
            long hook = kit.webhook("ops", receiver.url("/hook"), null);
            kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"notifierIds\":[" + hook + "]}");
            long now = kit.clock.millis();
            long id = kit.create("/api/v1/maintenance-windows", "{\"name\":\"patching\",\"startsAtMs\":" + now + ",\"endsAtMs\":"
                    + (now + 3_600_000) + "}").get("id").asLong();
            web.report(99);
            kit.engine().evaluateNow();
            receiver.assertStays(0, Duration.ofMillis(300));

            var edited = kit.admin.put("/api/v1/maintenance-windows/" + id, "{\"name\":\"patching (done)\",\"startsAtMs\":"
                    + (now - 60_000) + ",\"endsAtMs\":" + now + "}");
            assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
            JsonNode w = kit.admin.json(edited);
            assertThat(w.get("name").asText()).isEqualTo("patching (done)");
            assertThat(w.get("activeNow").asBoolean()).isFalse();
            assertThat(w.get("createdBy").asText()).isEqualTo("admin");
            kit.engine().evaluateNow();
            receiver.await(1, Duration.ofSeconds(10));

            assertThat(kit.admin.put("/api/v1/maintenance-windows/" + id, "{\"name\":\"x\"}").body()).contains("either one-off");
            assertThat(kit.admin.put("/api/v1/maintenance-windows/999999", "{\"name\":\"x\",\"startsAtMs\":" + now + ",\"endsAtMs\":"
                    + (now + 1) + "}").statusCode()).isEqualTo(404);
            assertThat(kit.admin.json(kit.admin.get("/api/v1/maintenance-windows")).get(0).get("name").asText()).isEqualTo("patching (done)");
        } finally {
            kit.hub.close();
        }
    }

    @Test
    void windows_are_validated() {
        var kit = AlertKit.start();
        try {
            var admin = kit.admin;
            assertThat(admin.post("/api/v1/maintenance-windows", "{\"name\":\"x\"}").body()).contains("either one-off");
            assertThat(admin.post("/api/v1/maintenance-windows", "{\"name\":\"x\",\"days\":[\"FUNDAY\"],\"startTime\":\"02:00\","
                    + "\"durationMinutes\":60,\"timeZone\":\"UTC\"}").body()).contains("not a day of the week");
            assertThat(admin.post("/api/v1/maintenance-windows", "{\"name\":\"x\",\"days\":[\"SUN\"],\"startTime\":\"2am\","
                    + "\"durationMinutes\":60,\"timeZone\":\"UTC\"}").statusCode()).isEqualTo(400);
            assertThat(admin.post("/api/v1/maintenance-windows", "{\"name\":\"x\",\"days\":[\"SUN\"],\"startTime\":\"02:00\","
                    + "\"durationMinutes\":60,\"timeZone\":\"Mars/Olympus\"}").body()).contains("timeZone");
            JsonNode ok = kit.create("/api/v1/maintenance-windows", "{\"name\":\"weekly\",\"days\":[\"sat\",\"SUN\"],\"startTime\":\"02:00\","
                    + "\"durationMinutes\":90,\"timeZone\":\"Europe/Berlin\"}");
            assertThat(ok.get("days")).extracting(JsonNode::asText).containsExactly("SAT", "SUN");
            assertThat(admin.delete("/api/v1/maintenance-windows/" + ok.get("id").asLong()).statusCode()).isEqualTo(204);
            assertThat(admin.delete("/api/v1/maintenance-windows/" + ok.get("id").asLong()).statusCode()).isEqualTo(404);
        } finally {
            kit.hub.close();
        }
    }
}
