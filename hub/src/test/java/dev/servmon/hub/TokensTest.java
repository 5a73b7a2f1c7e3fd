package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.auth.Tokens;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/tokens} and {@code Authorization: Bearer} on the API port. */
class TokensTest {
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
    void a_token_is_shown_once_stored_hashed_and_works_as_a_bearer_without_csrf() throws Exception {
        var admin = hub.admin();
        var r = admin.post("/api/v1/tokens", "{\"name\":\"backup script\",\"role\":\"operator\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        String secret = admin.json(r).get("secret").asText();
        assertThat(secret).startsWith("smt_").hasSize(4 + 43);
        assertThat(admin.json(r).get("header").asText()).isEqualTo("Authorization: Bearer " + secret);
        long id = admin.json(r).get("token").get("id").asLong();

        assertThat(admin.get("/api/v1/tokens").body()).doesNotContain(secret).contains("backup script").contains(Tokens.prefixOf(secret));
        byte[] db = Files.readAllBytes(hub.dataDir().resolve("servmon.db"));
        var wal = hub.dataDir().resolve("servmon.db-wal");
        String stored = new String(db, StandardCharsets.ISO_8859_1) + (Files.exists(wal) ? Files.readString(wal, StandardCharsets.ISO_8859_1) : "");
        assertThat(stored).doesNotContain(secret).contains(Tokens.hash(secret));

        var bot = hub.bearer(secret);
        var session = bot.json(bot.get("/api/v1/session"));
        assertThat(session.get("username").asText()).isEqualTo("admin");
        assertThat(session.get("role").asText()).as("the token's role, not the user's").isEqualTo("operator");
        assertThat(session.get("tokenId").asLong()).isEqualTo(id);
        assertThat(session.get("csrfToken").isNull()).isTrue();
        var created = bot.post("/api/v1/hosts", "{\"name\":\"made-by-token\"}");
        assertThat(created.statusCode()).as("no CSRF header needed with a token").isEqualTo(201);
        assertThat(bot.get("/api/v1/users").statusCode()).as("operator token, admin route").isEqualTo(403);
        assertThat(created.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void a_bearer_token_wins_over_a_session_cookie_sent_with_it() {
        hub.addUser("vera", "viewer");
        var vera = hub.signIn("vera", TestHub.USER_PASSWORD);
        var admin = hub.admin();
        String viewerToken = admin.json(admin.post("/api/v1/tokens", "{\"name\":\"read\",\"role\":\"viewer\"}")).get("secret").asText();
        // The admin's session cookie with a viewer token: the token decides, and no CSRF is asked for.
        var both = admin.send(admin.request("/api/v1/hosts").header("Authorization", "Bearer " + viewerToken)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"nope\"}")));
        assertThat(both.statusCode()).isEqualTo(403);
        assertThat(both.body()).contains("you have viewer");
        // A bad token is refused even with a good cookie: it is never passed over for the cookie.
        var bad = vera.send(vera.request("/api/v1/hosts").header("Authorization", "Bearer smt_not-a-token"));
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"servmon\"");
    }

    @Test
    void a_revoked_token_stops_at_once_and_only_its_owner_or_an_admin_may_revoke_it() {
        hub.addUser("otto", "operator");
        var otto = hub.signIn("otto", TestHub.USER_PASSWORD);
        var r = otto.json(otto.post("/api/v1/tokens", "{\"name\":\"deploy\",\"role\":\"viewer\"}"));
        String secret = r.get("secret").asText();
        long id = r.get("token").get("id").asLong();
        assertThat(hub.bearer(secret).get("/api/v1/hosts").statusCode()).isEqualTo(200);

        hub.addUser("olga", "operator");
        var olga = hub.signIn("olga", TestHub.USER_PASSWORD);
        assertThat(olga.json(olga.get("/api/v1/tokens")).findValuesAsText("name")).doesNotContain("deploy");
        assertThat(olga.delete("/api/v1/tokens/" + id).statusCode()).as("someone else's token").isEqualTo(404);
        assertThat(hub.admin().json(hub.admin().get("/api/v1/tokens")).findValuesAsText("name")).contains("deploy");

        assertThat(otto.delete("/api/v1/tokens/" + id).statusCode()).isEqualTo(204);
        assertThat(hub.bearer(secret).get("/api/v1/hosts").statusCode()).isEqualTo(401);
        assertThat(otto.delete("/api/v1/tokens/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void a_token_expires_and_records_when_it_was_last_used_at_most_once_a_minute() {
        var admin = hub.admin();
        var r = admin.json(admin.post("/api/v1/tokens", "{\"name\":\"short-lived\",\"role\":\"viewer\",\"expiresInDays\":2}"));
        String secret = r.get("secret").asText();
        long id = r.get("token").get("id").asLong();
        assertThat(r.get("token").get("expiresAtMs").asLong()).isEqualTo(clock.millis() + Duration.ofDays(2).toMillis());
        assertThat(r.get("token").get("lastUsedAtMs").isNull()).isTrue();

        long firstUse = clock.millis();
        assertThat(hub.bearer(secret).get("/api/v1/hosts").statusCode()).isEqualTo(200);
        assertThat(lastUsed(admin, id)).isEqualTo(firstUse);
        clock.advance(Duration.ofSeconds(30));
        hub.bearer(secret).get("/api/v1/hosts");
        assertThat(lastUsed(admin, id)).as("not rewritten within a minute").isEqualTo(firstUse);
        clock.advance(Duration.ofSeconds(31));
        hub.bearer(secret).get("/api/v1/hosts");
        assertThat(lastUsed(admin, id)).isEqualTo(clock.millis());

        clock.advance(Duration.ofDays(2));
        var expired = hub.bearer(secret).get("/api/v1/hosts");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("unknown, revoked or expired API token");
    }

    private static long lastUsed(TestHub.Client admin, long id) {
        for (var t : admin.json(admin.get("/api/v1/tokens"))) {
            if (t.get("id").asLong() == id) {
                return t.get("lastUsedAtMs").asLong();
            }
        }
        throw new AssertionError("token " + id + " not listed");
    }

    @Test
    void a_tokens_role_is_capped_by_its_users_role_now_and_later() {
        var admin = hub.admin();
        long id = hub.addUser("paul", "operator").get("id").asLong();
        var paul = hub.signIn("paul", TestHub.USER_PASSWORD);
        var tooHigh = paul.post("/api/v1/tokens", "{\"name\":\"x\",\"role\":\"admin\"}");
        assertThat(tooHigh.statusCode()).isEqualTo(403);
        assertThat(tooHigh.body()).contains("at most your own (operator)");
        assertThat(paul.post("/api/v1/tokens", "{\"name\":\"x\",\"role\":\"boss\"}").statusCode()).isEqualTo(400);
        assertThat(paul.post("/api/v1/tokens", "{\"name\":\"\",\"role\":\"viewer\"}").statusCode()).isEqualTo(400);
        assertThat(paul.post("/api/v1/tokens", "{\"name\":\"x\",\"role\":\"viewer\",\"expiresInDays\":0}").statusCode()).isEqualTo(400);

        String secret = paul.json(paul.post("/api/v1/tokens", "{\"name\":\"ops\",\"role\":\"operator\"}")).get("secret").asText();
        var bot = hub.bearer(secret);
        assertThat(bot.post("/api/v1/hosts", "{\"name\":\"paul-host\"}").statusCode()).isEqualTo(201);

        assertThat(admin.patch("/api/v1/users/" + id, "{\"role\":\"viewer\"}").statusCode()).isEqualTo(200);
        assertThat(bot.json(bot.get("/api/v1/session")).get("role").asText()).isEqualTo("viewer");
        assertThat(bot.post("/api/v1/hosts", "{\"name\":\"paul-host-2\"}").statusCode()).as("demoted with its user").isEqualTo(403);
    }

    @Test
    void a_token_cannot_create_tokens_change_the_password_or_sign_out() {
        var admin = hub.admin();
        String secret = admin.json(admin.post("/api/v1/tokens", "{\"name\":\"all\",\"role\":\"admin\"}")).get("secret").asText();
        var bot = hub.bearer(secret);
        assertThat(bot.post("/api/v1/tokens", "{\"name\":\"child\",\"role\":\"viewer\"}").statusCode()).isEqualTo(403);
        assertThat(bot.post("/api/v1/session/password", "{\"currentPassword\":\"" + TestHub.ADMIN_PASSWORD + "\",\"newPassword\":\"taken-over-account\"}")
                .statusCode()).isEqualTo(403);
        assertThat(bot.delete("/api/v1/session").statusCode()).isEqualTo(403);
        assertThat(bot.get("/api/v1/users").statusCode()).as("but an admin token administers").isEqualTo(200);
    }

    @Test
    void host_keys_and_garbage_are_not_api_tokens() {
        String key = hub.registerHost("keyed").get("key").asText();
        assertThat(hub.bearer(key).get("/api/v1/hosts").statusCode()).isEqualTo(401);
        assertThat(hub.bearer("").get("/api/v1/hosts").statusCode()).isEqualTo(401);
        var basic = hub.anonymous().send(hub.anonymous().request("/api/v1/hosts").header("Authorization", "Basic YWRtaW46eA=="));
        assertThat(basic.statusCode()).isEqualTo(401);
    }
}
