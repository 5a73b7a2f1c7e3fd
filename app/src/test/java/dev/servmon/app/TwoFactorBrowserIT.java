package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.auth.Totp;
import org.junit.jupiter.api.Test;

/** Two-factor sign-in through the dashboard: enrol on the account page, then sign in with a code. */
class TwoFactorBrowserIT extends BrowserTestBase {
    @Test
    void a_user_enrols_on_the_account_page_and_then_signs_in_with_a_code() throws Exception {
        var browser = open(1280, 900, ColorScheme.LIGHT);
        Page page = browser.signIn(hub, "/");
        page.getByTestId("nav-account").click();
        page.waitForURL(hub.apiUrl() + "/account.html");
        assertThat(page.getByTestId("twofa-state")).hasText("Off.");
        page.getByTestId("twofa-begin").click();
        assertThat(page.getByTestId("twofa-uri")).containsText("otpauth://totp/servmon:admin?secret=");
        String secret = page.getByTestId("twofa-secret").textContent();
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(page.getByTestId("twofa-uri")).containsText("secret=" + secret + "&issuer=servmon");
        page.getByTestId("twofa-code").fill("000000");
        page.getByTestId("twofa-confirm").click();
        assertThat(page.getByTestId("twofa-error")).containsText("not right");
        page.getByTestId("twofa-code").fill(code(secret, 0));
        page.getByTestId("twofa-confirm").click();
        assertThat(page.getByTestId("twofa-recovery-codes")).isVisible();
        String[] recovery = page.getByTestId("twofa-recovery-codes").textContent().strip().split("\n");
        assertThat(recovery).hasSize(10);
        page.screenshot(new Page.ScreenshotOptions().setPath(BrowserSession.screenshotDir().resolve("account-2fa.png")));
        browser.assertClean();

        page.getByTestId("logout").click();
        page.waitForURL("**/login.html**");
        page.getByTestId("username").fill("admin");
        page.getByTestId("password").fill(TestHub.ADMIN_PASSWORD);
        page.getByTestId("login-submit").click();
        assertThat(page.getByTestId("totp-code")).isVisible();
        page.screenshot(new Page.ScreenshotOptions().setPath(BrowserSession.screenshotDir().resolve("login-2fa.png")));
        page.getByTestId("totp-code").fill("123456");
        page.getByTestId("login-submit").click();
        assertThat(page.getByTestId("login-error")).containsText("not right");
        // The next step's code: the one used at enrolment cannot be used again.
        page.getByTestId("totp-code").fill(code(secret, 1));
        page.getByTestId("login-submit").click();
        // Back to the page that signed out (login.html?next=/account.html).
        page.waitForURL(hub.apiUrl() + "/account.html");
        assertThat(page.getByTestId("twofa-state")).containsText("On. 10 recovery codes left.");

        page.getByTestId("logout").click();
        page.waitForURL("**/login.html**");
        page.getByTestId("username").fill("admin");
        page.getByTestId("password").fill(TestHub.ADMIN_PASSWORD);
        page.getByTestId("login-submit").click();
        page.getByTestId("use-recovery").click();
        page.getByTestId("totp-code").fill(recovery[0]);
        page.getByTestId("login-submit").click();
        page.waitForURL(hub.apiUrl() + "/account.html");
        assertThat(page.getByTestId("twofa-state")).containsText("9 recovery codes left");
        browser.assertClean();
    }

    /** The code of the step {@code stepsAhead} after now (the window accepts one step ahead). */
    private static String code(String secret, int stepsAhead) {
        return Totp.code(Totp.fromBase32(secret), Totp.step(System.currentTimeMillis()) + stepsAhead);
    }

}
