package dev.servmon.hub.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.TestHub;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's files over real HTTP from a running hub: types, bodies, caching, gzip, includes, and what must stay a 404. */
class DashboardFilesHttpTest {
    /** Expected types, written out here rather than taken from the code under test. */
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html;charset=utf-8", "js", "text/javascript;charset=utf-8", "css", "text/css;charset=utf-8",
            "svg", "image/svg+xml;charset=utf-8", "md", "text/markdown;charset=utf-8", "", "text/plain;charset=utf-8");
    /** Each page with the top bar, and the navigation link it marks current (null: none). */
    private static final Map<String, String> CURRENT = new LinkedHashMap<>();

    static {
        CURRENT.put("/", "nav-hosts");
        CURRENT.put("/index.html", "nav-hosts");
        CURRENT.put("/checks.html", "nav-checks");
        CURRENT.put("/alerts.html", "nav-alerts");
        CURRENT.put("/account.html", "nav-account");
        CURRENT.put("/users.html", "nav-users");
        CURRENT.put("/audit.html", "nav-audit");
        CURRENT.put("/host.html", null);
    }

    private static TestHub hub;
    private static HttpClient http;
    private static Map<String, byte[]> sources;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
        http = hub.httpClient();
        sources = ClasspathFolder.read(DashboardFiles.class, DashboardFiles.FOLDER);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static HttpResponse<byte[]> send(String method, String path, String... headers) throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(URI.create(hub.apiUrl() + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), UTF_8);
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static String extension(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        return file.contains(".") ? file.substring(file.lastIndexOf('.') + 1) : "";
    }

    @Test
    void every_file_under_web_is_served_with_its_type_and_its_bytes() throws Exception {
        assertThat(sources).containsKeys("index.html", "js/api.js", "css/app.css", "favicon.svg", "vendor/uplot/uPlot.iife.min.js");
        for (var e : sources.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("partials/")) {
                continue;
            }
            var r = send("GET", "/" + name);
            assertThat(r.statusCode()).as(name).isEqualTo(200);
            assertThat(header(r, "Content-Type")).as(name).isEqualTo(TYPES.get(extension(name)));
            assertThat(header(r, "Cache-Control")).as(name).isEqualTo("no-cache");
            assertThat(header(r, "Content-Encoding")).as(name + ": not asked for gzip").isNull();
            assertThat(header(r, "Content-Length")).as(name).isEqualTo(Integer.toString(r.body().length));
            if (name.endsWith(".html")) {
                assertThat(text(r)).as(name).doesNotContain("<!--servmon:").doesNotContain("data-nav").startsWith("<!doctype html>");
            } else {
                assertThat(r.body()).as(name).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void slash_is_the_index_page_and_status_is_the_status_page() throws Exception {
        assertThat(send("GET", "/").body()).isEqualTo(send("GET", "/index.html").body());
        var status = send("GET", "/status");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(header(status, "Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(status.body()).isEqualTo(send("GET", "/status.html").body());
        assertThat(text(status)).contains("<meta charset=\"utf-8\">").doesNotContain("<!--servmon:");
    }

    @Test
    void a_strong_etag_answers_304_with_no_body_and_changes_with_the_representation() throws Exception {
        var first = send("GET", "/js/api.js");
        String etag = header(first, "ETag");
        assertThat(etag).matches("\"[A-Za-z0-9_-]+\"");
        var again = send("GET", "/js/api.js", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(header(again, "ETag")).isEqualTo(etag);
        assertThat(send("GET", "/js/api.js", "If-None-Match", "W/" + etag).statusCode()).as("weak comparison").isEqualTo(304);
        assertThat(send("GET", "/js/api.js", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/css/app.css", "If-None-Match", etag).statusCode()).as("another file's tag").isEqualTo(200);
        var gz = send("GET", "/js/api.js", "Accept-Encoding", "gzip");
        assertThat(header(gz, "ETag")).as("gzip is another representation").isNotEqualTo(etag);
        assertThat(send("GET", "/js/api.js", "Accept-Encoding", "gzip", "If-None-Match", header(gz, "ETag")).statusCode()).isEqualTo(304);
    }

    @Test
    void head_sends_the_headers_of_get_without_a_body() throws Exception {
        for (String path : List.of("/", "/css/app.css", "/favicon.svg")) {
            var get = send("GET", path);
            var head = send("HEAD", path);
            assertThat(head.statusCode()).as(path).isEqualTo(200);
            assertThat(head.body()).as(path).isEmpty();
            assertThat(header(head, "Content-Length")).as(path).isEqualTo(Integer.toString(get.body().length));
            assertThat(header(head, "Content-Type")).as(path).isEqualTo(header(get, "Content-Type"));
            assertThat(header(head, "ETag")).as(path).isEqualTo(header(get, "ETag"));
        }
    }

    @Test
    void gzip_is_sent_once_compressed_to_clients_that_accept_it_and_only_for_text_worth_it() throws Exception {
        for (String path : List.of("/index.html", "/css/app.css", "/js/api.js", "/vendor/uplot/uPlot.iife.min.js")) {
            var plain = send("GET", path);
            var gz = send("GET", path, "Accept-Encoding", "gzip, deflate, br");
            assertThat(header(gz, "Content-Encoding")).as(path).isEqualTo("gzip");
            assertThat(header(gz, "Vary")).as(path).isEqualTo("Accept-Encoding");
            assertThat(header(gz, "Content-Length")).as(path).isEqualTo(Integer.toString(gz.body().length));
            assertThat(gz.body().length).as(path).isLessThan(plain.body().length / 2);
            try (var in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
                assertThat(in.readAllBytes()).as(path + ": gunzipped once is the file (not compressed twice)").isEqualTo(plain.body());
            }
        }
        var small = send("GET", "/favicon.svg", "Accept-Encoding", "gzip");
        assertThat(header(small, "Content-Encoding")).as("391 bytes are not worth it").isNull();
        assertThat(small.body()).isEqualTo(sources.get("favicon.svg"));
        var refused = send("GET", "/css/app.css", "Accept-Encoding", "gzip;q=0, br");
        assertThat(header(refused, "Content-Encoding")).isNull();
        assertThat(refused.body()).isEqualTo(sources.get("css/app.css"));
    }

    @Test
    void paths_outside_the_known_files_are_404_problems_or_refused_by_jetty_as_400_problems() throws Exception {
        List<String> reachUs = List.of("/js/../index.html", "/js/%2e%2e/index.html", "/js/%2E%2E/js/api.js", "/js%5capi.js",
                "/js/api.js%00", "/partials/topbar-start.html", "/web/index.html", "/js/", "/js", "/nothing.html", "/INDEX.HTML",
                "/index.html/", "/js/api.js%2F");
        for (String path : reachUs) {
            var r = send("GET", path);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            // Refused by Jetty (400) or not found by us (404): problem JSON either way, never an HTML page.
            assertThat(header(r, "Content-Type")).as(path).startsWith("application/problem+json");
            assertThat(header(r, "X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(text(r)).as(path).contains("\"status\":" + r.statusCode()).doesNotContainIgnoringCase("<html");
        }
        assertThat(send("GET", "/js/../index.html").statusCode()).as("a dot segment is not resolved").isEqualTo(404);
        assertThat(send("GET", "/js/%2e%2e/index.html").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/js%5capi.js").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/partials/topbar-start.html").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/js/%61pi.js").body()).as("plain letters may be escaped").isEqualTo(sources.get("js/api.js"));
    }

    @Test
    void api_paths_keep_the_api_answers_and_other_methods_are_not_served() throws Exception {
        var unknown = send("GET", "/api/v1/nothing-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(header(unknown, "Content-Type")).startsWith("application/problem+json");
        assertThat(send("GET", "/api/v1/hosts").statusCode()).as("a real route, not a file").isEqualTo(401);
        assertThat(text(send("GET", "/healthz"))).doesNotContain("<html");
        var post = send("POST", "/index.html");
        assertThat(post.statusCode()).isIn(404, 405);
        assertThat(header(post, "Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void pages_carry_the_security_headers() throws Exception {
        for (String path : List.of("/", "/login.html", "/alerts.html", "/js/api.js", "/status")) {
            var r = send("GET", path);
            assertThat(header(r, "Content-Security-Policy")).as(path).contains("script-src 'self'");
            assertThat(header(r, "X-Frame-Options")).as(path).isEqualTo("DENY");
            assertThat(header(r, "X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(header(r, "Referrer-Policy")).as(path).isEqualTo("no-referrer");
            assertThat(header(r, "Cross-Origin-Opener-Policy")).as(path).isEqualTo("same-origin");
        }
        assertThat(header(send("GET", "/css/app.css", "If-None-Match", "*"), "X-Frame-Options")).as("on a 304 too").isEqualTo("DENY");
    }

    @Test
    void every_page_with_the_top_bar_has_it_whole_once_and_marks_only_its_own_link_current() throws Exception {
        Pattern current = Pattern.compile("<a [^>]*aria-current=\"page\"[^>]*data-testid=\"(nav-[a-z]+)\"");
        for (var e : CURRENT.entrySet()) {
            String page = text(send("GET", e.getKey()));
            for (String part : List.of("data-testid=\"alerts-firing\"", "data-theme-toggle", "id=\"user-name\"", "data-testid=\"logout\"",
                    "data-testid=\"nav-hosts\"", "data-testid=\"nav-checks\"", "data-testid=\"nav-alerts\"", "data-testid=\"nav-account\"",
                    "data-testid=\"nav-users\"", "data-testid=\"nav-audit\"", "<header class=\"topbar\">")) {
                assertThat(page.split(Pattern.quote(part), -1)).as(e.getKey() + " has " + part + " once").hasSize(2);
            }
            Matcher m = current.matcher(page);
            List<String> marked = m.results().map(r -> r.group(1)).toList();
            assertThat(marked).as(e.getKey()).isEqualTo(e.getValue() == null ? List.of() : List.of(e.getValue()));
        }
        for (String live : List.of("/", "/alerts.html", "/checks.html", "/host.html")) {
            assertThat(text(send("GET", live))).as(live).contains("data-testid=\"live-status\"");
        }
        for (String plain : List.of("/login.html", "/status.html")) {
            assertThat(text(send("GET", plain))).as(plain + " keeps its own header").doesNotContain("data-testid=\"nav-hosts\"");
        }
        assertThat(text(send("GET", "/host.html"))).contains("data-testid=\"delete-dialog\"");
        assertThat(text(send("GET", "/"))).contains("data-testid=\"delete-dialog\"");
    }
}
