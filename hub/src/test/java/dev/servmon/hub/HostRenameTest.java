package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code PATCH /api/v1/hosts/{id}}: renaming a host from the dashboard. */
class HostRenameTest {
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
    void a_host_is_renamed_and_keeps_its_id_and_key() {
        var admin = hub.admin();
        var created = hub.registerHost("rename-me");
        long id = created.get("id").asLong();

        var r = admin.patch("/api/v1/hosts/" + id, "{\"name\":\"  renamed-host  \"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(admin.json(r).get("name").asText()).isEqualTo("renamed-host");
        assertThat(admin.json(r).get("id").asLong()).isEqualTo(id);
        assertThat(admin.json(admin.get("/api/v1/hosts/" + id)).get("name").asText()).isEqualTo("renamed-host");
        assertThat(admin.get("/api/v1/hosts").body()).doesNotContain("rename-me");

        String batch = Samples.batch(System.currentTimeMillis(), 1);
        assertThat(hub.ingest(created.get("key").asText(), batch).statusCode()).as("the key still works").isEqualTo(200);
    }

    @Test
    void a_rename_is_validated_like_a_new_name() {
        var admin = hub.admin();
        long id = hub.registerHost("validated").get("id").asLong();
        hub.registerHost("taken");

        var taken = admin.patch("/api/v1/hosts/" + id, "{\"name\":\"taken\"}");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("a host named 'taken' already exists");
        assertThat(admin.patch("/api/v1/hosts/" + id, "{\"name\":\"\"}").body()).contains("name must be 1 to 64 characters");
        assertThat(admin.patch("/api/v1/hosts/" + id, "{\"name\":\"a\\u0007b\"}").body()).contains("control characters");
        assertThat(admin.patch("/api/v1/hosts/" + id, "{}").statusCode()).isEqualTo(400);
        assertThat(admin.patch("/api/v1/hosts/" + id, "not json").body()).contains("malformed JSON");
        assertThat(admin.patch("/api/v1/hosts/999999", "{\"name\":\"ghost\"}").statusCode()).isEqualTo(404);
        assertThat(admin.patch("/api/v1/hosts/x", "{\"name\":\"ghost\"}").statusCode()).isEqualTo(400);
        assertThat(admin.json(admin.get("/api/v1/hosts/" + id)).get("name").asText()).isEqualTo("validated");
    }

    @Test
    void a_rename_needs_a_session_and_the_csrf_token() {
        var admin = hub.admin();
        long id = hub.registerHost("guarded").get("id").asLong();

        var noToken = admin.send(admin.request("/api/v1/hosts/" + id).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"hijacked\"}")));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(hub.anonymous().patch("/api/v1/hosts/" + id, "{\"name\":\"hijacked\"}").statusCode()).isEqualTo(401);
        assertThat(admin.json(admin.get("/api/v1/hosts/" + id)).get("name").asText()).isEqualTo("guarded");
    }
}
