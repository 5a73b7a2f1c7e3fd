package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/users} and {@code POST /api/v1/session/password}. */
class UsersApiTest {
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
    void an_admin_adds_lists_changes_and_deletes_a_user() {
        var admin = hub.admin();
        var created = admin.post("/api/v1/users", "{\"username\":\"carol\",\"password\":\"carols-long-passphrase\",\"role\":\"viewer\",\"scope\":[\"Web\",\"db\"]}");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = admin.json(created).get("id").asLong();
        assertThat(admin.json(created).get("role").asText()).isEqualTo("viewer");
        assertThat(admin.json(created).get("scope").toString()).isEqualTo("[\"db\",\"web\"]");
        assertThat(created.body()).doesNotContain("carols-long-passphrase").doesNotContain("password");

        assertThat(admin.json(admin.get("/api/v1/users")).findValuesAsText("username")).contains("admin", "carol");
        assertThat(admin.json(admin.get("/api/v1/users/" + id)).get("username").asText()).isEqualTo("carol");

        var changed = admin.patch("/api/v1/users/" + id, "{\"role\":\"operator\",\"scope\":[]}");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(admin.json(changed).get("role").asText()).isEqualTo("operator");
        assertThat(admin.json(changed).get("scope").size()).isZero();
        var carol = hub.signIn("carol", "carols-long-passphrase");
        assertThat(carol.json(carol.get("/api/v1/session")).get("role").asText()).isEqualTo("operator");

        assertThat(admin.delete("/api/v1/users/" + id).statusCode()).isEqualTo(204);
        assertThat(admin.get("/api/v1/users/" + id).statusCode()).isEqualTo(404);
        assertThat(carol.get("/api/v1/session").statusCode()).as("a deleted user's session ends").isEqualTo(401);
    }

    @Test
    void bad_input_gets_4xx_problems_that_say_what_is_wrong() {
        var admin = hub.admin();
        hub.addUser("taken-name", "viewer");
        String[][] cases = {
                {"{\"username\":\"x1\",\"password\":\"short\",\"role\":\"viewer\"}", "400", "at least 10 characters"},
                {"{\"username\":\"x2\",\"password\":\"PassWord123\",\"role\":\"viewer\"}", "400", "most common passwords"},
                {"{\"username\":\"x3\",\"password\":\"QWERTYUIOP\",\"role\":\"viewer\"}", "400", "most common passwords"},
                {"{\"username\":\"x4\",\"password\":\"a-good-long-password\",\"role\":\"root\"}", "400", "role must be one of"},
                {"{\"username\":\"x5\",\"password\":\"a-good-long-password\"}", "400", "role is required"},
                {"{\"username\":\"bad name\",\"password\":\"a-good-long-password\",\"role\":\"viewer\"}", "400", "username may only hold"},
                {"{\"password\":\"a-good-long-password\",\"role\":\"viewer\"}", "400", "username is required"},
                {"{\"username\":\"x6\",\"password\":\"a-good-long-password\",\"role\":\"viewer\",\"scope\":[\"no spaces\"]}", "400", "may only hold a-z"},
                {"{\"username\":\"TAKEN-NAME\",\"password\":\"a-good-long-password\",\"role\":\"viewer\"}", "409", "already exists"},
                {"{\"username\":\"x7\",\"password\":\"x7x7x7x7x7x7\",\"role\":\"viewer\",\"extra\":", "400", "malformed JSON"},
        };
        for (String[] c : cases) {
            var r = admin.post("/api/v1/users", c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(c[0]).startsWith("application/problem+json");
            assertThat(r.body()).as(c[0]).contains(c[2]);
        }
        assertThat(admin.patch("/api/v1/users/999999", "{\"role\":\"viewer\"}").statusCode()).isEqualTo(404);
        assertThat(admin.patch("/api/v1/users/abc", "{\"role\":\"viewer\"}").body()).contains("user id must be a positive integer");
        assertThat(admin.delete("/api/v1/users/999999").statusCode()).isEqualTo(404);
    }

    @Test
    void the_last_enabled_admin_cannot_be_deleted_demoted_or_disabled() {
        var admin = hub.admin();
        long adminId = admin.json(admin.get("/api/v1/session")).get("userId").asLong();
        for (String body : new String[] {"{\"role\":\"operator\"}", "{\"disabled\":true}"}) {
            var r = admin.patch("/api/v1/users/" + adminId, body);
            assertThat(r.statusCode()).as(body).isEqualTo(409);
            assertThat(r.body()).contains("last enabled admin");
        }
        assertThat(admin.delete("/api/v1/users/" + adminId).statusCode()).isEqualTo(409);

        long second = hub.addUser("second-admin", "admin").get("id").asLong();
        assertThat(admin.patch("/api/v1/users/" + second, "{\"disabled\":true}").statusCode()).isEqualTo(200);
        assertThat(admin.delete("/api/v1/users/" + adminId).statusCode()).as("the other admin is disabled").isEqualTo(409);
        assertThat(admin.patch("/api/v1/users/" + second, "{\"disabled\":false}").statusCode()).isEqualTo(200);
        var other = hub.signIn("second-admin", TestHub.USER_PASSWORD);
        assertThat(other.patch("/api/v1/users/" + adminId, "{\"role\":\"viewer\"}").statusCode()).isEqualTo(200);
        assertThat(other.patch("/api/v1/users/" + adminId, "{\"role\":\"admin\"}").statusCode()).isEqualTo(200);
        assertThat(admin.delete("/api/v1/users/" + second).statusCode()).isEqualTo(204);
    }

    @Test
    void a_disabled_user_loses_sessions_and_tokens_at_once_and_cannot_sign_in() {
        var admin = hub.admin();
        long id = hub.addUser("dave", "operator").get("id").asLong();
        var dave = hub.signIn("dave", TestHub.USER_PASSWORD);
        String token = dave.json(dave.post("/api/v1/tokens", "{\"name\":\"ci\",\"role\":\"operator\"}")).get("secret").asText();
        assertThat(hub.bearer(token).get("/api/v1/hosts").statusCode()).isEqualTo(200);

        assertThat(admin.patch("/api/v1/users/" + id, "{\"disabled\":true}").statusCode()).isEqualTo(200);
        assertThat(dave.get("/api/v1/hosts").statusCode()).isEqualTo(401);
        assertThat(hub.bearer(token).get("/api/v1/hosts").statusCode()).isEqualTo(401);
        assertThat(hub.anonymous().post("/api/v1/session", "{\"username\":\"dave\",\"password\":\"" + TestHub.USER_PASSWORD + "\"}").statusCode())
                .isEqualTo(401);

        assertThat(admin.patch("/api/v1/users/" + id, "{\"disabled\":false}").statusCode()).isEqualTo(200);
        assertThat(dave.get("/api/v1/hosts").statusCode()).as("ended, not suspended").isEqualTo(401);
        assertThat(hub.bearer(token).get("/api/v1/hosts").statusCode()).as("a token works again when its user does").isEqualTo(200);
        assertThat(hub.signIn("dave", TestHub.USER_PASSWORD).get("/api/v1/hosts").statusCode()).isEqualTo(200);
    }

    @Test
    void an_admin_password_reset_ends_the_users_sessions() {
        var admin = hub.admin();
        long id = hub.addUser("erin", "viewer").get("id").asLong();
        var erin = hub.signIn("erin", TestHub.USER_PASSWORD);
        assertThat(admin.patch("/api/v1/users/" + id, "{\"password\":\"123456789\"}").statusCode()).isEqualTo(400);
        assertThat(admin.patch("/api/v1/users/" + id, "{\"password\":\"erins-new-password\"}").statusCode()).isEqualTo(200);
        assertThat(erin.get("/api/v1/session").statusCode()).isEqualTo(401);
        assertThat(hub.signIn("erin", "erins-new-password").get("/api/v1/session").statusCode()).isEqualTo(200);
    }

    @Test
    void everyone_changes_their_own_password_which_ends_their_other_sessions() {
        hub.addUser("frank", "viewer");
        var laptop = hub.signIn("frank", TestHub.USER_PASSWORD);
        var phone = hub.signIn("frank", TestHub.USER_PASSWORD);

        var wrong = laptop.post("/api/v1/session/password", "{\"currentPassword\":\"not-my-password\",\"newPassword\":\"franks-new-password\"}");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).contains("current password is wrong");
        var common = laptop.post("/api/v1/session/password", "{\"currentPassword\":\"" + TestHub.USER_PASSWORD + "\",\"newPassword\":\"iloveyou123\"}");
        assertThat(common.statusCode()).isEqualTo(400);
        assertThat(laptop.post("/api/v1/session/password", "{}").statusCode()).isEqualTo(400);
        assertThat(phone.get("/api/v1/session").statusCode()).as("failed attempts end nothing").isEqualTo(200);

        var ok = laptop.post("/api/v1/session/password", "{\"currentPassword\":\"" + TestHub.USER_PASSWORD + "\",\"newPassword\":\"franks-new-password\"}");
        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(laptop.get("/api/v1/session").statusCode()).as("this session goes on").isEqualTo(200);
        assertThat(phone.get("/api/v1/session").statusCode()).as("the other session ended").isEqualTo(401);
        assertThat(hub.anonymous().post("/api/v1/session", "{\"username\":\"frank\",\"password\":\"" + TestHub.USER_PASSWORD + "\"}").statusCode())
                .isEqualTo(401);
        assertThat(hub.signIn("frank", "franks-new-password").get("/api/v1/session").statusCode()).isEqualTo(200);
    }

    @Test
    void viewers_and_operators_cannot_manage_users() {
        hub.addUser("gina", "operator");
        var gina = hub.signIn("gina", TestHub.USER_PASSWORD);
        assertThat(gina.get("/api/v1/users").statusCode()).isEqualTo(403);
        assertThat(gina.post("/api/v1/users", "{\"username\":\"mallory\",\"password\":\"a-good-long-password\",\"role\":\"admin\"}").statusCode())
                .isEqualTo(403);
        long ginaId = gina.json(gina.get("/api/v1/session")).get("userId").asLong();
        assertThat(gina.patch("/api/v1/users/" + ginaId, "{\"role\":\"admin\"}").statusCode()).isEqualTo(403);
        assertThat(hub.admin().json(hub.admin().get("/api/v1/users")).findValuesAsText("username")).doesNotContain("mallory");
    }
}
