package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.servmon.hub.Samples;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.api.Json;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Script injection through every text the hub shows that someone else controls, rendered in real
 * Chromium: host names and tags, the names an agent reports, programs (names, commands, arguments,
 * environment, status messages, events, output), command results, health checks (names, targets,
 * keywords, messages) and the public status page, users, API tokens, the audit log, and the
 * alerts page (rules, notifiers, deliveries, silences, acknowledgements, maintenance windows).
 * Where the hub refuses a payload by validation the test asserts the refusal (400 problem JSON,
 * and the message in the dialog); free-text fields take the whole corpus ({@link XssPayloads}).
 * {@link XssProbe} fails the test if any payload runs or becomes markup.
 */
class XssBrowserIT extends BrowserTestBase {
    private static final ObjectMapper JSON = Json.mapper();
    private static final List<String> PAYLOADS = XssPayloads.SHORT;

    @Test
    void payloads_in_host_names_tags_and_agent_reported_names_render_as_text_everywhere() throws Exception {
        var admin = hub.admin();
        List<JsonNode> hosts = new ArrayList<>();
        for (String p : PAYLOADS) {
            hosts.add(hub.registerHost(p));
        }
        int breakers = 0;
        for (String p : XssPayloads.BREAKERS) {
            breakers += acceptedOrRefused(admin.post("/api/v1/hosts", "{\"name\":" + quote(p) + "}"), "host name " + p) ? 1 : 0;
        }
        JsonNode target = hosts.get(1);
        long targetId = target.get("id").asLong();
        var ingest = hub.ingest(target.get("key").asText(), batch(System.currentTimeMillis()));
        assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);
        // Tags are restricted to a-z 0-9 . _ : -: every payload is refused, by name.
        for (String p : XssPayloads.names()) {
            assertRefused(admin.patch("/api/v1/hosts/" + targetId, "{\"tags\":[\"web\"," + quote(p) + "]}"), "tag " + p);
        }
        assertThat(admin.patch("/api/v1/hosts/" + targetId, "{\"tags\":[\"web\",\"eu-west\"]}").statusCode()).isEqualTo(200);
        assertThat(admin.put("/api/v1/hosts/" + targetId + "/public", "{\"public\":true}").statusCode()).isEqualTo(200);
        assertThat(admin.put("/api/v1/hosts/" + hosts.get(0).get("id").asLong() + "/public", "{\"public\":true}").statusCode()).isEqualTo(200);

        var browser = open(1440, 900, ColorScheme.LIGHT);
        var probe = new XssProbe(browser);
        Page page = browser.signIn(hub, "/");
        assertThat(page.locator("[data-testid=host-card]")).hasCount(PAYLOADS.size() + breakers);
        for (String p : PAYLOADS) {
            assertThat(page.locator("[data-testid=host-card]").filter(new Locator.FilterOptions().setHasText(p))).hasCount(1);
        }
        probe.sweepAndCheck(page, "overview cards");
        page.getByTestId("view-table").click();
        assertThat(page.getByTestId("row-link").first()).isVisible();
        probe.sweepAndCheck(page, "overview table");
        page.getByTestId("view-compare").click();
        assertThat(page.getByTestId("compare-name").first()).isVisible();
        probe.sweepAndCheck(page, "overview compare");
        page.getByTestId("view-cards").click();

        // The host page of the host whose agent reported payloads, and its dialogs.
        page.navigate(hub.apiUrl() + "/host.html?id=" + targetId);
        assertThat(page.getByTestId("host-name")).hasText(PAYLOADS.get(1));
        assertThat(page.getByTestId("host-tags")).containsText("eu-west");
        assertThat(page.getByTestId("processes")).containsText(XssPayloads.BREAKERS.get(1));
        assertThat(page.getByTestId("filesystems")).containsText(PAYLOADS.get(3));
        probe.sweepAndCheck(page, "host page");

        page.getByTestId("rename-host").click();
        assertThat(page.getByTestId("rename-input")).hasValue(PAYLOADS.get(1));
        page.getByTestId("tags-input").fill("web " + XssPayloads.BREAKERS.get(2));
        page.getByTestId("rename-submit").click();
        assertThat(page.getByTestId("rename-error")).isVisible();
        assertThat(page.getByTestId("rename-error")).not().isEmpty();
        probe.check(page, "tag refusal in the host dialog");
        page.getByTestId("tags-input").fill("web");
        String renamed = PAYLOADS.get(5) + "<b>";
        page.getByTestId("rename-input").fill(renamed);
        page.getByTestId("rename-submit").click();
        assertThat(page.getByTestId("host-name")).hasText(renamed);
        page.getByTestId("delete-host").click();
        assertThat(page.getByTestId("delete-name")).containsText(renamed);
        probe.sweepAndCheck(page, "host dialogs");
        page.keyboard().press("Escape");

        // The add-host dialog shows the new host's name and commands.
        page.navigate(hub.apiUrl() + "/");
        page.getByTestId("add-host").click();
        page.getByTestId("host-name-input").fill("<img src=y onerror=xssHit('add')>");
        page.getByTestId("add-submit").click();
        assertThat(page.getByTestId("new-host-key")).not().isEmpty();
        probe.sweepAndCheck(page, "add dialog");

        page.navigate(hub.apiUrl() + "/status");
        assertThat(page.getByTestId("status-host")).hasCount(2);
        assertThat(page.getByTestId("status-hosts")).containsText(PAYLOADS.get(0));
        probe.sweepAndCheck(page, "status page (hosts)");
    }

    @Test
    void payloads_in_programs_commands_checks_and_the_status_page_render_as_text() throws Exception {
        var admin = hub.admin();
        JsonNode host = hub.registerHost("app-1");
        long hostId = host.get("id").asLong();
        String key = host.get("key").asText();
        AtomicInteger answered = new AtomicInteger();
        List<String> tail = new ArrayList<>(XssPayloads.all());
        tail.add("\u001b[1;31mERROR\u001b[0m <b>not bold</b> \u001b[2K\r");
        try (var agent = new PollingAgent(hub.ingestUrl(), key, c -> c.get("type").asText().equals("program.tail")
                ? new PollingAgent.Answer(true, tail.size() + " lines", PollingAgent.lines(tail))
                : new PollingAgent.Answer(answered.get() % 2 == 0, XssPayloads.name(answered.getAndIncrement()), null))) {

            // Program names are restricted; the free-text members of a program take any text.
            for (String p : XssPayloads.names()) {
                assertRefused(admin.post("/api/v1/hosts/" + hostId + "/programs", "{\"name\":" + quote(p) + ",\"command\":\"/bin/true\"}"),
                        "program name " + p);
            }
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < XssPayloads.all().size(); i++) {
                env.put("V" + i, XssPayloads.all().get(i));
            }
            var spec = JSON.createObjectNode().put("name", "web").put("command", XssPayloads.BREAKERS.get(1)).put("restart", "always");
            spec.set("args", JSON.valueToTree(XssPayloads.all()));
            spec.set("env", JSON.valueToTree(env));
            var created = admin.post("/api/v1/hosts/" + hostId + "/programs", spec.toString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            for (String field : List.of("cwd", "runAs", "stopSignal")) {
                var other = spec.deepCopy().put("name", "p-" + field.toLowerCase()).put(field, XssPayloads.BREAKERS.get(2));
                acceptedOrRefused(admin.post("/api/v1/hosts/" + hostId + "/programs", other.toString()), "program " + field);
            }
            long now = System.currentTimeMillis();
            List<Sample.ProgramEvent> events = new ArrayList<>();
            for (String p : XssPayloads.all()) {
                events.add(new Sample.ProgramEvent("web", "exited", now - 1000, 1, p));
            }
            report(key, 1, List.of(new Sample.Program("web", "program", "BACKOFF", 4100L, 1, 3, now - 60_000, 2.5, 48L << 20, XssPayloads.LONG),
                    new Sample.Program(PAYLOADS.get(1), "systemd", "FAILED", null, 3, 0, null, null, null, PAYLOADS.get(0))), events);

            // Commands whose results carry payloads.
            for (String action : List.of("reboot", "shutdown", "suspend")) {
                var r = admin.post("/api/v1/hosts/" + hostId + "/power", "{\"action\":\"" + action + "\",\"whenOffline\":\"queue\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            }
            await(() -> admin.json(admin.get("/api/v1/hosts/" + hostId + "/commands")).findValues("finishedAtMs").stream()
                    .filter(n -> !n.isNull()).count() >= 3, "power commands answered by the agent");

            // Checks: names take any text up to 64 characters; URLs only http(s).
            String base = hub.apiUrl();
            assertRefused(admin.post("/api/v1/checks", check("js", "http", Map.of("url", "javascript:xssHit('url')//http://x"))), "javascript: URL");
            assertRefused(admin.post("/api/v1/checks", check("data", "http", Map.of("url", "data:text/html,<script>xssHit(1)</script>"))), "data: URL");
            List<Long> checkIds = new ArrayList<>();
            for (String p : XssPayloads.names()) {
                var r = admin.post("/api/v1/checks", check(p, "http", Map.of("url", base + "/healthz?q=" + URLEncoder.encode(p, StandardCharsets.UTF_8),
                        "keyword", p)).replace("\"hostId\":null", "\"hostId\":" + hostId));
                if (acceptedOrRefused(r, "check name " + p)) {
                    checkIds.add(admin.json(r).get("id").asLong());
                }
            }
            assertThat(checkIds).hasSizeGreaterThanOrEqualTo(PAYLOADS.size());
            for (long id : checkIds.subList(0, 4)) {
                assertThat(admin.post("/api/v1/checks/" + id + "/run", "").statusCode()).isEqualTo(200);
            }
            String pushName = "push:" + XssPayloads.BREAKERS.get(4);
            assertThat(admin.post("/api/v1/checks", check(pushName, "push", Map.of()).replace("\"hostId\":null", "\"hostId\":" + hostId))
                    .statusCode()).isEqualTo(201);
            var pushed = push(key, Map.of("check", pushName, "status", "down", "message",
                    XssPayloads.BREAKERS.get(0) + " " + PAYLOADS.get(1) + " " + XssPayloads.BREAKERS.get(3)));
            assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);

            var browser = open(1280, 900, ColorScheme.DARK);
            var probe = new XssProbe(browser);
            Page page = browser.signIn(hub, "/host.html?id=" + hostId);
            Locator row = page.locator("[data-testid=program-row][data-program=web]");
            assertThat(row.getByTestId("program-state")).hasText("BACKOFF");
            assertThat(page.getByTestId("commands-table")).containsText(XssPayloads.name(0));
            assertThat(page.getByTestId("host-checks")).containsText(PAYLOADS.get(0));
            probe.sweepAndCheck(page, "host page with programs, checks and commands");

            row.getByTestId("program-open").click();
            Locator log = page.getByTestId("program-log");
            assertThat(log).containsText("<b>not bold</b>");
            assertThat(log).containsText(XssPayloads.BREAKERS.get(2));
            assertThat(log.locator("*")).hasCount(0);
            // ANSI escapes are terminal colours, not text: they are dropped, the rest stays as typed.
            assertThat(log).containsText("ERROR <b>not bold</b>");
            assertThat((String) log.evaluate("n => n.textContent")).doesNotContain("\u001b");
            probe.sweepAndCheck(page, "program detail and output");

            row.getByTestId("program-edit").click();
            assertThat(page.getByTestId("pf-args")).hasValue(String.join("\n", XssPayloads.all()));
            probe.sweepAndCheck(page, "program dialog");
            page.keyboard().press("Escape");

            page.getByTestId("power-reboot").click();
            assertThat(page.getByTestId("power-dialog")).isVisible();
            probe.sweepAndCheck(page, "power dialog");
            page.keyboard().press("Escape");

            page.navigate(hub.apiUrl() + "/checks.html");
            assertThat(page.getByTestId("check-row")).hasCount(checkIds.size() + 1);
            probe.sweepAndCheck(page, "checks page");
            page.getByTestId("check-open").filter(new Locator.FilterOptions().setHasText(pushName)).click();
            assertThat(page.getByTestId("check-detail")).isVisible();
            assertThat(page.getByTestId("check-results")).containsText(XssPayloads.BREAKERS.get(0));
            probe.sweepAndCheck(page, "check detail");
            page.getByTestId("check-open").first().click();
            probe.sweepAndCheck(page, "check detail of an http check");

            page.navigate(hub.apiUrl() + "/status");
            assertThat(page.getByTestId("status-check")).hasCount(checkIds.size() + 1);
            probe.sweepAndCheck(page, "status page (checks)");
        }
    }

    @Test
    void payloads_in_users_tokens_alerts_and_the_audit_log_render_as_text() throws Exception {
        var admin = hub.admin();
        // Usernames and scope tags are restricted: refused by the API, by name.
        for (String p : XssPayloads.names()) {
            assertRefused(admin.post("/api/v1/users", "{\"username\":" + quote(p) + ",\"password\":\"" + TestHub.USER_PASSWORD
                    + "\",\"role\":\"viewer\"}"), "username " + p);
        }
        // A sign-in attempt lands in the audit log with the username tried (a few: failures are throttled).
        for (String p : List.of(PAYLOADS.get(0), XssPayloads.BREAKERS.get(1), XssPayloads.BREAKERS.get(5))) {
            var tried = hub.anonymous().post("/api/v1/session", "{\"username\":" + quote(p) + ",\"password\":\"x\"}");
            assertThat(tried.statusCode()).as(tried.body()).isEqualTo(401);
        }
        assertRefused(admin.post("/api/v1/users", "{\"username\":\"ops.1\",\"password\":\"" + TestHub.USER_PASSWORD
                + "\",\"role\":\"viewer\",\"scope\":[" + quote(PAYLOADS.get(1)) + "]}"), "scope tag");
        hub.addUser("ops.1@example-org_x", "operator", "web");
        int tokens = 0;
        for (String p : XssPayloads.names()) {
            tokens += acceptedOrRefused(admin.post("/api/v1/tokens", "{\"name\":" + quote(p) + ",\"role\":\"viewer\"}"), "token " + p) ? 1 : 0;
        }
        assertThat(tokens).isGreaterThanOrEqualTo(PAYLOADS.size());

        // Hosts named with payloads report a hot CPU; a rule named with a payload fires on them.
        List<Long> hostIds = new ArrayList<>();
        for (String p : PAYLOADS.subList(0, 4)) {
            JsonNode h = hub.registerHost(p);
            hostIds.add(h.get("id").asLong());
            report(h.get("key").asText(), 1, List.of(), List.of());
        }
        List<Long> notifiers = new ArrayList<>();
        for (String p : XssPayloads.names()) {
            var body = JSON.createObjectNode().put("name", p).put("type", "webhook").put("titleTemplate", p + " {{host}}")
                    .put("bodyTemplate", p + "{{summary}}");
            body.putObject("config").putArray("urls").add("http://127.0.0.1:1/" + URLEncoder.encode(p, StandardCharsets.UTF_8));
            var r = admin.post("/api/v1/notifiers", body.toString());
            if (acceptedOrRefused(r, "notifier " + p)) {
                notifiers.add(admin.json(r).get("id").asLong());
            }
        }
        assertThat(notifiers).isNotEmpty();
        var jsUrl = JSON.createObjectNode().put("name", "js").put("type", "webhook");
        jsUrl.putObject("config").putArray("urls").add("javascript:xssHit('hook')");
        assertRefused(admin.post("/api/v1/notifiers", jsUrl.toString()), "javascript: webhook URL");
        assertThat(admin.post("/api/v1/notifiers/" + notifiers.get(0) + "/test", "").statusCode()).isEqualTo(502);
        List<Long> rules = new ArrayList<>();
        for (String p : XssPayloads.names()) {
            var r = admin.post("/api/v1/alert-rules", "{\"name\":" + quote(p) + ",\"condition\":\"cpuPercent > 1\",\"notifierIds\":"
                    + notifiers.subList(0, 1) + "}");
            if (acceptedOrRefused(r, "rule " + p)) {
                rules.add(admin.json(r).get("id").asLong());
            }
        }
        assertThat(rules).isNotEmpty();
        acceptedOrRefused(admin.post("/api/v1/alert-rules", "{\"name\":\"tagged\",\"condition\":\"cpuPercent > 1\",\"scope\":{\"kind\":\"tag\",\"tag\":"
                + quote(PAYLOADS.get(0)) + "}}"), "rule scope tag");
        for (String p : List.of(PAYLOADS.get(0), XssPayloads.BREAKERS.get(2), XssPayloads.LONG)) {
            acceptedOrRefused(admin.post("/api/v1/silences", "{\"ruleId\":" + rules.get(0) + ",\"durationMinutes\":60,\"comment\":" + quote(p) + "}"),
                    "silence comment");
        }
        for (String p : XssPayloads.all()) {
            acceptedOrRefused(admin.post("/api/v1/maintenance-windows", "{\"name\":" + quote(p) + ",\"scope\":{\"kind\":\"hosts\",\"hostIds\":["
                    + hostIds.get(0) + "]},\"startsAtMs\":" + System.currentTimeMillis() + ",\"endsAtMs\":" + (System.currentTimeMillis() + 3_600_000)
                    + "}"), "maintenance window name");
        }
        await(() -> admin.json(admin.get("/api/v1/alerts")).size() >= hostIds.size(), "alerts from the payload rules");
        JsonNode alerts = admin.json(admin.get("/api/v1/alerts"));
        for (int i = 0; i < Math.min(alerts.size(), XssPayloads.all().size()); i++) {
            var r = admin.post("/api/v1/alerts/" + alerts.get(i).get("id").asLong() + "/ack", "{\"comment\":" + quote(XssPayloads.all().get(i)) + "}");
            acceptedOrRefused(r, "ack comment");
        }

        var browser = open(1280, 900, ColorScheme.LIGHT);
        var probe = new XssProbe(browser);
        Page page = browser.signIn(hub, "/alerts.html");
        assertThat(page.getByTestId("alert-row").first()).isVisible();
        assertThat(page.getByTestId("rule-row")).not().hasCount(0);
        assertThat(page.getByTestId("notifiers-table")).containsText(PAYLOADS.get(0));
        probe.sweepAndCheck(page, "alerts page");
        for (String filter : List.of("resolved", "", "open")) {
            page.locator("[data-state-filter='" + filter + "']").click();
            probe.sweepAndCheck(page, "alerts page, filter '" + filter + "'");
        }
        page.getByTestId("notifier-row").first().getByText("Deliveries").click();
        assertThat(page.getByTestId("delivery-row").first()).isVisible();
        probe.sweepAndCheck(page, "notifier deliveries");
        page.getByTestId("rule-row").filter(new Locator.FilterOptions().setHasText(PAYLOADS.get(2))).getByText("Edit").click();
        assertThat(page.getByTestId("rule-name")).hasValue(PAYLOADS.get(2));
        probe.sweepAndCheck(page, "rule dialog");
        page.keyboard().press("Escape");
        page.getByTestId("add-notifier").click();
        page.getByTestId("notifier-name").fill(XssPayloads.BREAKERS.get(2));
        page.getByTestId("notifier-urls").fill("javascript:xssHit('ui-hook')");
        page.getByTestId("notifier-save").click();
        assertThat(page.getByTestId("notifier-error")).isVisible();
        probe.sweepAndCheck(page, "notifier dialog refusal");
        page.keyboard().press("Escape");

        page.navigate(hub.apiUrl() + "/users.html");
        assertThat(page.getByTestId("user-row")).hasCount(2);
        page.getByTestId("new-username").fill(XssPayloads.BREAKERS.get(1));
        page.getByTestId("new-user-password").fill(TestHub.USER_PASSWORD);
        page.getByTestId("add-user-submit").click();
        assertThat(page.getByTestId("add-user-error")).isVisible();
        assertThat(page.getByTestId("add-user-error")).not().isEmpty();
        probe.sweepAndCheck(page, "users page");

        page.navigate(hub.apiUrl() + "/account.html");
        assertThat(page.getByTestId("token-row")).hasCount(tokens);
        page.getByTestId("token-name").fill(XssPayloads.BREAKERS.get(3));
        page.getByTestId("token-submit").click();
        assertThat(page.getByTestId("token-row")).hasCount(tokens + 1);
        probe.sweepAndCheck(page, "account page with tokens");

        page.navigate(hub.apiUrl() + "/audit.html");
        assertThat(page.getByTestId("audit-table")).containsText(XssPayloads.BREAKERS.get(3));
        probe.sweepAndCheck(page, "audit log");
        page.getByTestId("f-action").fill("/session");
        page.getByTestId("f-apply").click();
        assertThat(page.getByTestId("audit-table")).containsText(PAYLOADS.get(0));
        probe.sweepAndCheck(page, "audit log of sign-in attempts");
        page.getByTestId("f-action").fill("");
        page.getByTestId("f-target").fill(PAYLOADS.get(1));
        page.getByTestId("f-apply").click();
        probe.sweepAndCheck(page, "audit log filtered by a payload");
    }

    /** A 2xx answer, or a 400 problem JSON naming what was wrong. True for accepted. */
    private static boolean acceptedOrRefused(HttpResponse<String> r, String what) {
        if (r.statusCode() / 100 == 2) {
            return true;
        }
        assertRefused(r, what);
        return false;
    }

    private static void assertRefused(HttpResponse<String> r, String what) {
        assertThat(r.statusCode()).as("%s: %s", what, r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/problem+json");
        try {
            assertThat(JSON.readTree(r.body()).path("detail").asText()).as("problem detail for %s", what).isNotBlank();
        } catch (java.io.IOException e) {
            throw new AssertionError(what + ": not JSON: " + r.body(), e);
        }
    }

    private static String check(String name, String type, Map<String, String> settings) {
        var c = JSON.createObjectNode().put("name", name).put("type", type).put("intervalSeconds", 3600).put("timeoutSeconds", 5)
                .put("enabled", true).put("public", true).putNull("hostId");
        c.set("settings", JSON.valueToTree(settings));
        return c.toString();
    }

    private HttpResponse<String> push(String key, Map<String, String> body) throws Exception {
        return hub.httpClient().send(HttpRequest.newBuilder(URI.create(hub.ingestUrl() + "/api/v1/push")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void report(String key, long seq, List<Sample.Program> programs, List<Sample.ProgramEvent> events) {
        Sample s = Samples.sample(seq, System.currentTimeMillis()).withPrograms(programs, events);
        var r = hub.ingest(key, Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10, List.of(s))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A report whose every name is a payload. */
    private static String batch(long atMs) throws Exception {
        List<Sample.Process> processes = new ArrayList<>();
        List<Sample.Filesystem> filesystems = new ArrayList<>();
        List<Sample.NetInterface> nics = new ArrayList<>();
        List<Sample.UserSession> users = new ArrayList<>();
        List<String> names = XssPayloads.names();
        for (int i = 0; i < names.size(); i++) {
            String p = names.get(i);
            processes.add(new Sample.Process(100 + i, p, i == 0 ? XssPayloads.LONG : p, 1.0 + i, 1_000_000L * (i + 1)));
            filesystems.add(new Sample.Filesystem(p, p, 100L << 30, 40L << 30));
            nics.add(new Sample.NetInterface(p, 1000 + i, 500));
            users.add(new Sample.UserSession(p, p, p, atMs - 60_000));
        }
        var inventory = new Sample.Inventory(PAYLOADS.get(2), PAYLOADS.get(3), PAYLOADS.get(6), PAYLOADS.get(7), PAYLOADS.get(8),
                4, 2, 8L << 30, List.of(new Sample.InventoryDisk(PAYLOADS.get(9), PAYLOADS.get(10), 1L << 40, false)),
                List.of(new Sample.Nic(PAYLOADS.get(11), "00:11:22:33:44:55", List.of(PAYLOADS.get(0)), 1000)), PAYLOADS.get(4));
        var sample = new Sample(1, atMs, new Sample.Cpu(12.0, List.of(10.0, 14.0), 0.5, 0.4, 0.3),
                new Sample.Memory(8L << 30, 3L << 30, 5L << 30, 2L << 30, 1L << 20), filesystems, nics, 3600L, users.size(), null,
                null, List.of(), List.of(), List.of(), List.of(), users, processes, atMs - 3_600_000, inventory);
        return Json.mapper().writeValueAsString(new IngestBatch(ProtocolVersion.CURRENT, PAYLOADS.get(4).substring(0, 20), 10, List.of(sample)));
    }
}
