package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.servmon.hub.api.Json;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Script injection through every text the hub shows that someone else controls: host names
 * (set through the API, as an operator would), and the names an agent reports (mounts,
 * interfaces, processes, users, inventory). The pages render in real Chromium; a payload that
 * runs calls the exposed {@code xssHit} binding or sets {@code window.__xss}, and any markup
 * the browser parsed from data shows up as a CSP violation in the console. Both fail the test.
 */
class XssBrowserIT extends BrowserTestBase {
    /** Each fits in a 64-character host name. */
    static final List<String> PAYLOADS = List.of(
            "<script>xssHit('script')</script>",
            "<img src=x onerror=xssHit('img')>",
            "javascript:xssHit('js-url')",
            "\"><svg onload=xssHit('svg')>",
            "${xssHit('template')}`${window.__xss=1}`",
            "' onmouseover='xssHit(\"attr\")' x='",
            "\" onfocus=\"xssHit('focus')\" autofocus=\"",
            "</title><script>window.__xss=1</script>",
            "<iframe srcdoc=\"<script>parent.xssHit('if')</script>\">",
            "<a href=javascript:xssHit('a')>x</a>",
            "{{constructor.constructor('xssHit(1)')()}}",
            "<style>@import'//x'</style><b>bold</b>");

    @Test
    void payloads_in_host_names_and_agent_reported_names_render_as_text_everywhere() throws Exception {
        List<JsonNode> hosts = new ArrayList<>();
        for (String p : PAYLOADS) {
            hosts.add(hub.registerHost(p));
        }
        JsonNode target = hosts.get(1);
        var ingest = hub.ingest(target.get("key").asText(), batch(System.currentTimeMillis()));
        assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);

        var browser = open(1440, 900, ColorScheme.LIGHT);
        List<String> hits = new CopyOnWriteArrayList<>();
        browser.context.exposeFunction("xssHit", args -> {
            hits.add(String.valueOf(args.length > 0 ? args[0] : "?"));
            return null;
        });
        browser.context.addInitScript("document.addEventListener('securitypolicyviolation', e => "
                + "{ window.__csp = (window.__csp || []); window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });");

        Page page = browser.signIn(hub, "/");
        assertThat(page.locator("[data-testid=host-card]")).hasCount(PAYLOADS.size());
        for (String p : PAYLOADS) {
            assertThat(page.locator("[data-testid=host-card]").filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(p)))
                    .hasCount(1);
        }
        sweep(page);
        check(page, browser, hits, "overview");

        // The host page of the host whose agent reported payloads, and its dialogs.
        page.navigate(hub.apiUrl() + "/host.html?id=" + target.get("id").asText());
        assertThat(page.getByTestId("host-name")).hasText(PAYLOADS.get(1));
        assertThat(page.getByTestId("processes")).containsText(PAYLOADS.get(0));
        assertThat(page.getByTestId("filesystems")).containsText(PAYLOADS.get(3));
        sweep(page);
        check(page, browser, hits, "host page");

        page.getByTestId("rename-host").click();
        assertThat(page.getByTestId("rename-input")).hasValue(PAYLOADS.get(1));
        String renamed = PAYLOADS.get(5) + "<b>";
        page.getByTestId("rename-input").fill(renamed);
        page.getByTestId("rename-submit").click();
        assertThat(page.getByTestId("host-name")).hasText(renamed);
        page.getByTestId("delete-host").click();
        assertThat(page.getByTestId("delete-name")).containsText(renamed);
        sweep(page);
        check(page, browser, hits, "host dialogs");
        page.keyboard().press("Escape");

        // The add-host dialog shows the new host's name and commands.
        page.navigate(hub.apiUrl() + "/");
        page.getByTestId("add-host").click();
        page.getByTestId("host-name-input").fill("<img src=y onerror=xssHit('add')>");
        page.getByTestId("add-submit").click();
        assertThat(page.getByTestId("new-host-key")).not().isEmpty();
        sweep(page);
        check(page, browser, hits, "add dialog");

        page.navigate(hub.apiUrl() + "/account.html");
        assertThat(page.getByTestId("user")).containsText("admin");
        check(page, browser, hits, "account page");
    }

    /** Moves the mouse over the page and tabs through it, so mouseover/focus payloads would fire. */
    private static void sweep(Page page) {
        for (int y = 10; y < 900; y += 40) {
            for (int x = 10; x < 1440; x += 120) {
                page.mouse().move(x, y);
            }
        }
        for (int i = 0; i < 30; i++) {
            page.keyboard().press("Tab");
        }
    }

    private static void check(Page page, BrowserSession browser, List<String> hits, String where) {
        page.waitForTimeout(300);
        assertThat(hits).as("payloads that ran on the %s", where).isEmpty();
        assertThat(page.evaluate("() => window.__xss === undefined")).as("window.__xss on the %s", where).isEqualTo(true);
        assertThat(page.evaluate("() => JSON.stringify(window.__csp || [])")).as("CSP violations on the %s", where).isEqualTo("[]");
        assertThat(browser.pageErrors).as("script errors and CSP console errors on the %s", where).isEmpty();
        assertThat(browser.dialogs).as("alert dialogs on the %s", where).isEmpty();
        // Nothing from data became an element with a handler or a javascript: link.
        Object injected = page.evaluate("() => [...document.querySelectorAll('*')].filter(n => [...n.attributes].some(a => "
                + "a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value) && (a.name === 'href' || a.name === 'src'))).length "
                + "+ document.querySelectorAll('iframe, object, embed, img[src=x], img[src=y], svg[onload]').length");
        assertThat(((Number) injected).intValue()).as("injected elements on the %s", where).isZero();
    }

    /** A report whose every name is a payload. */
    private static String batch(long atMs) throws Exception {
        List<Sample.Process> processes = new ArrayList<>();
        List<Sample.Filesystem> filesystems = new ArrayList<>();
        List<Sample.NetInterface> nics = new ArrayList<>();
        List<Sample.UserSession> users = new ArrayList<>();
        for (int i = 0; i < PAYLOADS.size(); i++) {
            String p = PAYLOADS.get(i);
            processes.add(new Sample.Process(100 + i, p, p, 1.0 + i, 1_000_000L * (i + 1)));
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
