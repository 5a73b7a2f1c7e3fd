package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A whole hub on PostgreSQL: sign in, register, ingest with a replay, chart, delete. */
class PostgresHubTest {
    @Test
    void a_hub_on_postgresql_stores_acks_and_serves_like_one_on_sqlite() {
        long start = System.currentTimeMillis() / 3_600_000L * 3_600_000L - 3_600_000L;
        var clock = new MutableClock(start);
        try (TestHub hub = TestHub.startPostgres(clock)) {
            JsonNode host = hub.registerHost("pg-web-1");
            long id = host.get("id").asLong();
            String key = host.get("key").asText();
            assertThat(hub.ingest(key, Samples.batch(start, 1, 2, 3)).body()).contains("\"stored\":3", "\"duplicates\":0");
            assertThat(hub.ingest(key, Samples.batch(start + 30_000, 3, 4)).body()).contains("\"stored\":1", "\"duplicates\":1");
            assertThat(hub.storedSamples(id)).isEqualTo(4);

            clock.advance(Duration.ofMinutes(80));
            var pass = hub.hub().maintenance().runOnce();
            assertThat(pass.windowsPacked()).isEqualTo(1);
            assertThat(hub.storedSamples(id)).isEqualTo(4);

            var admin = hub.admin();
            var r = admin.get("/api/v1/hosts/" + id + "/metrics?names=cpu&from=" + start + "&to=" + (start + 3_600_000L) + "&step=15m");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode chart = admin.json(r);
            assertThat(chart.get("resolution").asText()).isEqualTo("15m");
            assertThat(chart.get("series").get(0).get("avg").get(0).asDouble()).isEqualTo(23.5);
            assertThat(admin.json(admin.get("/api/v1/hosts")).get(0).get("name").asText()).isEqualTo("pg-web-1");

            assertThat(admin.delete("/api/v1/hosts/" + id).statusCode()).isEqualTo(204);
            assertThat(hub.storedSamples(id)).isZero();
            assertThat(hub.ingest(key, Samples.batch(start, 5)).statusCode()).isEqualTo(401);
        }
    }
}
