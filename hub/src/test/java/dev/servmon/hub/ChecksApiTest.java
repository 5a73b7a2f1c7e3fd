package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.auth.Users;
import dev.servmon.hub.checks.Check;
import dev.servmon.hub.checks.CheckResult;
import dev.servmon.hub.storage.Database;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/checks}, push and the status page through a real hub. */
class ChecksApiTest {

    private static String tcpCheck(String name, int port) {
        return "{\"name\":\"" + name + "\",\"type\":\"tcp\",\"intervalSeconds\":60,\"settings\":{\"host\":\"127.0.0.1\",\"port\":" + port + "}}";
    }

    @Test
    void checks_are_created_read_changed_run_and_deleted() throws Exception {
        try (TestHub hub = TestHub.start(); ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var admin = hub.admin();
            var created = admin.post("/api/v1/checks", tcpCheck("db port", target.getLocalPort()));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode c = admin.json(created);
            long id = c.get("id").asLong();
            assertThat(c.get("type").asText()).isEqualTo("tcp");
            assertThat(c.get("target").asText()).isEqualTo("127.0.0.1:" + target.getLocalPort());
            assertThat(c.get("public").asBoolean()).isFalse();

            var run = admin.post("/api/v1/checks/" + id + "/run", "");
            assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
            assertThat(admin.json(run).get("up").asBoolean()).isTrue();
            assertThat(admin.json(run).get("responseMs").asDouble()).isPositive();

            JsonNode one = admin.json(admin.get("/api/v1/checks/" + id));
            assertThat(one.get("last").get("up").asBoolean()).isTrue();
            assertThat(one.get("uptime24h").asDouble()).isEqualTo(100.0);

            var changed = admin.send(admin.request("/api/v1/checks/" + id).header("X-CSRF-Token", admin.csrf())
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(tcpCheck("db port renamed", ProbesPorts.closed()))));
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            assertThat(admin.json(changed).get("name").asText()).isEqualTo("db port renamed");
            JsonNode down = admin.json(admin.post("/api/v1/checks/" + id + "/run", ""));
            assertThat(down.get("up").asBoolean()).isFalse();
            assertThat(down.get("message").asText()).startsWith("connection refused by 127.0.0.1:");

            JsonNode results = admin.json(admin.get("/api/v1/checks/" + id + "/results?from=-1h"));
            assertThat(results.get("results")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(results.get("uptime24h").asDouble()).isLessThan(100.0);
            assertThat(results.get("series").get("timestamps").size()).isEqualTo(results.get("series").get("responseMs").size());
            assertThat(admin.json(admin.get("/api/v1/checks")).get(0).get("name").asText()).isEqualTo("db port renamed");

            assertThat(admin.delete("/api/v1/checks/" + id).statusCode()).isEqualTo(204);
            assertThat(admin.get("/api/v1/checks/" + id).statusCode()).isEqualTo(404);
            assertThat(admin.delete("/api/v1/checks/" + id).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void the_scheduler_runs_a_new_check_without_being_asked() throws Exception {
        try (TestHub hub = TestHub.start(); ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var admin = hub.admin();
            long id = admin.json(admin.post("/api/v1/checks", tcpCheck("scheduled", target.getLocalPort()))).get("id").asLong();
            JsonNode last = null;
            for (int i = 0; i < 50 && (last == null || last.isNull()); i++) {
                Thread.sleep(100);
                last = admin.json(admin.get("/api/v1/checks/" + id)).get("last");
            }
            assertThat(last).isNotNull();
            assertThat(last.get("up").asBoolean()).as(last.toString()).isTrue();
        }
    }

    @Test
    void bad_checks_are_refused_with_problem_json_and_nothing_is_stored() {
        try (TestHub hub = TestHub.start()) {
            var admin = hub.admin();
            var tooOften = admin.post("/api/v1/checks", "{\"name\":\"x\",\"type\":\"http\",\"intervalSeconds\":5,\"settings\":{\"url\":\"http://a\"}}");
            assertThat(tooOften.statusCode()).isEqualTo(400);
            assertThat(tooOften.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(tooOften.body()).contains("intervalSeconds must be between 10 and 86400");
            assertThat(admin.post("/api/v1/checks", "{\"name\":\"x\",\"type\":\"gopher\"}").body()).contains("type must be one of");
            assertThat(admin.post("/api/v1/checks", "{\"name\":\"x\",\"type\":\"http\",\"settings\":{\"url\":\"nope://\"}}").body())
                    .contains("settings.url");
            assertThat(admin.post("/api/v1/checks", "{\"name\":\"x\",\"type\":\"tcp\",\"settings\":{}}").body()).contains("settings.host is required");
            assertThat(admin.post("/api/v1/checks", "{\"name\":\"x\",\"type\":\"ping\",\"hostId\":424242,\"settings\":{\"host\":\"a\"}}").body())
                    .contains("hostId 424242 names no host");
            long agent = hub.registerHost("agent-1").get("id").asLong();
            var viaMissingAgent = admin.post("/api/v1/checks", "{\"name\":\"x\",\"type\":\"ping\",\"agentHostId\":424242,\"settings\":{\"host\":\"a\"}}");
            assertThat(viaMissingAgent.statusCode()).isEqualTo(400);
            assertThat(viaMissingAgent.body()).contains("agentHostId 424242 names no host");
            var commandOnHub = admin.post("/api/v1/checks", "{\"name\":\"x\",\"type\":\"command\",\"settings\":{\"command\":\"true\"}}");
            assertThat(commandOnHub.statusCode()).isEqualTo(400);
            assertThat(commandOnHub.body()).contains("command checks run on an agent");
            assertThat(admin.post("/api/v1/checks", "{\"name\":\"x\",\"type\":\"database\",\"agentHostId\":" + agent
                    + ",\"settings\":{\"jdbcUrl\":\"jdbc:sqlite:/x.db\"}}").body()).contains("database checks are run by the hub only");
            assertThat(admin.post("/api/v1/checks", "not json").statusCode()).isEqualTo(400);
            assertThat(admin.get("/api/v1/checks/abc").statusCode()).isEqualTo(400);
            assertThat(admin.json(admin.get("/api/v1/checks"))).isEmpty();

            admin.post("/api/v1/checks", tcpCheck("twice", 1));
            assertThat(admin.post("/api/v1/checks", tcpCheck("twice", 2)).statusCode()).isEqualTo(409);
        }
    }

    @Test
    void viewers_read_and_only_operators_change() {
        try (TestHub hub = TestHub.start()) {
            hub.addUser("vera", "viewer");
            var admin = hub.admin();
            long id = admin.json(admin.post("/api/v1/checks", tcpCheck("seen", 1))).get("id").asLong();
            var viewer = hub.anonymous();
            var login = viewer.post("/api/v1/session", "{\"username\":\"vera\",\"password\":\"" + TestHub.USER_PASSWORD + "\"}");
            viewer.csrf = viewer.json(login).get("csrfToken").asText();

            assertThat(viewer.get("/api/v1/checks").statusCode()).isEqualTo(200);
            assertThat(viewer.get("/api/v1/checks/" + id + "/results").statusCode()).isEqualTo(200);
            assertThat(viewer.post("/api/v1/checks", tcpCheck("mine", 1)).statusCode()).isEqualTo(403);
            assertThat(viewer.post("/api/v1/checks/" + id + "/run", "").statusCode()).isEqualTo(403);
            assertThat(viewer.delete("/api/v1/checks/" + id).statusCode()).isEqualTo(403);
            assertThat(hub.anonymous().get("/api/v1/checks").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void database_passwords_are_write_only() {
        try (TestHub hub = TestHub.start()) {
            var admin = hub.admin();
            String body = "{\"name\":\"db\",\"type\":\"database\",\"settings\":{\"jdbcUrl\":\"jdbc:postgresql://db.internal/app\","
                    + "\"user\":\"monitor\",\"password\":\"hunter2-very-secret\"}}";
            var created = admin.post("/api/v1/checks", body);
            assertThat(created.body()).doesNotContain("hunter2").contains("\"password\":\"********\"");
            long id = admin.json(created).get("id").asLong();
            assertThat(admin.get("/api/v1/checks").body()).doesNotContain("hunter2");
            assertThat(admin.get("/api/v1/checks/" + id).body()).doesNotContain("hunter2");

            String resend = admin.get("/api/v1/checks/" + id).body().replace("\"intervalSeconds\":60", "\"intervalSeconds\":120");
            var put = admin.send(admin.request("/api/v1/checks/" + id).header("X-CSRF-Token", admin.csrf())
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(resend)));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            Check stored = hub.hub().checks().check(id);
            assertThat(stored.intervalSeconds()).isEqualTo(120);
            assertThat(stored.settings().password()).isEqualTo("hunter2-very-secret");
        }
    }

    @Test
    void pushes_with_a_host_key_are_up_and_a_missing_push_turns_down_with_the_clock() throws Exception {
        var clock = new MutableClock(System.currentTimeMillis());
        try (TestHub hub = TestHub.start(clock)) {
            var admin = hub.admin();
            JsonNode host = hub.registerHost("backup-server");
            String key = host.get("key").asText();
            long id = admin.json(admin.post("/api/v1/checks", "{\"name\":\"nightly backup\",\"type\":\"push\",\"intervalSeconds\":86400,"
                    + "\"hostId\":" + host.get("id").asLong() + ",\"settings\":{\"graceSeconds\":3600}}")).get("id").asLong();
            List<CheckResult[]> heard = new CopyOnWriteArrayList<>();
            hub.hub().checks().addListener((check, result, previous) -> heard.add(new CheckResult[] {result, previous}));

            var pushed = push(hub, key, "check=nightly%20backup&value=42.5", "");
            assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
            assertThat(pushed.body()).contains("\"up\":true", "\"value\":42.5", "\"method\":\"push\"");
            var json = push(hub, key, "", "{\"check\":\"nightly backup\",\"status\":\"down\",\"message\":\"disk full\"}");
            assertThat(json.body()).contains("\"up\":false", "\"message\":\"disk full\"");
            assertThat(push(hub, key, "check=nightly%20backup", "").body()).contains("\"up\":true");

            assertThat(push(hub, "smk_wrong", "check=nightly%20backup", "").statusCode()).isEqualTo(401);
            assertThat(push(hub, null, "check=nightly%20backup", "").statusCode()).isEqualTo(401);
            assertThat(push(hub, key, "check=nope", "").statusCode()).isEqualTo(404);
            assertThat(push(hub, key, "check=nightly%20backup&value=abc", "").statusCode()).isEqualTo(400);
            assertThat(push(hub, key, "check=nightly%20backup&status=sideways", "").statusCode()).isEqualTo(400);
            String otherKey = hub.registerHost("other").get("key").asText();
            assertThat(push(hub, otherKey, "check=nightly%20backup", "").statusCode()).isEqualTo(403);
            assertThat(admin.post("/api/v1/checks/" + id + "/run", "").statusCode()).isEqualTo(422);

            clock.advance(Duration.ofHours(26));
            admin = hub.admin(); // the session expired with the clock
            JsonNode last = waitForLast(admin, id, false);
            assertThat(last.get("message").asText()).isEqualTo("no push for 26 h");
            CheckResult[] transition = heard.stream().filter(r -> !r[0].up() && "deadline".equals(r[0].method())).findFirst().orElseThrow();
            assertThat(transition[1].up()).as("the previous result was the last push").isTrue();
            assertThat(transition[1].method()).isEqualTo("push");

            assertThat(push(hub, key, "check=nightly%20backup", "").body()).contains("\"up\":true");
            assertThat(admin.json(admin.get("/api/v1/checks/" + id)).get("last").get("up").asBoolean()).isTrue();
            JsonNode view = admin.json(admin.get("/api/v1/checks/" + id));
            assertThat(view.get("uptime24h").asDouble()).as("deadline DOWN and the new push in the last 24 h").isEqualTo(50.0);
            assertThat(view.get("uptime30d").asDouble()).as("3 up of 5").isEqualTo(60.0);
        }
    }

    @Test
    void the_status_page_shows_only_public_checks_and_hosts_and_no_internals() throws Exception {
        try (TestHub hub = TestHub.start(); ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var admin = hub.admin();
            long shown = admin.json(admin.post("/api/v1/checks", "{\"name\":\"Website\",\"type\":\"tcp\",\"public\":true,"
                    + "\"settings\":{\"host\":\"127.0.0.1\",\"port\":" + target.getLocalPort() + "}}")).get("id").asLong();
            admin.json(admin.post("/api/v1/checks", "{\"name\":\"secret-intranet\",\"type\":\"tcp\","
                    + "\"settings\":{\"host\":\"intranet.corp.example\",\"port\":8443}}"));
            admin.post("/api/v1/checks/" + shown + "/run", "");
            long web = hub.registerHost("web-1").get("id").asLong();
            hub.registerHost("db-private");
            var put = admin.send(admin.request("/api/v1/hosts/" + web + "/public").header("X-CSRF-Token", admin.csrf())
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"public\":true}")));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(admin.json(admin.get("/api/v1/hosts/" + web + "/public")).get("public").asBoolean()).isTrue();

            var anonymous = hub.anonymous();
            var status = anonymous.get("/api/v1/status");
            assertThat(status.statusCode()).isEqualTo(200);
            JsonNode s = anonymous.json(status);
            assertThat(s.get("checks")).hasSize(1);
            JsonNode c = s.get("checks").get(0);
            assertThat(c.get("name").asText()).isEqualTo("Website");
            assertThat(c.get("up").asBoolean()).isTrue();
            assertThat(c.get("uptime24h").asDouble()).isEqualTo(100.0);
            assertThat(c.get("days")).hasSize(90);
            assertThat(c.get("days").get(89).asDouble()).isEqualTo(100.0);
            assertThat(c.get("days").get(0).isNull()).isTrue();
            assertThat(s.get("hosts")).hasSize(1);
            assertThat(s.get("hosts").get(0).get("name").asText()).isEqualTo("web-1");
            assertThat(s.get("hosts").get(0).get("status").asText()).isEqualTo("EMPTY");
            assertThat(status.body()).doesNotContain("127.0.0.1", String.valueOf(target.getLocalPort()), "secret-intranet", "intranet.corp",
                    "db-private", "connected to", "\"id\"", "target", "message");

            var page = anonymous.get("/status");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
            assertThat(page.body()).contains("/js/status.js");
            assertThat(anonymous.get("/js/status.js").statusCode()).isEqualTo(200);
        }
    }

    private static JsonNode waitForLast(TestHub.Client admin, long id, boolean up) throws InterruptedException {
        JsonNode last = null;
        for (int i = 0; i < 100; i++) {
            last = admin.json(admin.get("/api/v1/checks/" + id)).get("last");
            if (last != null && !last.isNull() && last.get("up").asBoolean() == up) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("check " + id + " did not turn " + (up ? "UP" : "DOWN") + "; last " + last);
    }

    private static HttpResponse<String> push(TestHub hub, String key, String query, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(hub.ingestUrl() + "/api/v1/push" + (query.isEmpty() ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (!body.isEmpty()) {
            b.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A port nothing listens on. */
    static final class ProbesPorts {
        static int closed() throws Exception {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }
}
