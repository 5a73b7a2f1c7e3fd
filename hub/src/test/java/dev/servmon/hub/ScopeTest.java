package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Host tags ({@code PATCH /api/v1/hosts/{id} {"tags": [...]}}) and users scoped to tags. */
class ScopeTest {
    static TestHub hub;
    static long web;
    static long db;
    static long untagged;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
        var admin = hub.admin();
        web = hub.registerHost("web-1").get("id").asLong();
        db = hub.registerHost("db-1").get("id").asLong();
        untagged = hub.registerHost("loose-1").get("id").asLong();
        assertThat(admin.patch("/api/v1/hosts/" + web, "{\"tags\":[\"Web\",\"prod\"]}").statusCode()).isEqualTo(200);
        assertThat(admin.patch("/api/v1/hosts/" + db, "{\"tags\":[\"db\"]}").statusCode()).isEqualTo(200);
        hub.addUser("web-operator", "operator", "web");
        hub.addUser("web-viewer", "viewer", "web", "staging");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void tags_are_normalised_shown_with_the_host_and_validated() {
        var admin = hub.admin();
        var host = admin.json(admin.get("/api/v1/hosts/" + web));
        assertThat(host.get("tags").toString()).isEqualTo("[\"prod\",\"web\"]");
        assertThat(host.get("name").asText()).isEqualTo("web-1");
        assertThat(admin.get("/api/v1/hosts").body()).contains("\"tags\":[\"db\"]").contains("\"tags\":[]");
        assertThat(admin.patch("/api/v1/hosts/" + db, "{\"tags\":[\"has space\"]}").statusCode()).isEqualTo(400);
        assertThat(admin.patch("/api/v1/hosts/" + db, "{\"tags\":[\"" + "x".repeat(33) + "\"]}").statusCode()).isEqualTo(400);
        assertThat(admin.patch("/api/v1/hosts/" + db, "{}").body()).contains("send name, tags or both");
        assertThat(admin.json(admin.get("/api/v1/hosts/" + db)).get("tags").toString()).isEqualTo("[\"db\"]");
    }

    @Test
    void a_scoped_operator_sees_and_acts_only_on_hosts_with_their_tags() {
        var op = hub.signIn("web-operator", TestHub.USER_PASSWORD);
        assertThat(op.json(op.get("/api/v1/session")).get("scope").toString()).isEqualTo("[\"web\"]");
        assertThat(op.json(op.get("/api/v1/hosts")).findValuesAsText("name")).containsExactly("web-1");
        assertThat(op.get("/api/v1/hosts/" + web).statusCode()).isEqualTo(200);
        assertThat(op.get("/api/v1/hosts/" + web + "/series").statusCode()).isEqualTo(200);

        for (long other : new long[] {db, untagged}) {
            for (String path : new String[] {"", "/series", "/metrics?names=cpu.percent", "/history"}) {
                var r = op.get("/api/v1/hosts/" + other + path);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.body()).isEqualTo(op.get("/api/v1/hosts/999999" + path).body().replace("999999", String.valueOf(other)));
            }
            assertThat(op.patch("/api/v1/hosts/" + other, "{\"name\":\"stolen\"}").statusCode()).isEqualTo(404);
            assertThat(op.post("/api/v1/hosts/" + other + "/key", "").statusCode()).isEqualTo(404);
            assertThat(op.delete("/api/v1/hosts/" + other).statusCode()).isEqualTo(404);
        }
        assertThat(hub.admin().json(hub.admin().get("/api/v1/hosts")).findValuesAsText("name")).contains("db-1", "loose-1");
    }

    @Test
    void a_scoped_user_keeps_their_own_hosts_in_scope() {
        var op = hub.signIn("web-operator", TestHub.USER_PASSWORD);
        var created = op.post("/api/v1/hosts", "{\"name\":\"web-2\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = op.json(created).get("id").asLong();
        assertThat(op.json(op.get("/api/v1/hosts/" + id)).get("tags").toString()).as("created with the creator's tags").isEqualTo("[\"web\"]");

        var away = op.patch("/api/v1/hosts/" + id, "{\"tags\":[\"db\"]}");
        assertThat(away.statusCode()).isEqualTo(400);
        assertThat(away.body()).contains("keep one of your own");
        assertThat(op.patch("/api/v1/hosts/" + id, "{\"tags\":[\"web\",\"db\"]}").statusCode()).isEqualTo(200);
        assertThat(op.delete("/api/v1/hosts/" + id).statusCode()).isEqualTo(204);
    }

    @Test
    void a_scoped_viewer_gets_live_events_only_about_their_hosts() throws Exception {
        var viewer = hub.signIn("web-viewer", TestHub.USER_PASSWORD);
        BlockingQueue<String> events = LiveEventsTest.listen(viewer);
        BlockingQueue<String> adminEvents = LiveEventsTest.listen(hub.admin());
        Thread.sleep(300);
        var admin = hub.admin();
        admin.patch("/api/v1/hosts/" + db, "{\"name\":\"db-1b\"}");
        assertThat(LiveEventsTest.next(adminEvents, "host {\"id\":" + db + ",", 3_000)).as("the admin hears of db").isNotNull();
        admin.patch("/api/v1/hosts/" + web, "{\"name\":\"web-1b\"}");
        String seen = LiveEventsTest.next(events, "host ", 3_000);
        assertThat(seen).as("the viewer hears of web").startsWith("host {\"id\":" + web + ",");
        assertThat(events.stream().filter(e -> e.contains("\"id\":" + db + ","))).isEmpty();
        admin.patch("/api/v1/hosts/" + web, "{\"name\":\"web-1\"}");
        admin.patch("/api/v1/hosts/" + db, "{\"name\":\"db-1\"}");
    }
}
