package dev.servmon.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.Samples;
import dev.servmon.hub.SecurityConfig;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.api.RateLimits;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Thousands of mutated requests to the ingest port and the API: truncated and type-swapped
 * bodies, huge numbers, deep nesting, odd unicode, wrong content types, junk paths and
 * parameters, every method. None may get a 5xx, and the hub must work normally afterwards.
 * Rate limits are off so that the requests reach the handlers.
 */
class FuzzTest {
    private static final int REQUESTS = 10_000;
    private static final Duration BUDGET = Duration.ofSeconds(55);
    private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"};
    private static final String[] CONTENT_TYPES = {"application/json", "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/json; charset=latin1", "", "*/*", "application/problem+json"};
    private static final String[] API_PATHS = {"/api/v1/hosts", "/api/v1/hosts/%s", "/api/v1/hosts/%s/series", "/api/v1/hosts/%s/metrics",
            "/api/v1/hosts/%s/history", "/api/v1/metrics", "/api/v1/session", "/api/v1/session/totp", "/api/v1/session/totp/confirm",
            "/api/v1/%s", "/%s", "/install/%s", "/api/v1/events", "/healthz"};
    private static final String[] JUNK = {"", "0", "-1", "1", "999999999999999999999999", "abc", "1.5", "1e5", "%00", "%ff%fe", "..%2f..%2fetc%2fpasswd",
            "%3Cscript%3E", "%F0%9F%92%A5", "NaN", "Infinity", "0x10", "%20", "a%2Fb", "9223372036854775808", "-9223372036854775809",
            "x".repeat(3000)};
    private static final String[] QUERY_KEYS = {"names", "from", "to", "step", "page", "size", "sort", "id"};

    @Test
    void ten_thousand_mutated_requests_get_no_5xx_and_the_hub_still_works() throws Exception {
        var security = SecurityConfig.DEFAULTS.withRateLimits(RateLimits.OFF);
        try (var hub = TestHub.start(cfg -> cfg.withSecurity(security))) {
            var host = hub.registerHost("fuzz-target");
            String key = host.get("key").asText();
            String hostId = host.get("id").asText();
            var admin = hub.admin();
            String valid = Samples.batch(System.currentTimeMillis(), 1, 2, 3);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

            Map<String, Integer> serverErrors = new ConcurrentHashMap<>();
            AtomicInteger sent = new AtomicInteger();
            long deadline = System.nanoTime() + BUDGET.toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                long seed = 42 + w;
                workers.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    while (sent.get() < REQUESTS && System.nanoTime() < deadline) {
                        int n = sent.incrementAndGet();
                        HttpRequest req = n % 2 == 0
                                ? ingestRequest(rnd, hub.ingestUrl(), key, valid)
                                : apiRequest(rnd, hub.apiUrl(), hostId, admin.csrf(), valid);
                        try {
                            var r = admin.http().send(req, HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() >= 500) {
                                serverErrors.merge(req.method() + " " + trim(req.uri().getRawPath()) + " -> " + r.statusCode(), 1, Integer::sum);
                            }
                        } catch (java.io.IOException e) {
                            // The server may close a connection on garbage (a 400 at the HTTP layer); not a 5xx.
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
            pool.shutdown();

            assertThat(serverErrors).as("requests answered with 5xx").isEmpty();
            assertThat(sent.get()).as("requests sent within %s", BUDGET).isGreaterThanOrEqualTo(REQUESTS);

            // Still ingesting and serving (the fuzz may have renamed or deleted its host: use a new one).
            var after = hub.registerHost("after-fuzz");
            var ok = hub.ingest(after.get("key").asText(), Samples.batch(System.currentTimeMillis(), 1, 2));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(hub.storedSamples(after.get("id").asLong())).isEqualTo(2);
            assertThat(hub.admin().get("/api/v1/hosts/" + after.get("id").asText()).statusCode()).isEqualTo(200);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(hub.apiUrl() + "/")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        }
    }

    private static HttpRequest ingestRequest(Random rnd, String base, String key, String valid) {
        byte[] body = mutate(rnd, valid);
        var b = HttpRequest.newBuilder(URI.create(base + (rnd.nextInt(10) == 0 ? "/api/v1/" + JUNK[rnd.nextInt(JUNK.length)] : "/api/v1/ingest")))
                .timeout(Duration.ofSeconds(30));
        if (rnd.nextInt(8) != 0) {
            b.header("Authorization", rnd.nextInt(10) == 0 ? "Bearer " + JUNK[rnd.nextInt(JUNK.length)] : "Bearer " + key);
        }
        String type = CONTENT_TYPES[rnd.nextInt(CONTENT_TYPES.length)];
        if (!type.isEmpty()) {
            b.header("Content-Type", type);
        }
        if (rnd.nextInt(6) == 0) {
            b.header("Content-Encoding", rnd.nextBoolean() ? "gzip" : "br");
            if (rnd.nextBoolean()) {
                body = gzip(body);
            }
        }
        String method = rnd.nextInt(10) == 0 ? METHODS[rnd.nextInt(METHODS.length)] : "POST";
        return b.method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static HttpRequest apiRequest(Random rnd, String base, String hostId, String csrf, String valid) {
        String path = API_PATHS[rnd.nextInt(API_PATHS.length)];
        String id = rnd.nextInt(3) == 0 ? hostId : JUNK[rnd.nextInt(JUNK.length)];
        StringBuilder url = new StringBuilder(base).append(path.contains("%s") ? String.format(path, id) : path);
        int params = rnd.nextInt(4);
        for (int i = 0; i < params; i++) {
            url.append(i == 0 ? '?' : '&').append(QUERY_KEYS[rnd.nextInt(QUERY_KEYS.length)]).append('=').append(JUNK[rnd.nextInt(JUNK.length)]);
        }
        String method = METHODS[rnd.nextInt(METHODS.length)];
        var b = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(30));
        if (rnd.nextInt(5) != 0) {
            b.header("X-CSRF-Token", csrf);
        }
        String type = CONTENT_TYPES[rnd.nextInt(CONTENT_TYPES.length)];
        if (!type.isEmpty()) {
            b.header("Content-Type", type);
        }
        String seed = switch (rnd.nextInt(4)) {
            case 0 -> "{\"name\":\"fuzz\"}";
            case 1 -> "{\"username\":\"admin\",\"password\":\"x\",\"code\":\"123456\"}";
            case 2 -> "{\"code\":\"123456\",\"password\":\"abc\"}";
            default -> valid;
        };
        byte[] body = mutate(rnd, seed);
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")
                ? b.method(method, HttpRequest.BodyPublishers.noBody()).build()
                : b.method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** A mutation of {@code json}: one of truncation, type swaps, huge numbers, deep nesting, odd unicode, random bytes. */
    static byte[] mutate(Random rnd, String json) {
        return switch (rnd.nextInt(10)) {
            case 0 -> json.substring(0, rnd.nextInt(json.length() + 1)).getBytes(StandardCharsets.UTF_8);
            case 1 -> swapValue(rnd, json, new String[] {"\"text\"", "[]", "{}", "null", "true", "-0", "[1,2]", "{\"a\":1}"});
            case 2 -> swapValue(rnd, json, new String[] {"1e999999", "9".repeat(5000), "-1e-999", "1.7976931348623157E309",
                    "123456789012345678901234567890", "NaN", "-Infinity", "0.0000000000000000000000001"});
            case 3 -> {
                int depth = 10 + rnd.nextInt(5000);
                yield ("[".repeat(depth) + "]".repeat(rnd.nextBoolean() ? depth : depth / 2)).getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> {
                StringBuilder sb = new StringBuilder(json);
                int at = sb.indexOf("\"", rnd.nextInt(Math.max(1, sb.length())));
                String odd = switch (rnd.nextInt(5)) {
                    case 0 -> "\\u0000\\ud800";
                    case 1 -> "\u202e\u200b\ufeff";
                    case 2 -> "<script>window.__xss=1</script>";
                    case 3 -> "\\uDFFF\\uD800\\uD800";
                    default -> "😀".repeat(rnd.nextInt(2000));
                };
                if (at >= 0) {
                    sb.insert(at + 1, odd);
                }
                yield sb.toString().getBytes(StandardCharsets.UTF_8);
            }
            case 5 -> {
                byte[] junk = new byte[rnd.nextInt(2048)];
                rnd.nextBytes(junk);
                yield junk;
            }
            case 6 -> ("{\"s\":\"" + "x".repeat(70_000 + rnd.nextInt(10_000)) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 7 -> json.replace("\"samples\"", "\"samples\":[],\"samples\"").getBytes(StandardCharsets.UTF_8);
            case 8 -> new byte[0];
            default -> json.getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] swapValue(Random rnd, String json, String[] replacements) {
        // Replace the value after a random ':' with another type or an extreme number.
        List<Integer> colons = new ArrayList<>();
        for (int i = 0; i < json.length(); i++) {
            if (json.charAt(i) == ':') {
                colons.add(i);
            }
        }
        if (colons.isEmpty()) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
        int at = colons.get(rnd.nextInt(colons.size())) + 1;
        int end = at;
        while (end < json.length() && ",}]".indexOf(json.charAt(end)) < 0) {
            end++;
        }
        return (json.substring(0, at) + replacements[rnd.nextInt(replacements.length)] + json.substring(end)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] body) {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String trim(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
