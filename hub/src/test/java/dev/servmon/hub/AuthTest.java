package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthTest {
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void anonymous_requests_to_the_api_get_401_problems() {
        var c = hub.anonymous();
        for (String path : new String[] {"/api/v1/hosts", "/api/v1/hosts/1", "/api/v1/session", "/api/v1/events"}) {
            var r = c.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("application/problem+json");
        }
        assertThat(c.post("/api/v1/hosts", "{\"name\":\"x\"}").statusCode()).isEqualTo(401);
        assertThat(c.delete("/api/v1/hosts/1").statusCode()).isEqualTo(401);
    }

    @Test
    void a_wrong_password_is_refused_and_sets_no_cookie() {
        var c = hub.anonymous();
        var r = c.post("/api/v1/session", "{\"username\":\"admin\",\"password\":\"wrong-password-1\"}");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("wrong username or password");
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        var unknown = c.post("/api/v1/session", "{\"username\":\"nobody\",\"password\":\"wrong-password-1\"}");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(r.body());
    }

    @Test
    void login_sets_an_httponly_samesite_session_cookie_and_returns_a_csrf_token() {
        var c = hub.anonymous();
        var r = c.post("/api/v1/session", "{\"username\":\"admin\",\"password\":\"" + TestHub.ADMIN_PASSWORD + "\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("servmon_session=").contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");
        assertThat(c.json(r).get("csrfToken").asText()).hasSizeGreaterThan(20);
        assertThat(c.json(r).get("role").asText()).isEqualTo("admin");
        assertThat(c.json(r).get("ingestUrl").asText()).isEqualTo(hub.ingestUrl());
        assertThat(c.get("/api/v1/session").statusCode()).isEqualTo(200);
    }

    @Test
    void state_changing_requests_without_the_csrf_token_are_refused() {
        var admin = hub.admin();
        var noToken = admin.send(admin.request("/api/v1/hosts").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"csrf-victim\"}")));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("X-CSRF-Token");
        var wrongToken = admin.send(admin.request("/api/v1/hosts").header("Content-Type", "application/json")
                .header("X-CSRF-Token", "guess").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"csrf-victim\"}")));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(admin.json(admin.get("/api/v1/hosts")).toString()).doesNotContain("csrf-victim");
    }

    @Test
    void logout_ends_the_session_on_the_server() {
        var admin = hub.admin();
        assertThat(admin.delete("/api/v1/session").statusCode()).isEqualTo(204);
        assertThat(admin.get("/api/v1/hosts").statusCode()).isEqualTo(401);
    }

    @Test
    void host_names_are_validated_with_clear_problems() {
        var admin = hub.admin();
        assertThat(admin.post("/api/v1/hosts", "{\"name\":\"  \"}").body()).contains("name must be 1 to 64 characters");
        assertThat(admin.post("/api/v1/hosts", "{\"name\":\"" + "x".repeat(65) + "\"}").statusCode()).isEqualTo(400);
        assertThat(admin.post("/api/v1/hosts", "{\"name\":\"a\\u0000b\"}").body()).contains("control characters");
        assertThat(admin.post("/api/v1/hosts", "{}").statusCode()).isEqualTo(400);
        assertThat(admin.post("/api/v1/hosts", "{\"name\":\"twice\"}").statusCode()).isEqualTo(201);
        var again = admin.post("/api/v1/hosts", "{\"name\":\"twice\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("already exists");
        assertThat(admin.get("/api/v1/hosts/abc").statusCode()).isEqualTo(400);
        assertThat(admin.get("/api/v1/hosts/999999").statusCode()).isEqualTo(404);
        assertThat(admin.delete("/api/v1/hosts/999999").statusCode()).isEqualTo(404);
    }

    @Test
    void registration_shows_the_key_once_and_stores_only_its_hash() throws Exception {
        var admin = hub.admin();
        var r = admin.post("/api/v1/hosts", "{\"name\":\"hashed\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        var created = admin.json(r);
        String key = created.get("key").asText();
        assertThat(key).startsWith("smk_").hasSize(4 + 43);
        assertThat(created.get("agentCommand").asText()).isEqualTo("java -jar servmon.jar agent --hub " + hub.ingestUrl() + " --key " + key);
        assertThat(admin.get("/api/v1/hosts").body()).doesNotContain(key);
        assertThat(admin.get("/api/v1/hosts/" + created.get("id").asLong()).body()).doesNotContain(key);
        assertThat(admin.json(admin.get("/api/v1/hosts/" + created.get("id").asLong())).get("status").asText()).isEqualTo("EMPTY");
        byte[] db = java.nio.file.Files.readAllBytes(hub.dataDir().resolve("servmon.db"));
        byte[] wal = java.nio.file.Files.exists(hub.dataDir().resolve("servmon.db-wal"))
                ? java.nio.file.Files.readAllBytes(hub.dataDir().resolve("servmon.db-wal")) : new byte[0];
        String everything = new String(db, java.nio.charset.StandardCharsets.ISO_8859_1) + new String(wal, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(everything).doesNotContain(key).contains(dev.servmon.hub.auth.Tokens.hash(key));
    }

    @Test
    void pages_carry_security_headers_and_unknown_paths_get_json_404s() {
        var c = hub.anonymous();
        var page = c.get("/login.html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        var missing = c.get("/no/such/thing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void oversized_bodies_are_refused() {
        var admin = hub.admin();
        var r = admin.post("/api/v1/hosts", "{\"name\":\"" + "x".repeat(200_000) + "\"}");
        assertThat(r.statusCode()).isEqualTo(413);
    }
}
