package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The metrics endpoints over HTTP, on a real hub whose clock the test moves. */
class MetricsApiTest {
    static final long HOUR = 3_600_000L;
    static final long T = System.currentTimeMillis() / HOUR * HOUR - 2 * HOUR;
    static MutableClock clock;
    static TestHub hub;
    static TestHub.Client admin;
    static long host;

    @BeforeAll
    static void start() {
        clock = new MutableClock(T);
        hub = TestHub.start(clock);
        admin = hub.admin();
        JsonNode h = hub.registerHost("charts");
        host = h.get("id").asLong();
        // An hour of samples every 10 s; cpu climbs 0, 1, 2, … so averages are easy to check.
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 360; i++) {
            samples.add(sample(i + 1, T + i * 10_000L, i % 100));
        }
        clock.advance(Duration.ofMinutes(61));
        for (int i = 0; i < samples.size(); i += 120) {
            var r = hub.ingest(h.get("key").asText(), Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10, samples.subList(i, i + 120))));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    static Sample sample(long seq, long atMs, double cpu) {
        var base = Samples.sample(seq, atMs);
        return new Sample(seq, atMs, new Sample.Cpu(cpu, List.of(cpu, cpu), 0.5, 0.4, 0.3), base.memory(), base.filesystems(),
                base.network(), base.uptimeSeconds(), base.usersLoggedIn(), base.powerWatts());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    JsonNode ok(String path) {
        var r = admin.get(path);
        assertThat(r.statusCode()).as(path + " → " + r.body()).isEqualTo(200);
        return admin.json(r);
    }

    @Test
    void a_chart_query_answers_aligned_series_for_the_names_asked() {
        JsonNode r = ok("/api/v1/hosts/" + host + "/metrics?names=cpu,net_rx:*&names=mem_used&from=" + T + "&to=" + (T + 10 * 60_000) + "&step=60");

        // A 1-minute step is the 1m tier; minutes not rolled up yet are computed from raw.
        assertThat(r.get("resolution").asText()).isEqualTo("1m");
        assertThat(r.get("stepMs").asLong()).isEqualTo(60_000);
        assertThat(r.get("timestamps")).hasSize(10);
        assertThat(r.get("timestamps").get(0).asLong()).isEqualTo(T);
        List<String> names = new ArrayList<>();
        r.get("series").forEach(s -> names.add(s.get("name").asText()));
        assertThat(names).containsExactly("cpu", "net_rx:eth0", "net_rx:lo", "mem_used");
        JsonNode cpu = r.get("series").get(0);
        assertThat(cpu.get("unit").asText()).isEqualTo("percent");
        assertThat(cpu.get("avg").get(0).asDouble()).isEqualTo(2.5); // 0..5
        assertThat(cpu.get("min").get(1).asDouble()).isEqualTo(6);
        assertThat(cpu.get("max").get(1).asDouble()).isEqualTo(11);
        assertThat(r.get("series").get(3).get("avg").get(9).asLong()).isEqualTo(3L << 30);
    }

    @Test
    void an_automatic_step_is_never_finer_than_the_hosts_interval() {
        JsonNode r = ok("/api/v1/hosts/" + host + "/metrics?names=cpu&from=" + T + "&to=" + (T + HOUR));
        assertThat(r.get("resolution").asText()).isEqualTo("raw");
        assertThat(r.get("stepMs").asLong()).isEqualTo(10_000);
        assertThat(r.get("timestamps")).hasSize(360);
        assertThat(r.get("series").get(0).get("avg").get(359).asDouble()).isEqualTo(59);
    }

    @Test
    void a_long_range_is_answered_from_rollups_with_at_most_2000_points() {
        hub.hub().maintenance().runOnce();

        JsonNode week = ok("/api/v1/hosts/" + host + "/metrics?names=cpu&from=-7d");
        assertThat(week.get("resolution").asText()).isEqualTo("1m");
        assertThat(week.get("timestamps").size()).isLessThanOrEqualTo(2_001);
        JsonNode year = ok("/api/v1/hosts/" + host + "/metrics?names=cpu&from=-365d");
        assertThat(year.get("resolution").asText()).isEqualTo("1h");
        assertThat(year.get("timestamps").size()).isLessThanOrEqualTo(2_001);
        double sum = 0;
        int points = 0;
        for (JsonNode v : year.get("series").get(0).get("avg")) {
            if (!v.isNull()) {
                sum += v.asDouble();
                points++;
            }
        }
        assertThat(points).isEqualTo(1);
        // 0..99 three times, then 0..59
        assertThat(sum).as("the hour's average").isCloseTo((300 * 49.5 + 60 * 29.5) / 360, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void the_history_table_pages_newest_first_by_default() {
        JsonNode p = ok("/api/v1/hosts/" + host + "/history?from=" + T + "&to=" + (T + HOUR) + "&page=1&size=100");
        assertThat(p.get("total").asLong()).isEqualTo(360);
        assertThat(p.get("sort").asText()).isEqualTo("desc");
        assertThat(p.get("rows")).hasSize(100);
        assertThat(p.get("rows").get(0).get("seq").asLong()).isEqualTo(260);
        assertThat(p.get("rows").get(0).get("values").get("cpu").asDouble()).isEqualTo(59);
        assertThat(p.get("columns").get(0).asText()).isEqualTo("cpu");
        JsonNode asc = ok("/api/v1/hosts/" + host + "/history?from=" + T + "&to=" + (T + HOUR) + "&sort=asc&size=2&names=load1");
        assertThat(asc.get("rows").get(0).get("seq").asLong()).isEqualTo(1);
        assertThat(asc.get("columns")).hasSize(1);
    }

    @Test
    void the_catalogue_and_a_hosts_series_are_listed() {
        JsonNode catalog = ok("/api/v1/metrics");
        assertThat(catalog.findValuesAsText("name")).contains("cpu", "cpu_core", "load1", "mem_used", "fs_used", "disk_read", "net_rx", "temp", "power_watts", "users");
        JsonNode series = ok("/api/v1/hosts/" + host + "/series");
        List<String> names = new ArrayList<>();
        series.forEach(n -> names.add(n.asText()));
        assertThat(names).contains("cpu", "cpu_core:0", "fs_used:/data", "net_tx:eth0");
    }

    @Test
    void bad_parameters_are_400_problems_that_say_what_to_send() {
        String base = "/api/v1/hosts/" + host;
        String[][] cases = {
                {base + "/metrics", "names is required"},
                {base + "/metrics?names=cpu,bogus", "unknown metric 'bogus'"},
                {base + "/metrics?names=cpu&from=yesterday", "from must be epoch milliseconds"},
                {base + "/metrics?names=cpu&from=2000&to=1000", "from must be before to"},
                {base + "/metrics?names=cpu&step=0", "step must be between 1s and 366d"},
                {base + "/metrics?names=cpu&step=fast", "step must be seconds"},
                {base + "/history?page=-1", "page must be an integer between 0"},
                {base + "/history?size=100000", "size must be an integer between 1 and 1000"},
                {base + "/history?sort=sideways", "sort must be asc or desc"},
                {"/api/v1/hosts/abc/metrics?names=cpu", "host id must be a positive integer"},
        };
        for (String[] c : cases) {
            var r = admin.get(c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(r.body()).as(c[0]).contains(c[1]).doesNotContain("Exception");
        }
        assertThat(admin.get("/api/v1/hosts/999999/metrics?names=cpu").statusCode()).isEqualTo(404);
    }

    @Test
    void metrics_need_a_session() {
        var anonymous = hub.anonymous();
        assertThat(anonymous.get("/api/v1/hosts/" + host + "/metrics?names=cpu").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/hosts/" + host + "/history").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/metrics").statusCode()).isEqualTo(401);
    }
}
