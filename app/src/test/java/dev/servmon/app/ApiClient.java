package dev.servmon.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The hub's UI/API port as a signed-in admin sees it: cookie, CSRF token, JSON. */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http;
    private final String csrf;

    private ApiClient(String base, HttpClient http, String csrf) {
        this.base = base;
        this.http = http;
        this.csrf = csrf;
    }

    /** Signs in as {@code admin} at {@code base} (e.g. http://127.0.0.1:8080). */
    /** The HTTP client holding the session cookie, for requests this class has no method for. */
    HttpClient http() {
        return http;
    }

    static ApiClient signIn(String base, String password) {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        var login = send(http, post(base, "/api/v1/session", Map.of("username", "admin", "password", password)).build());
        if (login.statusCode() != 200) {
            throw new IllegalStateException("admin login at " + base + " failed: " + login.statusCode() + " " + login.body());
        }
        return new ApiClient(base, http, tree(login).get("csrfToken").asText());
    }

    /** Registers a host; returns {id, name, key, ...}. */
    JsonNode registerHost(String name) {
        return create("/api/v1/hosts", Map.of("name", name));
    }

    /** POST {@code body} as JSON to {@code path}, which must answer 201; returns what was created. */
    JsonNode create(String path, Object body) {
        var r = send(http, post(base, path, body).header("X-CSRF-Token", csrf).build());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST " + path + " failed: " + r.statusCode() + " " + r.body());
        }
        return tree(r);
    }

    /** GET {@code path}, which must answer 200 with JSON. */
    JsonNode get(String path) {
        var r = send(http, HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return tree(r);
    }

    /** POSTs a report to the ingest port as the host with {@code key}. */
    static HttpResponse<String> ingest(String ingestUrl, String key, String body) {
        return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(ingestUrl + "/api/v1/ingest")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpRequest.Builder post(String base, String path, Object body) {
        try {
            return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode tree(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + r.body(), e);
        }
    }
}
