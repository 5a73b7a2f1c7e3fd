package dev.servmon.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.SecurityConfig;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.tls.TlsConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of answer of both ports carries the security headers; under TLS also HSTS. */
class SecurityHeadersTest {
    private record Probe(String name, HttpRequest request, int status) {}

    private static List<Probe> probes(TestHub hub) {
        String api = hub.apiUrl();
        String ingest = hub.ingestUrl();
        List<Probe> p = new ArrayList<>();
        p.add(new Probe("api html", get(api + "/"), 200));
        p.add(new Probe("api login page", get(api + "/login.html"), 200));
        p.add(new Probe("api script", get(api + "/js/api.js"), 200));
        p.add(new Probe("api json", get(api + "/healthz"), 200));
        p.add(new Probe("api 401", get(api + "/api/v1/hosts"), 401));
        p.add(new Probe("api 404", get(api + "/api/v1/nothing-here"), 404));
        p.add(new Probe("api 404 static", get(api + "/nothing.html"), 404));
        p.add(new Probe("api 400", post(api + "/api/v1/session", "{\"username\":"), 400));
        p.add(new Probe("api 413", post(api + "/api/v1/session", "{\"username\":\"" + "x".repeat(100_000) + "\"}"), 413));
        p.add(new Probe("ingest json", get(ingest + "/healthz"), 200));
        p.add(new Probe("ingest 401", post(ingest + "/api/v1/ingest", "{}"), 401));
        p.add(new Probe("ingest 404", get(ingest + "/api/v1/hosts"), 404));
        p.add(new Probe("ingest 405", get(ingest + "/api/v1/ingest"), 405));
        return p;
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET().build();
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static void check(TestHub hub, boolean tls) throws Exception {
        var http = hub.httpClient();
        for (Probe probe : probes(hub)) {
            var r = http.send(probe.request(), HttpResponse.BodyHandlers.ofString());
            var h = r.headers();
            assertThat(r.statusCode()).as(probe.name()).isIn(probe.status(), probe.status() == 405 ? 404 : probe.status());
            assertThat(h.firstValue("X-Content-Type-Options")).as(probe.name()).contains("nosniff");
            assertThat(h.firstValue("Referrer-Policy")).as(probe.name()).contains("no-referrer");
            String csp = h.firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as(probe.name()).contains("frame-ancestors 'none'").contains("script-src 'self'")
                    .contains("object-src 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(h.firstValue("X-Frame-Options")).as(probe.name()).contains("DENY");
            if (tls) {
                assertThat(h.firstValue("Strict-Transport-Security")).as(probe.name()).contains("max-age=31536000");
            } else {
                assertThat(h.firstValue("Strict-Transport-Security")).as(probe.name() + ": no HSTS over plain HTTP").isEmpty();
            }
            if (r.statusCode() >= 400) {
                assertThat(h.firstValue("Content-Type").orElse("")).as(probe.name()).startsWith("application/problem+json");
            }
        }
    }

    @Test
    void both_ports_send_security_headers_on_html_json_and_errors() throws Exception {
        try (var hub = TestHub.start()) {
            check(hub, false);
        }
    }

    @Test
    void under_tls_every_answer_also_carries_hsts() throws Exception {
        try (var hub = TestHub.start(cfg -> cfg.withSecurity(SecurityConfig.DEFAULTS.withTls(TlsConfig.selfSignedInDataDir())))) {
            check(hub, true);
        }
    }

    @Test
    void requests_jetty_refuses_before_the_routes_get_problem_json_with_the_same_headers() throws Exception {
        try (TestHub hub = TestHub.start()) {
            for (int port : new int[] {hub.hub().port(), hub.hub().ingestPort()}) {
                for (String request : List.of(
                        "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        "GET /js/%2e%2e/%2e%2e/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        "GET /a\\b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n")) {
                    String answer = raw(port, request);
                    String what = port + " " + request.lines().findFirst().orElseThrow();
                    assertThat(answer).as(what).startsWith("HTTP/1.1 400");
                    String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
                    assertThat(head).as(what).contains("content-type: application/problem+json").contains("x-content-type-options: nosniff")
                            .contains("x-frame-options: deny").contains("content-security-policy: default-src 'self'");
                    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
                    assertThat(body).as(what).contains("\"status\":400").contains("refused before it reached the API")
                            .doesNotContainIgnoringCase("<html").doesNotContain("at org.eclipse");
                }
            }
        }
    }

    /** Sends bytes no HTTP client would send and reads the whole answer (the server closes). */
    private static String raw(int port, String request) throws Exception {
        try (var socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
