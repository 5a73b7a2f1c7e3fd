package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.api.RouteTable;
import dev.servmon.hub.auth.Role;
import dev.servmon.hub.auth.Sessions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of the API port ({@link Hub#apiRoutes()}) against every kind of caller: the answer
 * must follow from the route's role alone — 401 without valid credentials, 403 with a role too
 * low (or a wrong CSRF token, or an API token on what needs a session), anything else ("let in":
 * 200, 204, 400, 404, 406 …) otherwise. The expected roles are written out here: a route added
 * without a line in {@link #EXPECTED}, or a line whose route is gone, fails
 * {@link #the_expected_table_covers_exactly_the_registered_routes}.
 */
class AuthzMatrixTest {
    /** Marks a public route in {@link #EXPECTED}. */
    private static final String PUBLIC = "public";

    /** Every route of the API port, and the least role that may call it. */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("GET /healthz", PUBLIC);
        EXPECTED.put("GET /install/agent.sh", PUBLIC);
        EXPECTED.put("GET /install/servmon-agent.jar", PUBLIC);
        EXPECTED.put("GET /install/ca.pem", PUBLIC);
        EXPECTED.put("POST /api/v1/session", PUBLIC);
        EXPECTED.put("GET /api/v1/session", "viewer");
        EXPECTED.put("DELETE /api/v1/session", "viewer");
        EXPECTED.put("POST /api/v1/session/password", "viewer");
        EXPECTED.put("GET /api/v1/hosts", "viewer");
        EXPECTED.put("POST /api/v1/hosts", "operator");
        EXPECTED.put("GET /api/v1/hosts/{id}", "viewer");
        EXPECTED.put("PATCH /api/v1/hosts/{id}", "operator");
        EXPECTED.put("DELETE /api/v1/hosts/{id}", "operator");
        EXPECTED.put("POST /api/v1/hosts/{id}/key", "operator");
        EXPECTED.put("GET /api/v1/metrics", "viewer");
        EXPECTED.put("GET /api/v1/hosts/{id}/series", "viewer");
        EXPECTED.put("GET /api/v1/hosts/{id}/metrics", "viewer");
        EXPECTED.put("GET /api/v1/hosts/{id}/history", "viewer");
        EXPECTED.put("GET /api/v1/events", "viewer");
        EXPECTED.put("GET /api/v1/users", "admin");
        EXPECTED.put("POST /api/v1/users", "admin");
        EXPECTED.put("GET /api/v1/users/{id}", "admin");
        EXPECTED.put("PATCH /api/v1/users/{id}", "admin");
        EXPECTED.put("DELETE /api/v1/users/{id}", "admin");
        EXPECTED.put("GET /api/v1/tokens", "viewer");
        EXPECTED.put("POST /api/v1/tokens", "viewer");
        EXPECTED.put("DELETE /api/v1/tokens/{id}", "viewer");
        EXPECTED.put("GET /api/v1/audit", "admin");
        // Two-factor sign-in (issue 7): the caller's own, with a session.
        EXPECTED.put("GET /api/v1/session/totp", "viewer");
        EXPECTED.put("POST /api/v1/session/totp", "viewer");
        EXPECTED.put("POST /api/v1/session/totp/confirm", "viewer");
        EXPECTED.put("DELETE /api/v1/session/totp", "viewer");
        // Command history, power and Wake-on-LAN (issue 5).
        EXPECTED.put("GET /api/v1/hosts/{id}/commands", "viewer");
        EXPECTED.put("GET /api/v1/commands/{id}", "viewer");
        EXPECTED.put("POST /api/v1/hosts/{id}/power", "operator");
        EXPECTED.put("POST /api/v1/hosts/{id}/wake", "operator");
        EXPECTED.put("GET /api/v1/hosts/{id}/wol", "viewer");
        EXPECTED.put("PUT /api/v1/hosts/{id}/wol", "operator");
        EXPECTED.put("GET /api/v1/power/wakeable", "viewer");
        // Power policy: schedules, idle policy, energy (issue 5).
        EXPECTED.put("GET /api/v1/power/schedules", "viewer");
        EXPECTED.put("POST /api/v1/power/schedules", "operator");
        EXPECTED.put("PUT /api/v1/power/schedules/{id}", "operator");
        EXPECTED.put("DELETE /api/v1/power/schedules/{id}", "operator");
        EXPECTED.put("GET /api/v1/hosts/{id}/power-decisions", "viewer");
        EXPECTED.put("GET /api/v1/hosts/{id}/idle-policy", "viewer");
        EXPECTED.put("PUT /api/v1/hosts/{id}/idle-policy", "operator");
        EXPECTED.put("GET /api/v1/energy", "viewer");
        EXPECTED.put("PUT /api/v1/hosts/{id}/energy", "operator");
        // Programs, health checks and the status page, alerts (issues 5 and 8).
        EXPECTED.put("GET /api/v1/hosts/{id}/programs", "viewer");
        EXPECTED.put("POST /api/v1/hosts/{id}/programs", "operator");
        EXPECTED.put("GET /api/v1/hosts/{id}/programs/{pid}", "viewer");
        EXPECTED.put("PUT /api/v1/hosts/{id}/programs/{pid}", "operator");
        EXPECTED.put("DELETE /api/v1/hosts/{id}/programs/{pid}", "operator");
        EXPECTED.put("POST /api/v1/hosts/{id}/programs/{pid}/start", "operator");
        EXPECTED.put("POST /api/v1/hosts/{id}/programs/{pid}/stop", "operator");
        EXPECTED.put("POST /api/v1/hosts/{id}/programs/{pid}/restart", "operator");
        EXPECTED.put("GET /api/v1/hosts/{id}/programs/{pid}/history", "viewer");
        EXPECTED.put("GET /api/v1/hosts/{id}/programs/{pid}/events", "viewer");
        EXPECTED.put("GET /api/v1/hosts/{id}/programs/{pid}/log", "operator");
        EXPECTED.put("GET /api/v1/checks", "viewer");
        EXPECTED.put("POST /api/v1/checks", "operator");
        EXPECTED.put("GET /api/v1/checks/{id}", "viewer");
        EXPECTED.put("PUT /api/v1/checks/{id}", "operator");
        EXPECTED.put("DELETE /api/v1/checks/{id}", "operator");
        EXPECTED.put("POST /api/v1/checks/{id}/run", "operator");
        EXPECTED.put("GET /api/v1/checks/{id}/results", "viewer");
        EXPECTED.put("GET /api/v1/hosts/{id}/public", "viewer");
        EXPECTED.put("PUT /api/v1/hosts/{id}/public", "operator");
        EXPECTED.put("GET /api/v1/alert-rules", "viewer");
        EXPECTED.put("POST /api/v1/alert-rules", "operator");
        EXPECTED.put("GET /api/v1/alert-rules/{id}", "viewer");
        EXPECTED.put("PUT /api/v1/alert-rules/{id}", "operator");
        EXPECTED.put("DELETE /api/v1/alert-rules/{id}", "operator");
        EXPECTED.put("GET /api/v1/alert-metrics", "viewer");
        EXPECTED.put("GET /api/v1/alerts", "viewer");
        EXPECTED.put("GET /api/v1/alerts/summary", "viewer");
        EXPECTED.put("GET /api/v1/alerts/{id}", "viewer");
        EXPECTED.put("POST /api/v1/alerts/{id}/ack", "operator");
        EXPECTED.put("GET /api/v1/silences", "viewer");
        EXPECTED.put("POST /api/v1/silences", "operator");
        EXPECTED.put("DELETE /api/v1/silences/{id}", "operator");
        EXPECTED.put("GET /api/v1/hosts/{id}/dependencies", "viewer");
        EXPECTED.put("PUT /api/v1/hosts/{id}/dependencies", "operator");
        EXPECTED.put("GET /api/v1/maintenance-windows", "viewer");
        EXPECTED.put("POST /api/v1/maintenance-windows", "operator");
        EXPECTED.put("PUT /api/v1/maintenance-windows/{id}", "operator");
        EXPECTED.put("DELETE /api/v1/maintenance-windows/{id}", "operator");
        EXPECTED.put("GET /api/v1/notifiers", "viewer");
        EXPECTED.put("POST /api/v1/notifiers", "operator");
        EXPECTED.put("GET /api/v1/notifiers/{id}", "viewer");
        EXPECTED.put("PUT /api/v1/notifiers/{id}", "operator");
        EXPECTED.put("DELETE /api/v1/notifiers/{id}", "operator");
        EXPECTED.put("POST /api/v1/notifiers/{id}/test", "operator");
        EXPECTED.put("GET /api/v1/notifiers/{id}/deliveries", "viewer");
        EXPECTED.put("GET /status", PUBLIC);
        EXPECTED.put("GET /api/v1/status", PUBLIC);
    }

    /** Routes only a person with a session may call: an API token gets 403 there whatever its role. */
    private static final Set<String> SESSION_ONLY = Set.of("DELETE /api/v1/session", "POST /api/v1/session/password", "POST /api/v1/tokens",
            "GET /api/v1/session/totp", "POST /api/v1/session/totp", "POST /api/v1/session/totp/confirm", "DELETE /api/v1/session/totp");

    private static final String LET_IN = "let in";

    /** Every kind of caller; {@code role} is what it may do when its credentials are good. */
    enum Caller {
        ANONYMOUS(null), VIEWER(Role.VIEWER), OPERATOR(Role.OPERATOR), ADMIN(Role.ADMIN),
        VIEWER_TOKEN(Role.VIEWER), OPERATOR_TOKEN(Role.OPERATOR), ADMIN_TOKEN(Role.ADMIN),
        REVOKED_TOKEN(null), EXPIRED_SESSION(null), WRONG_CSRF(Role.ADMIN);

        final Role role;

        Caller(Role role) {
            this.role = role;
        }

        boolean token() {
            return name().endsWith("_TOKEN") && this != REVOKED_TOKEN;
        }
    }

    static final MutableClock clock = new MutableClock(1_800_000_000_000L);
    static TestHub hub;
    static final Map<Caller, TestHub.Client> clients = new LinkedHashMap<>();
    static final Map<String, Long> targets = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        // Request rate limits off: the matrix sends hundreds of requests a second from one address
        // (RateLimitTest covers the limits); 429 would hide the 401/403 this test is about.
        hub = TestHub.start(cfg -> cfg.withClock(clock).withSecurity(new dev.servmon.hub.SecurityConfig(dev.servmon.hub.tls.TlsConfig.OFF,
                null, new dev.servmon.hub.api.RateLimits(5, 0, 200, 0, 60))));
        var expired = hub.admin();
        clock.advance(Sessions.IDLE_TIMEOUT.plusMinutes(1));
        var admin = hub.admin();
        hub.addUser("matrix-viewer", "viewer");
        hub.addUser("matrix-operator", "operator");
        clients.put(Caller.ANONYMOUS, hub.anonymous());
        clients.put(Caller.VIEWER, hub.signIn("matrix-viewer", TestHub.USER_PASSWORD));
        clients.put(Caller.OPERATOR, hub.signIn("matrix-operator", TestHub.USER_PASSWORD));
        clients.put(Caller.ADMIN, admin);
        for (Caller c : List.of(Caller.VIEWER_TOKEN, Caller.OPERATOR_TOKEN, Caller.ADMIN_TOKEN)) {
            clients.put(c, hub.bearer(token(admin, c.role.label())));
        }
        var revoked = admin.json(admin.post("/api/v1/tokens", "{\"name\":\"revoked\",\"role\":\"admin\"}"));
        assertThat(admin.delete("/api/v1/tokens/" + revoked.get("token").get("id").asLong()).statusCode()).isEqualTo(204);
        clients.put(Caller.REVOKED_TOKEN, hub.bearer(revoked.get("secret").asText()));
        clients.put(Caller.EXPIRED_SESSION, expired);
        var wrongCsrf = hub.admin();
        wrongCsrf.csrf("not-the-csrf-token");
        clients.put(Caller.WRONG_CSRF, wrongCsrf);

        var host = hub.registerHost("matrix-host");
        targets.put("hosts", host.get("id").asLong());
        targets.put("users", hub.addUser("matrix-target", "viewer").get("id").asLong());
        targets.put("tokens", admin.json(admin.post("/api/v1/tokens", "{\"name\":\"target\",\"role\":\"viewer\"}")).get("token").get("id").asLong());
        // Ids that need not exist: a 404 is "let in" too; authorization is decided before the lookup.
        for (String kind : List.of("commands", "checks", "alert-rules", "alerts", "silences", "maintenance-windows", "notifiers", "programs", "schedules")) {
            targets.put(kind, 1L);
        }
    }

    private static String token(TestHub.Client admin, String role) {
        var r = admin.post("/api/v1/tokens", "{\"name\":\"matrix-" + role + "\",\"role\":\"" + role + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return admin.json(r).get("secret").asText();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static String key(RouteTable.Entry e) {
        return e.method() + " " + e.path();
    }

    @Test
    void the_expected_table_covers_exactly_the_registered_routes() {
        Map<String, String> registered = new LinkedHashMap<>();
        for (var e : hub.hub().apiRoutes()) {
            registered.put(key(e), e.isPublic() ? PUBLIC : e.role().label());
        }
        var onlyRegistered = new TreeSet<>(registered.keySet());
        onlyRegistered.removeAll(EXPECTED.keySet());
        var onlyExpected = new TreeSet<>(EXPECTED.keySet());
        onlyExpected.removeAll(registered.keySet());
        assertThat(onlyRegistered).as("routes without a line in AuthzMatrixTest.EXPECTED: add one with the role they need").isEmpty();
        assertThat(onlyExpected).as("lines in AuthzMatrixTest.EXPECTED whose route is gone").isEmpty();
        assertThat(registered).as("roles as registered in Routes").containsExactlyInAnyOrderEntriesOf(EXPECTED);
        assertThat(SESSION_ONLY).allMatch(EXPECTED::containsKey);
    }

    @Test
    void every_route_answers_every_kind_of_caller_as_its_role_says() {
        // Signing out ends the caller's session: it goes last.
        List<RouteTable.Entry> routes = new ArrayList<>(hub.hub().apiRoutes());
        routes.sort(Comparator.comparing(e -> key(e).equals("DELETE /api/v1/session")));
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Caller caller : Caller.values()) {
            for (var route : routes) {
                String expected = expected(route, caller);
                int status = call(clients.get(caller), route.method(), fill(route.path())).statusCode();
                boolean ok = expected.equals(LET_IN) ? status != 401 && status != 403 : status == Integer.parseInt(expected);
                if (!ok) {
                    wrong.add(key(route) + " as " + caller + ": expected " + expected + ", got " + status);
                }
                checked++;
            }
        }
        assertThat(wrong).as("answers that do not follow from the routes' roles").isEmpty();
        assertThat(checked).isEqualTo(routes.size() * Caller.values().length);
    }

    private static String expected(RouteTable.Entry route, Caller caller) {
        if (route.isPublic()) {
            return LET_IN;
        }
        if (caller.role == null) {
            return "401";
        }
        if (caller == Caller.WRONG_CSRF && !route.method().equals("GET")) {
            return "403";
        }
        if (caller.token() && SESSION_ONLY.contains(key(route))) {
            return "403";
        }
        return caller.role.atLeast(route.role()) ? LET_IN : "403";
    }

    /** The route's path with a real id of the kind its {@code {id}} names (the segment before it). */
    private static String fill(String path) {
        if (!path.contains("{")) {
            return path;
        }
        String[] parts = path.split("/");
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].equals("{pid}")) {
                parts[i] = String.valueOf(targets.get("programs"));
            } else if (parts[i].equals("{id}")) {
                Long id = targets.get(parts[i - 1]);
                assertThat(id).as("AuthzMatrixTest has no target for " + path + ": add one to 'targets'").isNotNull();
                parts[i] = String.valueOf(id);
            }
        }
        assertThat(String.join("/", parts)).as(path).doesNotContain("{");
        return String.join("/", parts);
    }

    private static HttpResponse<String> call(TestHub.Client c, String method, String path) {
        var b = c.request(path);
        if (method.equals("GET")) {
            return c.send(b.GET());
        }
        // Bodies are empty objects: enough to get past authorization, never enough to change much.
        b.header("Content-Type", "application/json");
        if (c.csrf() != null) {
            b.header("X-CSRF-Token", c.csrf());
        }
        return c.send(b.method(method, HttpRequest.BodyPublishers.ofString("{}")));
    }

    @Test
    void the_api_port_never_accepts_a_host_key() {
        List<String> accepted = new ArrayList<>();
        // A fresh host's key (the matrix may have rotated or deleted the target host's), proven good on ingest.
        String liveKey = hub.registerHost("matrix-agent-1").get("key").asText();
        assertThat(hub.ingest(liveKey, Samples.batch(clock.millis(), 1)).statusCode()).isEqualTo(200);
        var agent = hub.bearer(liveKey);
        for (var route : hub.hub().apiRoutes()) {
            if (!route.isPublic()) {
                int status = call(agent, route.method(), fill(route.path())).statusCode();
                if (status != 401) {
                    accepted.add(key(route) + " answered " + status);
                }
            }
        }
        assertThat(accepted).isEmpty();
        var ingestOnApiPort = hub.anonymous().send(hub.anonymous().request("/api/v1/ingest").header("Authorization", "Bearer " + liveKey)
                .POST(HttpRequest.BodyPublishers.ofString(Samples.batch(clock.millis(), 1))));
        assertThat(ingestOnApiPort.statusCode()).isIn(401, 404, 405);
    }

    @Test
    void the_ingest_port_rejects_api_tokens_and_session_cookies() throws Exception {
        String batch = Samples.batch(clock.millis(), 1);
        var admin = hub.admin();
        String adminToken = token(admin, "admin");
        assertThat(hub.ingest(adminToken, batch).statusCode()).as("API token on ingest").isEqualTo(401);

        String cookie = admin.http().cookieHandler().orElseThrow().get(URI.create(hub.apiUrl()), Map.of()).get("Cookie").get(0);
        assertThat(cookie).contains(Sessions.COOKIE + "=");
        var http = HttpClient.newHttpClient();
        var withCookie = http.send(HttpRequest.newBuilder(URI.create(hub.ingestUrl() + "/api/v1/ingest")).timeout(Duration.ofSeconds(10))
                .header("Cookie", cookie).header("X-CSRF-Token", admin.csrf()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withCookie.statusCode()).as("session cookie on ingest").isEqualTo(401);
        for (String path : List.of("/api/v1/hosts", "/api/v1/users", "/api/v1/session", "/api/v1/audit")) {
            for (String auth : List.of("Bearer " + adminToken, "")) {
                var b = HttpRequest.newBuilder(URI.create(hub.ingestUrl() + path)).timeout(Duration.ofSeconds(10)).header("Cookie", cookie);
                if (!auth.isEmpty()) {
                    b.header("Authorization", auth);
                }
                var r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path + " on the ingest port").isEqualTo(404);
            }
        }
        String liveKey = hub.registerHost("matrix-agent-2").get("key").asText();
        assertThat(hub.ingest(liveKey, batch).statusCode()).as("a host key works there").isEqualTo(200);
    }
}
