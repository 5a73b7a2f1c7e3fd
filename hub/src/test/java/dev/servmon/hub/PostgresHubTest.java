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

    /** Users, scope, tokens and the audit log run the same SQL on PostgreSQL (the other accounts tests use SQLite). */
    @Test
    void accounts_work_on_postgresql() {
        var clock = new MutableClock(1_800_000_000_000L);
        try (TestHub hub = TestHub.startPostgres(clock)) {
            var admin = hub.admin();
            long web = hub.registerHost("pg-web").get("id").asLong();
            hub.registerHost("pg-db");
            assertThat(admin.patch("/api/v1/hosts/" + web, "{\"tags\":[\"web\"]}").statusCode()).isEqualTo(200);
            long userId = hub.addUser("pg-op", "operator", "web").get("id").asLong();
            assertThat(admin.post("/api/v1/users", "{\"username\":\"PG-OP\",\"password\":\"a-long-passphrase\",\"role\":\"viewer\"}")
                    .statusCode()).isEqualTo(409);

            var op = hub.signIn("pg-op", TestHub.USER_PASSWORD);
            assertThat(op.json(op.get("/api/v1/hosts")).findValuesAsText("name")).containsExactly("pg-web");
            var token = op.json(op.post("/api/v1/tokens", "{\"name\":\"pg-token\",\"role\":\"viewer\",\"expiresInDays\":1}"));
            String secret = token.get("secret").asText();
            assertThat(hub.bearer(secret).get("/api/v1/hosts").statusCode()).isEqualTo(200);
            assertThat(op.json(op.get("/api/v1/tokens")).get(0).get("lastUsedAtMs").asLong()).isEqualTo(clock.millis());
            assertThat(admin.json(admin.get("/api/v1/tokens")).findValuesAsText("name")).contains("pg-token");

            assertThat(admin.patch("/api/v1/users/" + userId, "{\"disabled\":true}").statusCode()).isEqualTo(200);
            assertThat(hub.bearer(secret).get("/api/v1/hosts").statusCode()).isEqualTo(401);
            assertThat(op.get("/api/v1/hosts").statusCode()).isEqualTo(401);
            assertThat(admin.delete("/api/v1/users/" + userId).statusCode()).isEqualTo(204);

            var audit = admin.json(admin.get("/api/v1/audit?action=users/%7Bid%7D&target=PG-op&from=-1h"));
            assertThat(audit.get("total").asLong()).isEqualTo(2);
            assertThat(audit.get("entries").findValuesAsText("action")).containsExactly("DELETE /api/v1/users/{id}", "PATCH /api/v1/users/{id}");
            clock.advance(Duration.ofDays(400));
            assertThat(hub.hub().audit().purge()).isPositive();
        }
    }
}
