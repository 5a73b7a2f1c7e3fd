package dev.servmon.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.storage.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real hub for tests: both ports on free loopback ports, SQLite in a temporary directory,
 * admin password {@link #ADMIN_PASSWORD}. Close it to stop the hub and delete the directory.
 */
public final class TestHub implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "test-admin-password-123";
    /** The password of users made with {@link #addUser}. */
    public static final String USER_PASSWORD = "test-user-password-456";

    private final Path dataDir;
    private final Hub hub;
    private final ObjectMapper json = Json.mapper();
    private Client registrar;
    private Client watcher;

    private TestHub(Path dataDir, Hub hub) {
        this.dataDir = dataDir;
        this.hub = hub;
    }

    public static TestHub start() {
        return start(Clock.systemUTC());
    }

    public static TestHub start(Clock clock) {
        return start(cfg -> cfg.withClock(clock));
    }

    /** A hub on a fresh database of the shared embedded PostgreSQL server instead of SQLite. */
    public static TestHub startPostgres(Clock clock) {
        return start(clock, true, UnaryOperator.identity());
    }

    /** A hub whose config {@code adjust} changes (after the test defaults are applied). */
    public static TestHub start(UnaryOperator<HubConfig> adjust) {
        return start(Clock.systemUTC(), false, adjust);
    }

    /** A hub whose agent commands go to {@code commands} (a recording channel in tests) instead of answering 503. */
    public static TestHub start(dev.servmon.hub.control.CommandSender commands, dev.servmon.hub.programs.CommandResults results) {
        return start(Clock.systemUTC(), false, UnaryOperator.identity(), commands, results);
    }

    private static TestHub start(Clock clock, boolean postgres, UnaryOperator<HubConfig> adjust) {
        return start(clock, postgres, adjust, null, null);
    }

    private static TestHub start(Clock clock, boolean postgres, UnaryOperator<HubConfig> adjust,
            dev.servmon.hub.control.CommandSender commands, dev.servmon.hub.programs.CommandResults results) {
        try {
            Path dir = Files.createTempDirectory("servmon-test-hub");
            var config = HubConfig.defaults(dir)
                    .withPorts("127.0.0.1", 0, "127.0.0.1", 0)
                    .withInitialAdminPassword(ADMIN_PASSWORD)
                    .withClock(clock);
            HubConfig adjusted = adjust.apply(postgres ? config.withDatabase(TestPostgres.freshDatabase(dir)) : config);
            Hub hub = commands == null ? Hub.start(adjusted) : Hub.start(adjusted, commands, results);
            return new TestHub(dir, hub);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Hub hub() {
        return hub;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** {@code https} when the hub serves TLS, else {@code http}. */
    public String scheme() {
        return hub.tls().isPresent() ? "https" : "http";
    }

    public String apiUrl() {
        return scheme() + "://127.0.0.1:" + hub.port();
    }

    public String ingestUrl() {
        return scheme() + "://127.0.0.1:" + hub.ingestPort();
    }

    /**
     * TLS that trusts this hub's certificate (and nothing else), or null for a plain-HTTP hub.
     */
    public javax.net.ssl.SSLContext trust() {
        return hub.tls().map(t -> {
            try {
                var ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
                ks.load(null, null);
                ks.setCertificateEntry("hub", t.leaf());
                var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                var ctx = javax.net.ssl.SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                return ctx;
            } catch (java.security.GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }).orElse(null);
    }

    /** An HttpClient for this hub (trusting its certificate when it serves TLS). */
    public HttpClient httpClient() {
        var b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        var trust = trust();
        if (trust != null) {
            b.sslContext(trust);
        }
        return b.build();
    }

    /** A client with its own cookie jar, signed in as admin. */
    public Client admin() {
        Client c = new Client(apiUrl(), json, trust());
        var r = c.post("/api/v1/session", "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("admin login failed: " + r.statusCode() + " " + r.body());
        }
        c.csrf = c.json(r).get("csrfToken").asText();
        return c;
    }

    /** A client with its own cookie jar, signed in as {@code username}. */
    public Client signIn(String username, String password) {
        Client c = new Client(apiUrl(), json);
        var r = c.post("/api/v1/session", "{\"username\":" + quote(username) + ",\"password\":" + quote(password) + "}");
        if (r.statusCode() != 200) {
            throw new IllegalStateException(username + " login failed: " + r.statusCode() + " " + r.body());
        }
        c.csrf = c.json(r).get("csrfToken").asText();
        return c;
    }

    /** Adds a user through the API as admin (password {@link #USER_PASSWORD}); returns the user's JSON. */
    public JsonNode addUser(String username, String role, String... scope) {
        Client c = admin();
        StringBuilder tags = new StringBuilder("[");
        for (String t : scope) {
            tags.append(tags.length() > 1 ? "," : "").append(quote(t));
        }
        var r = c.post("/api/v1/users", "{\"username\":" + quote(username) + ",\"password\":" + quote(USER_PASSWORD)
                + ",\"role\":" + quote(role) + ",\"scope\":" + tags + "]}");
        if (r.statusCode() != 201) {
            throw new IllegalStateException("adding user " + username + " failed: " + r.statusCode() + " " + r.body());
        }
        return c.json(r);
    }

    /** A client that sends {@code Authorization: Bearer token} and no cookies. */
    public Client bearer(String token) {
        Client c = new Client(apiUrl(), json);
        c.bearer = token;
        return c;
    }

    /** One signed-in admin client kept for polling helpers: signing in hashes a password each time. */
    private synchronized Client watcher() {
        if (watcher == null) {
            watcher = admin();
        }
        return watcher;
    }

    /** A client with an empty cookie jar. */
    public Client anonymous() {
        return new Client(apiUrl(), json, trust());
    }

    /** Registers a host through the API; returns {id, name, key, ...}. */
    public synchronized JsonNode registerHost(String name) {
        // One signed-in client for all registrations (a sign-in costs a bcrypt check, ~0.1–0.7 s);
        // a new one when its session ended (a test clock moved past the idle timeout).
        if (registrar == null) {
            registrar = admin();
        }
        var r = registrar.post("/api/v1/hosts", "{\"name\":" + quote(name) + "}");
        if (r.statusCode() == 401) {
            registrar = admin();
            r = registrar.post("/api/v1/hosts", "{\"name\":" + quote(name) + "}");
        }
        Client c = registrar;
        if (r.statusCode() != 201) {
            throw new IllegalStateException("register failed: " + r.statusCode() + " " + r.body());
        }
        return c.json(r);
    }

    /** Sends a raw ingest request with the given key. */
    public HttpResponse<String> ingest(String key, String body) {
        return ingest(key, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    }

    /** Sends a raw ingest request with the given key and {@code Content-Encoding} (null: none). */
    public HttpResponse<String> ingest(String key, byte[] body, String contentEncoding) {
        var b = HttpRequest.newBuilder(URI.create(ingestUrl() + "/api/v1/ingest"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentEncoding != null) {
            b.header("Content-Encoding", contentEncoding);
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return Client.send(httpClient(), b.build());
    }

    /** The command as {@code GET /api/v1/commands/{id}} shows it once its state is {@code state}; fails after {@code timeout}. */
    public JsonNode awaitCommand(String id, String state, Duration timeout) throws InterruptedException {
        Client admin = watcher();
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode c = admin.json(admin.get("/api/v1/commands/" + id));
        while (!c.path("state").asText().equals(state)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("command " + id + " not " + state + " within " + timeout + ": " + c);
            }
            Thread.sleep(20);
            c = admin.json(admin.get("/api/v1/commands/" + id));
        }
        return c;
    }

    /** Samples stored for a host, read back through the raw tier; fails on a duplicate seq. */
    public long storedSamples(long hostId) {
        // An agent may be storing more meanwhile: the read must fall between the counts around it.
        long before = hub.samples().count(hostId);
        var seqs = hub.samples().seqs(hostId);
        long after = hub.samples().count(hostId);
        if (seqs.stream().distinct().count() != seqs.size()) {
            throw new AssertionError("host " + hostId + " has duplicate seq: " + seqs);
        }
        if (seqs.size() < before || seqs.size() > after) {
            throw new AssertionError("host " + hostId + " counts " + before + ".." + after + " samples but reads " + seqs.size());
        }
        return seqs.size();
    }

    public static String quote(String s) {
        try {
            return Json.mapper().writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        hub.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tiny HTTP client for the UI/API port that keeps cookies and sends the CSRF token. */
    public static final class Client {
        private final String base;
        private final ObjectMapper json;
        private final HttpClient http;
        String csrf;
        String bearer;

        Client(String base, ObjectMapper json) {
            this(base, json, null);
        }

        Client(String base, ObjectMapper json, javax.net.ssl.SSLContext trust) {
            this.base = base;
            this.json = json;
            var b = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5));
            if (trust != null) {
                b.sslContext(trust);
            }
            this.http = b.build();
        }

        public HttpClient http() {
            return http;
        }

        /** This client, sending {@code token} as the CSRF token from now on (after signing in by hand). */
        public Client withCsrf(String token) {
            this.csrf = token;
            return this;
        }

        public String csrf() {
            return csrf;
        }

        public HttpResponse<String> get(String path) {
            return send(http, request(path).GET().build());
        }

        public HttpResponse<String> post(String path, String body) {
            return send(http, withCsrf(request(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        }

        public HttpResponse<String> put(String path, String body) {
            return send(http, withCsrf(request(path)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        }

        public HttpResponse<String> patch(String path, String body) {
            return send(http, withCsrf(request(path)).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
        }

        public HttpResponse<String> delete(String path) {
            return send(http, withCsrf(request(path)).DELETE().build());
        }

        public HttpResponse<String> send(HttpRequest.Builder b) {
            return send(http, b.build());
        }

        public HttpRequest.Builder request(String path) {
            var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
            return b;
        }

        /** Replaces the CSRF token this client sends (tests of a wrong one). */
        public void csrf(String token) {
            this.csrf = token;
        }

        private HttpRequest.Builder withCsrf(HttpRequest.Builder b) {
            if (csrf != null) {
                b.header("X-CSRF-Token", csrf);
            }
            return b;
        }

        public JsonNode json(HttpResponse<String> r) {
            try {
                return json.readTree(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + r.body(), e);
            }
        }

        static HttpResponse<String> send(HttpClient http, HttpRequest req) {
            try {
                return http.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
