package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.ColorScheme;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The checks page in a real browser against a real hub: an operator adds an HTTP check on a
 * loopback server, sees it UP, the server stops, and the row turns DOWN live, without a reload.
 * Then the public status page shows the check's name and nothing of its target.
 */
class ChecksBrowserIT extends BrowserTestBase {
    private static final LocatorAssertions.HasTextOptions WITHIN_30_S = new LocatorAssertions.HasTextOptions().setTimeout(30_000);

    @Test
    void an_http_check_added_in_the_ui_turns_up_then_down_live_when_its_server_stops() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = "all good".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
        try {
            Page page = open(1440, 900, ColorScheme.LIGHT).signIn(hub, "/checks.html");
            assertThat(page.getByTestId("checks-empty")).isVisible();
            page.evaluate("() => { window.__sameDocument = true; }");

            page.getByTestId("add-check").click();
            page.getByTestId("check-name").fill("Shop <b>front</b>");
            page.getByTestId("check-type").selectOption("http");
            page.getByTestId("check-url").fill(url);
            page.getByTestId("check-keyword").fill("all good");
            page.getByTestId("check-interval").fill("5");
            page.getByTestId("check-submit").click();
            assertThat(page.getByTestId("check-error")).containsText("intervalSeconds must be between 10 and 86400");
            page.getByTestId("check-interval").fill("10");
            page.getByTestId("check-public").check();
            page.getByTestId("check-submit").click();
            assertThat(page.getByTestId("check-dialog")).isHidden();

            Locator row = page.locator("[data-testid=check-row][data-check-name='Shop <b>front</b>']");
            assertThat(row.locator("[data-testid=check-open]")).hasText("Shop <b>front</b>");
            assertThat(row.getByTestId("check-status")).hasText("UP", WITHIN_30_S);
            assertThat(row.getByTestId("check-last")).containsText("status 200");
            assertThat(row.getByTestId("check-response")).hasText(Pattern.compile("\\d+(\\.\\d)? ms"));
            assertThat(row.getByTestId("check-uptime-24h")).hasText("100 %");
            assertThat(row.getByTestId("check-runs-on")).hasText("hub");
            assertThat(row).containsText(url);
            screenshot(page, "checks-up.png");

            server.stop(0);
            assertThat(row.getByTestId("check-status")).hasText("DOWN", WITHIN_30_S);
            assertThat(row.getByTestId("check-last")).containsText("refused");
            assertThat(row).hasAttribute("data-status", "DOWN");
            assertThat((Boolean) page.evaluate("() => window.__sameDocument === true")).as("no reload").isTrue();

            row.getByTestId("check-open").click();
            assertThat(page.getByTestId("check-detail")).isVisible();
            assertThat(page.getByTestId("check-results").locator("tbody tr")).not().hasCount(0);
            screenshot(page, "checks-down.png");

            Page status = session.context.newPage();
            status.navigate(hub.apiUrl() + "/status");
            assertThat(status.getByTestId("status-check")).hasCount(1);
            assertThat(status.getByTestId("status-check")).containsText("Shop <b>front</b>");
            assertThat(status.getByTestId("status-check")).hasAttribute("data-status", "DOWN");
            assertThat(status.locator("body")).not().containsText("127.0.0.1");
            status.screenshot(new Page.ScreenshotOptions().setPath(BrowserSession.screenshotDir().resolve("status-page.png")).setFullPage(true));

            page.getByTestId("check-delete").click();
            page.getByTestId("check-delete-confirm").click();
            assertThat(page.getByTestId("check-row")).hasCount(0);
            assertThat(page.getByTestId("checks-empty")).isVisible();
            session.assertClean();
        } finally {
            server.stop(0);
        }
    }

    private static void screenshot(Page page, String name) {
        Path file = BrowserSession.screenshotDir().resolve(name);
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    }
}
