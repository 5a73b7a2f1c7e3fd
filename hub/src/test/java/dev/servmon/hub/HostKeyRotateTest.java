package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.storage.DbConfig;
import dev.servmon.hub.storage.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/hosts/{id}/key}: a new host key, and the old one refused at once, on every replica. */
class HostKeyRotateTest {
    @TempDir
    Path dir;

    @Test
    void the_old_key_is_refused_on_ingest_at_once_and_the_new_one_works() {
        try (var hub = TestHub.start()) {
            var host = hub.registerHost("rotating");
            long id = host.get("id").asLong();
            String oldKey = host.get("key").asText();
            assertThat(hub.ingest(oldKey, Samples.batch(System.currentTimeMillis(), 1)).statusCode()).as("old key cached by a report").isEqualTo(200);

            hub.addUser("rot-operator", "operator");
            var operator = hub.signIn("rot-operator", TestHub.USER_PASSWORD);
            var r = operator.post("/api/v1/hosts/" + id + "/key", "");
            assertThat(r.statusCode()).isEqualTo(200);
            var rotated = operator.json(r);
            String newKey = rotated.get("key").asText();
            assertThat(newKey).startsWith("smk_").isNotEqualTo(oldKey);
            assertThat(rotated.get("id").asLong()).isEqualTo(id);
            assertThat(rotated.get("name").asText()).isEqualTo("rotating");
            assertThat(rotated.get("agentCommand").asText()).endsWith("--key " + newKey);

            var refused = hub.ingest(oldKey, Samples.batch(System.currentTimeMillis(), 2));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(hub.ingest(newKey, Samples.batch(System.currentTimeMillis(), 2)).statusCode()).isEqualTo(200);
            assertThat(hub.storedSamples(id)).as("history kept").isEqualTo(2);
            assertThat(operator.get("/api/v1/hosts/" + id).body()).doesNotContain(newKey);
        }
    }

    @Test
    void only_operators_and_admins_rotate_and_unknown_hosts_are_404() {
        try (var hub = TestHub.start()) {
            var host = hub.registerHost("guarded-key");
            long id = host.get("id").asLong();
            hub.addUser("rot-viewer", "viewer");
            var viewer = hub.signIn("rot-viewer", TestHub.USER_PASSWORD);
            assertThat(viewer.post("/api/v1/hosts/" + id + "/key", "").statusCode()).isEqualTo(403);
            assertThat(hub.anonymous().post("/api/v1/hosts/" + id + "/key", "").statusCode()).isEqualTo(401);
            assertThat(hub.ingest(host.get("key").asText(), Samples.batch(System.currentTimeMillis(), 1)).statusCode()).isEqualTo(200);
            assertThat(hub.admin().post("/api/v1/hosts/999999/key", "").statusCode()).isEqualTo(404);
            assertThat(hub.admin().post("/api/v1/hosts/x/key", "").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void a_key_rotated_on_one_replica_stops_working_on_the_other() throws Exception {
        DbConfig db = TestPostgres.freshDatabase(dir);
        try (var a = TestHub.start(cfg -> cfg.withDatabase(db)); var b = TestHub.start(cfg -> cfg.withDatabase(db))) {
            var host = a.registerHost("replicated-key");
            long id = host.get("id").asLong();
            String oldKey = host.get("key").asText();
            assertThat(b.ingest(oldKey, Samples.batch(System.currentTimeMillis(), 1)).statusCode()).as("B caches the old key").isEqualTo(200);

            String newKey = a.admin().json(a.admin().post("/api/v1/hosts/" + id + "/key", "")).get("key").asText();
            long deadline = System.currentTimeMillis() + 2_000;
            int status = 200;
            while (System.currentTimeMillis() < deadline && (status = b.ingest(oldKey, Samples.batch(System.currentTimeMillis(), 2)).statusCode()) != 401) {
                Thread.sleep(20);
            }
            assertThat(status).as("old key on B within 2 s").isEqualTo(401);
            assertThat(b.ingest(newKey, Samples.batch(System.currentTimeMillis(), 3)).statusCode()).isEqualTo(200);
        }
    }
}
