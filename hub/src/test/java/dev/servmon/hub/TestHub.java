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

    private final Path dataDir;
    private final Hub hub;
    private final ObjectMapper json = Json.mapper();

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

    private static TestHub start(Clock clock, boolean postgres, UnaryOperator<HubConfig> adjust) {
        try {
            Path dir = Files.createTempDirectory("servmon-test-hub");
            var config = HubConfig.defaults(dir)
                    .withPorts("127.0.0.1", 0, "127.0.0.1", 0)
                    .withInitialAdminPassword(ADMIN_PASSWORD)
                    .withClock(clock);
            Hub hub = Hub.start(adjust.apply(postgres ? config.withDatabase(TestPostgres.freshDatabase(dir)) : config));
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

    /** A client with an empty cookie jar. */
    public Client anonymous() {
        return new Client(apiUrl(), json, trust());
    }

    /** Registers a host through the API; returns {id, name, key, ...}. */
    public JsonNode registerHost(String name) {
        Client c = admin();
        var r = c.post("/api/v1/hosts", "{\"name\":" + quote(name) + "}");
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
            return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
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
