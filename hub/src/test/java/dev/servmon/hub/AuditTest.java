package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The audit log: what is recorded by itself, {@code GET /api/v1/audit} and its filters, retention. */
class AuditTest {
    static final MutableClock clock = new MutableClock(1_800_000_000_000L);
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(clock);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void sign_ins_are_recorded_with_the_username_tried_the_address_and_the_outcome() {
        var anon = hub.anonymous();
        anon.post("/api/v1/session", "{\"username\":\"ghost-user\",\"password\":\"not-the-password\"}");
        hub.admin();

        var failed = entries(hub.admin(), "?user=ghost-user").get(0);
        assertThat(failed.get("action").asText()).isEqualTo("POST /api/v1/session");
        assertThat(failed.get("target").asText()).isEqualTo("username=ghost-user");
        assertThat(failed.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(failed.get("status").asInt()).isEqualTo(401);
        assertThat(failed.get("outcome").asText()).isEqualTo("denied");
        assertThat(failed.get("userId").isNull()).isTrue();

        var ok = entries(hub.admin(), "?user=admin&action=POST%20/api/v1/session").get(0);
        assertThat(ok.get("outcome").asText()).isEqualTo("ok");
        assertThat(ok.get("userId").asLong()).isPositive();
        assertThat(ok.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(entries(hub.admin(), "?action=POST%20/api/v1/session&size=500").stream()
                .filter(e -> e.get("target").asText().equals("username=ghost-user"))).as("one record per attempt").hasSize(1);
    }

    @Test
    void every_state_change_is_recorded_with_route_target_caller_and_status_and_reads_are_not() {
        var admin = hub.admin();
        long before = total(admin, "");
        long id = hub.registerHost("audited-host").get("id").asLong();
        admin.patch("/api/v1/hosts/" + id, "{\"name\":\"audited-renamed\"}");
        admin.post("/api/v1/hosts/" + id + "/key", "");
        admin.patch("/api/v1/hosts/" + id, "{\"name\":\"\"}");
        admin.get("/api/v1/hosts");
        admin.get("/api/v1/hosts/" + id);
        var noCsrf = admin.send(admin.request("/api/v1/hosts/" + id).DELETE());
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        admin.delete("/api/v1/hosts/" + id);
        hub.anonymous().delete("/api/v1/hosts/" + id);

        List<JsonNode> recent = entries(admin, "?target=id%3D" + id);
        List<String> lines = new ArrayList<>();
        for (JsonNode e : recent) {
            lines.add(e.get("action").asText() + " " + e.get("target").asText() + " " + e.get("status").asInt() + " "
                    + e.get("outcome").asText() + " " + e.get("username").asText(null));
        }
        assertThat(lines).containsExactly(
                "DELETE /api/v1/hosts/{id} id=" + id + " 401 denied null",
                "DELETE /api/v1/hosts/{id} id=" + id + " 204 ok admin",
                "DELETE /api/v1/hosts/{id} id=" + id + " 403 denied admin",
                "PATCH /api/v1/hosts/{id} id=" + id + " 400 failed admin",
                "PATCH /api/v1/hosts/{id} id=" + id + " 200 ok admin");
        List<JsonNode> named = entries(admin, "?target=host%20" + id + "%20");
        assertThat(named).extracting(e -> e.get("action").asText()).containsExactly("POST /api/v1/hosts/{id}/key", "POST /api/v1/hosts");
        assertThat(named.get(0).get("target").asText()).startsWith("host " + id + " audited-renamed key=smk_");
        // registerHost signs in (1) and adds (1); the rest: patch, key, patch, delete ×3
        assertThat(total(admin, "") - before).isEqualTo(2 + 6);
    }

    @Test
    void user_and_token_changes_name_their_target_and_never_the_secret() {
        var admin = hub.admin();
        long userId = hub.addUser("audit-ursula", "viewer").get("id").asLong();
        admin.patch("/api/v1/users/" + userId, "{\"role\":\"operator\",\"password\":\"ursulas-new-password\"}");
        var token = admin.json(admin.post("/api/v1/tokens", "{\"name\":\"audit-token\",\"role\":\"viewer\"}"));
        String secret = token.get("secret").asText();
        hub.bearer(secret).post("/api/v1/hosts", "{\"name\":\"by-token\"}");
        admin.delete("/api/v1/tokens/" + token.get("token").get("id").asLong());

        var userEntries = entries(admin, "?target=audit-ursula");
        assertThat(userEntries).extracting(e -> e.get("target").asText()).containsExactly(
                "user " + userId + " audit-ursula role=operator password=reset", "user " + userId + " audit-ursula");
        var tokenEntries = entries(admin, "?target=audit-token");
        assertThat(tokenEntries).extracting(e -> e.get("action").asText()).containsExactly("DELETE /api/v1/tokens/{id}", "POST /api/v1/tokens");
        var byToken = entries(admin, "?user=admin&action=post%20/api/v1/hosts&size=20").stream()
                .filter(e -> !e.get("tokenId").isNull()).findFirst().orElseThrow();
        assertThat(byToken.get("tokenId").asLong()).isEqualTo(token.get("token").get("id").asLong());
        assertThat(byToken.get("status").asInt()).isEqualTo(403);
        assertThat(admin.get("/api/v1/audit?size=500").body()).doesNotContain(secret).doesNotContain("ursulas-new-password");
    }

    @Test
    void the_log_filters_by_user_action_target_and_time_and_pages() {
        var admin = hub.admin();
        long t0 = clock.millis();
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            admin.post("/api/v1/hosts", "{\"name\":\"page-" + i + "\"}");
            clock.advance(Duration.ofSeconds(1));
        }
        long t1 = clock.millis();
        clock.advance(Duration.ofMinutes(1));
        admin.post("/api/v1/hosts", "{\"name\":\"page-late\"}");

        var page0 = admin.json(admin.get("/api/v1/audit?action=post%20/API/v1/hosts&target=page-&from=" + (t0 + 1) + "&to=" + t1 + "&size=2"));
        assertThat(page0.get("total").asLong()).isEqualTo(5);
        assertThat(page0.get("entries").findValuesAsText("target")).hasSize(2).allMatch(t -> t.contains("page-4") || t.contains("page-3"));
        var page2 = admin.json(admin.get("/api/v1/audit?action=post%20/API/v1/hosts&target=page-&from=" + (t0 + 1) + "&to=" + t1 + "&size=2&page=2"));
        assertThat(page2.get("entries").findValuesAsText("target")).singleElement().satisfies(t -> assertThat(t).contains("page-0"));
        assertThat(admin.json(admin.get("/api/v1/audit?target=page-&user=nobody")).get("total").asLong()).isZero();
        assertThat(admin.json(admin.get("/api/v1/audit?target=%25")).get("total").asLong()).as("LIKE wildcards are literal").isZero();
        assertThat(admin.json(admin.get("/api/v1/audit?target=_")).get("total").asLong()).isZero();
        assertThat(admin.json(admin.get("/api/v1/audit?target=!")).get("total").asLong()).isZero();
        assertThat(admin.get("/api/v1/audit?from=yesterday").statusCode()).isEqualTo(400);
        assertThat(admin.get("/api/v1/audit?size=100000").statusCode()).isEqualTo(400);
    }

    @Test
    void only_admins_read_the_log() {
        hub.addUser("audit-viewer", "viewer");
        hub.addUser("audit-operator", "operator");
        assertThat(hub.signIn("audit-viewer", TestHub.USER_PASSWORD).get("/api/v1/audit").statusCode()).isEqualTo(403);
        assertThat(hub.signIn("audit-operator", TestHub.USER_PASSWORD).get("/api/v1/audit").statusCode()).isEqualTo(403);
        assertThat(hub.anonymous().get("/api/v1/audit").statusCode()).isEqualTo(401);
    }

    @Test
    void records_older_than_a_year_are_purged() {
        var admin = hub.admin();
        admin.post("/api/v1/hosts", "{\"name\":\"old-news\"}");
        clock.advance(Duration.ofDays(366));
        admin = hub.admin();
        admin.post("/api/v1/hosts", "{\"name\":\"new-news\"}");
        assertThat(hub.hub().audit().purge()).isPositive();
        assertThat(admin.get("/api/v1/audit?size=500").body()).doesNotContain("old-news").contains("new-news");
    }

    @Test
    void a_failing_audit_write_does_not_fail_the_request() throws Exception {
        var admin = hub.admin();
        String url = "jdbc:sqlite:" + hub.dataDir().resolve("servmon.db");
        try (var c = DriverManager.getConnection(url); var st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
            st.execute("ALTER TABLE audit_log RENAME TO audit_log_away");
        }
        try {
            var r = admin.send(admin.request("/api/v1/hosts").header("X-CSRF-Token", admin.csrf())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"unaudited\"}")));
            assertThat(r.statusCode()).isEqualTo(201);
        } finally {
            try (var c = DriverManager.getConnection(url); var st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 10000");
                st.execute("ALTER TABLE audit_log_away RENAME TO audit_log");
            }
        }
        assertThat(admin.json(admin.get("/api/v1/hosts")).findValuesAsText("name")).contains("unaudited");
    }

    private static List<JsonNode> entries(TestHub.Client admin, String query) {
        var r = admin.get("/api/v1/audit" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        admin.json(r).get("entries").forEach(out::add);
        return out;
    }

    private static long total(TestHub.Client admin, String query) {
        return admin.json(admin.get("/api/v1/audit" + query + (query.isEmpty() ? "?" : "&") + "size=1")).get("total").asLong();
    }
}
