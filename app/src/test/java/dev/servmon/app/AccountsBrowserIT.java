package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.servmon.hub.Samples;
import dev.servmon.hub.TestHub;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Accounts in a real browser: an admin adds a viewer on the Users page, the viewer signs in and
 * finds no admin or operator controls, creates an API token whose secret is shown once; an
 * operator rotates a host key from the host page.
 */
class AccountsBrowserIT extends BrowserTestBase {
    private static final String VIEWER_PASSWORD = "viewer-browser-passphrase";

    @Test
    void an_admin_adds_a_viewer_who_sees_no_controls_and_makes_a_token_shown_once() {
        long hostId = hub.registerHost("browser-host").get("id").asLong();
        Page admin = open(1280, 900, ColorScheme.LIGHT).signIn(hub, "/");
        assertThat(admin.getByTestId("nav-users")).isVisible();
        assertThat(admin.getByTestId("nav-audit")).isVisible();
        admin.getByTestId("nav-users").click();
        admin.waitForURL("**/users.html");
        assertThat(admin.getByTestId("user-row")).hasCount(1);

        admin.getByTestId("new-username").fill("vic");
        admin.getByTestId("new-user-password").fill("password1");
        admin.getByTestId("add-user-submit").click();
        assertThat(admin.getByTestId("add-user-error")).containsText("at least 10 characters");
        admin.getByTestId("new-user-password").fill(VIEWER_PASSWORD);
        admin.getByTestId("new-role").selectOption("viewer");
        admin.getByTestId("add-user-submit").click();
        Locator vic = admin.locator("[data-testid=user-row][data-username=vic]");
        assertThat(vic).hasCount(1);
        assertThat(vic.getByTestId("role-select")).hasValue("viewer");
        assertThat(vic.getByTestId("user-state")).hasText("enabled");
        assertThat(admin.getByTestId("add-user-error")).isHidden();
        shot(admin, "accounts-users.png");
        assertThat(session.fitsWidth()).as("users page fits the width").isTrue();
        session.assertClean();

        try (var viewerSession = BrowserSession.open(browser, 1280, 900, ColorScheme.DARK)) {
            Page viewer = viewerSession.page;
            viewer.navigate(hub.apiUrl() + "/");
            viewer.waitForURL("**/login.html**");
            viewer.getByTestId("username").fill("vic");
            viewer.getByTestId("password").fill(VIEWER_PASSWORD);
            viewer.getByTestId("login-submit").click();
            viewer.waitForURL(hub.apiUrl() + "/");
            assertThat(viewer.getByTestId("user")).containsText("vic");
            assertThat(viewer.getByTestId("host-card")).hasCount(1);
            assertThat(viewer.getByTestId("add-host")).isHidden();
            assertThat(viewer.getByTestId("nav-users")).isHidden();
            assertThat(viewer.getByTestId("nav-audit")).isHidden();
            assertThat(viewer.getByTestId("nav-account")).isVisible();
            assertThat(viewer.getByTestId("delete-host")).isHidden();

            viewer.navigate(hub.apiUrl() + "/host.html?id=" + hostId);
            assertThat(viewer.getByTestId("host-name")).hasText("browser-host");
            assertThat(viewer.getByTestId("rename-host")).isHidden();
            assertThat(viewer.getByTestId("rotate-key")).isHidden();
            assertThat(viewer.getByTestId("delete-host")).isHidden();

            viewer.navigate(hub.apiUrl() + "/users.html");
            assertThat(viewer.getByTestId("page-error")).containsText("needs the admin role");
            assertThat(viewer.getByTestId("users-table")).isHidden();

            viewer.getByTestId("nav-account").click();
            viewer.waitForURL("**/account.html");
            assertThat(viewer.getByTestId("account-role")).hasText("viewer");
            assertThat(viewer.locator("[data-testid=token-role] option")).hasCount(1);
            assertThat(viewer.getByTestId("tokens-empty")).isVisible();
            viewer.getByTestId("token-name").fill("grafana");
            viewer.getByTestId("token-submit").click();
            Locator secretBox = viewer.getByTestId("token-secret");
            assertThat(secretBox).hasText(Pattern.compile("^smt_[A-Za-z0-9_-]{43}$"));
            String secret = secretBox.textContent().strip();
            assertThat(viewer.getByTestId("token-created")).containsText("will not be shown again");
            assertThat(viewer.locator("[data-testid=token-row][data-token-name=grafana]")).hasCount(1);
            shot(viewer, "accounts-token-created.png");
            assertThat(viewerSession.fitsWidth()).as("account page fits the width").isTrue();
            assertThat(hub.bearer(secret).get("/api/v1/hosts").statusCode()).isEqualTo(200);
            assertThat(hub.bearer(secret).post("/api/v1/hosts", "{\"name\":\"nope\"}").statusCode()).isEqualTo(403);

            viewer.getByTestId("token-done").click();
            assertThat(viewer.getByTestId("token-created")).isHidden();
            assertThat(viewer.locator("body")).not().containsText(secret);
            viewer.reload();
            assertThat(viewer.locator("[data-testid=token-row][data-token-name=grafana]")).hasCount(1);
            assertThat(viewer.locator("[data-testid=token-row]").getByTestId("token-last-used")).not().hasText("never");
            assertThat(viewer.content()).doesNotContain(secret);
            viewerSession.assertClean();
        }

        admin.getByTestId("nav-audit").click();
        admin.waitForURL("**/audit.html");
        assertThat(admin.getByTestId("audit-row").first()).isVisible();
        admin.getByTestId("f-target").fill("grafana");
        admin.getByTestId("f-apply").click();
        assertThat(admin.getByTestId("audit-row")).hasCount(1);
        assertThat(admin.getByTestId("audit-row")).containsText("vic");
        assertThat(admin.getByTestId("audit-row")).containsText("POST /api/v1/tokens");
        admin.getByTestId("f-target").fill("");
        admin.getByTestId("f-apply").click();
        shot(admin, "accounts-audit.png");
        session.assertClean();
    }

    @Test
    void an_admin_rotates_a_host_key_on_the_host_page_and_sees_the_new_key_once() {
        var host = hub.registerHost("rotate-me");
        long id = host.get("id").asLong();
        String oldKey = host.get("key").asText();
        assertThat(hub.ingest(oldKey, Samples.batch(System.currentTimeMillis(), 1)).statusCode()).isEqualTo(200);
        Page page = open(1280, 900, ColorScheme.LIGHT).signIn(hub, "/host.html?id=" + id);
        page.getByTestId("rotate-key").click();
        assertThat(page.getByTestId("rotate-dialog")).containsText("rotate-me");
        page.getByTestId("confirm-rotate").click();
        Locator keyBox = page.getByTestId("rotated-key");
        assertThat(keyBox).hasText(Pattern.compile("^smk_\\S{43}$"));
        String key = keyBox.textContent().strip();
        assertThat(page.getByTestId("rotated-command")).hasText("java -jar servmon.jar agent --hub " + hub.ingestUrl() + " --key " + key);
        assertThat(hub.ingest(oldKey, Samples.batch(System.currentTimeMillis(), 2)).statusCode()).isEqualTo(401);
        assertThat(hub.ingest(key, Samples.batch(System.currentTimeMillis(), 2)).statusCode()).isEqualTo(200);
        shot(page, "accounts-rotate-key.png");
        page.getByTestId("rotate-done").click();
        assertThat(page.getByTestId("rotate-dialog")).isHidden();
        assertThat(page.locator("body")).not().containsText(key);
        session.assertClean();
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(BrowserSession.screenshotDir().resolve(name)).setFullPage(true));
    }
}
