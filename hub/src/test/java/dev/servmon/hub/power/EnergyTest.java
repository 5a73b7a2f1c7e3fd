package dev.servmon.hub.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.MutableClock;
import dev.servmon.hub.Samples;
import dev.servmon.hub.TestHub;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The energy report over samples sent through the real ingest and rolled up by the real
 * maintenance pass: a known draw over known hours, a host with nominal watts instead of a
 * sensor, the configured price, day boundaries in a time zone, and the saving after a scheduled
 * shutdown.
 */
class EnergyTest {
    private static final int INTERVAL = 60;
    /** Monday 2026-03-23 00:00 UTC; Berlin is UTC+1 then. */
    private static final Instant MONDAY = Instant.parse("2026-03-23T00:00:00Z");
    static MutableClock clock;
    static TestHub hub;
    static long meter;
    static long plain;
    static long sleeper;

    @BeforeAll
    static void start() {
        clock = new MutableClock(MONDAY.toEpochMilli());
        hub = TestHub.start(cfg -> cfg.withClock(clock).withPower(cfg.power().withEnergy(0.25, "USD")));
        // meter: 200 W from Sunday 22:00 to Monday 04:00 UTC, one sample a minute: 6 h, 1.2 kWh.
        var m = hub.registerHost("meter");
        meter = m.get("id").asLong();
        send(m.get("key").asText(), Instant.parse("2026-03-22T22:00:00Z"), 360, 200.0);
        // plain: no sensor, 3 h ON on Monday 01:00–04:00 UTC; 50 W nominal.
        var p = hub.registerHost("plain");
        plain = p.get("id").asLong();
        send(p.get("key").asText(), Instant.parse("2026-03-23T01:00:00Z"), 180, null);
        // sleeper: 100 W from 08:00 to 10:00 (incl.), shut down by a schedule at 10:00, back at 14:00 for an hour.
        var s = hub.registerHost("sleeper");
        sleeper = s.get("id").asLong();
        send(s.get("key").asText(), Instant.parse("2026-03-23T08:00:00Z"), 121, 100.0);
        long seq = send(s.get("key").asText(), Instant.parse("2026-03-23T14:00:00Z"), 60, 100.0, 1000);
        assertThat(seq).isPositive();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static long send(String key, Instant first, int count, Double watts) {
        return send(key, first, count, watts, 0);
    }

    /** {@code count} samples a minute apart from {@code first}, seqs from {@code seq0 + 1}; returns the last seq. */
    private static long send(String key, Instant first, int count, Double watts, long seq0) {
        List<Sample> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Sample base = Samples.sample(seq0 + i + 1, first.toEpochMilli() + i * 60_000L);
            all.add(new Sample(base.seq(), base.atMs(), base.cpu(), base.memory(), base.filesystems(), base.network(), base.uptimeSeconds(),
                    0, watts));
        }
        for (int from = 0; from < all.size(); from += IngestBatch.MAX_SAMPLES) {
            var batch = new IngestBatch(ProtocolVersion.CURRENT, "test", INTERVAL, all.subList(from, Math.min(all.size(), from + IngestBatch.MAX_SAMPLES)));
            var r = hub.ingest(key, Samples.json(batch));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        return seq0 + count;
    }

    private static JsonNode report(String query) {
        var admin = hub.admin();
        var r = admin.get("/api/v1/energy?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return admin.json(r);
    }

    private static JsonNode host(JsonNode report, long id) {
        for (JsonNode h : report.get("hosts")) {
            if (h.get("hostId").asLong() == id) {
                return h;
            }
        }
        throw new AssertionError("host " + id + " not in " + report);
    }

    private static synchronized void settle() {
        if (clock.millis() < Instant.parse("2026-03-24T12:00:00Z").toEpochMilli()) {
            // The scheduled shutdown of sleeper at Monday 10:00 UTC, then a day later everything is rolled up.
            var admin = hub.admin();
            assertThat(admin.put("/api/v1/hosts/" + plain + "/energy", "{\"nominalWatts\":50}").statusCode()).isEqualTo(200);
            assertThat(admin.post("/api/v1/power/schedules", "{\"hostId\":" + sleeper + ",\"action\":\"shutdown\",\"days\":[\"MON\"],"
                    + "\"time\":\"10:00\",\"timeZone\":\"UTC\"}").statusCode()).isEqualTo(201);
            clock.advance(Duration.ofMillis(Instant.parse("2026-03-23T10:00:05Z").toEpochMilli() - clock.millis()));
            assertThat(hub.hub().powerPolicy().scheduleRunner().runOnce()).isEqualTo(1);
            clock.advance(Duration.ofMillis(Instant.parse("2026-03-24T12:00:00Z").toEpochMilli() - clock.millis()));
            while (hub.hub().maintenance().runOnce().minutesRolledUp() > 0) {
                // until every minute is rolled up
            }
        }
    }

    @Test
    void a_known_draw_over_known_hours_gives_its_kwh_and_cost() {
        settle();
        JsonNode r = report("from=2026-03-22&to=2026-03-23&tz=UTC&host=" + meter);
        JsonNode m = host(r, meter);
        assertThat(m.get("kwh").asDouble()).isCloseTo(1.2, Percentage.withPercentage(1));
        assertThat(m.get("hoursOn").asDouble()).isCloseTo(6.0, Percentage.withPercentage(1));
        assertThat(m.get("cost").asDouble()).isCloseTo(1.2 * 0.25, Percentage.withPercentage(1));
        assertThat(m.get("averageWatts").asDouble()).isCloseTo(200.0, within(0.01));
        assertThat(r.get("currency").asText()).isEqualTo("USD");
        assertThat(r.get("pricePerKwh").asDouble()).isEqualTo(0.25);
        assertThat(m.get("days").findValuesAsText("source")).containsOnly("sensor");
    }

    @Test
    void days_split_at_midnight_of_the_requested_time_zone() {
        settle();
        // UTC: Sunday 22:00–24:00 (2 h) and Monday 00:00–04:00 (4 h).
        JsonNode utc = host(report("from=2026-03-22&to=2026-03-23&tz=UTC&host=" + meter), meter).get("days");
        assertThat(utc.findValuesAsText("date")).containsExactly("2026-03-22", "2026-03-23");
        assertThat(utc.get(0).get("kwh").asDouble()).isCloseTo(0.4, Percentage.withPercentage(1));
        assertThat(utc.get(1).get("kwh").asDouble()).isCloseTo(0.8, Percentage.withPercentage(1));
        // Berlin (UTC+1): Sunday 23:00–24:00 (1 h) and Monday 00:00–05:00 (5 h).
        JsonNode berlin = host(report("from=2026-03-22&to=2026-03-23&tz=Europe/Berlin&host=" + meter), meter).get("days");
        assertThat(berlin.get(0).get("kwh").asDouble()).isCloseTo(0.2, Percentage.withPercentage(1));
        assertThat(berlin.get(1).get("kwh").asDouble()).isCloseTo(1.0, Percentage.withPercentage(1));
        assertThat(berlin.get(1).get("hoursOn").asDouble()).isCloseTo(5.0, Percentage.withPercentage(1));
    }

    @Test
    void a_host_without_a_sensor_counts_its_nominal_watts_while_on() {
        settle();
        JsonNode p = host(report("from=2026-03-23&to=2026-03-23&tz=UTC"), plain);
        assertThat(p.get("nominalWatts").asDouble()).isEqualTo(50.0);
        assertThat(p.get("hoursOn").asDouble()).isCloseTo(3.0, Percentage.withPercentage(1));
        assertThat(p.get("kwh").asDouble()).isCloseTo(0.15, Percentage.withPercentage(1));
        assertThat(p.get("days").get(0).get("source").asText()).isEqualTo("nominal");
        assertThat(p.get("saved").get("shutdowns").asInt()).isZero();
    }

    @Test
    void a_policy_shutdown_is_credited_with_the_off_time_at_the_hosts_draw() {
        settle();
        JsonNode r = report("from=2026-03-23&to=2026-03-23&tz=UTC");
        JsonNode saved = host(r, sleeper).get("saved");
        // Last sample 10:00, next 14:00: OFF from 10:01 to 14:00 = 239 minutes at 100 W.
        assertThat(saved.get("shutdowns").asInt()).isEqualTo(1);
        assertThat(saved.get("hoursOff").asDouble()).isCloseTo(239 / 60.0, within(1e-9));
        assertThat(saved.get("kwh").asDouble()).isCloseTo(239 / 60.0 * 0.1, Percentage.withPercentage(1));
        assertThat(saved.get("cost").asDouble()).isCloseTo(239 / 60.0 * 0.1 * 0.25, Percentage.withPercentage(1));
        JsonNode totals = r.get("totals");
        assertThat(totals.get("savedKwh").asDouble()).isCloseTo(saved.get("kwh").asDouble(), within(1e-9));
        // Monday in UTC: meter 0.8 + plain 0.15 + sleeper (2 h + one minute, then 1 h at 100 W).
        assertThat(totals.get("kwh").asDouble()).isCloseTo(0.8 + 0.15 + (121 + 60) / 60.0 * 0.1, Percentage.withPercentage(1));
    }

    @Test
    void bad_periods_and_nominal_watts_are_refused_with_a_reason() {
        var admin = hub.admin();
        assertThat(admin.get("/api/v1/energy?from=yesterday").body()).contains("YYYY-MM-DD");
        assertThat(admin.get("/api/v1/energy?from=2026-03-23&to=2026-03-01").body()).contains("after from");
        assertThat(admin.get("/api/v1/energy?tz=Nowhere/Land").body()).contains("IANA");
        assertThat(admin.put("/api/v1/hosts/" + plain + "/energy", "{\"nominalWatts\":-5}").statusCode()).isEqualTo(400);
    }
}
