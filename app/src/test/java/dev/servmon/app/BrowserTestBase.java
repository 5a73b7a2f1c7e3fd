package dev.servmon.app;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ColorScheme;
import dev.servmon.hub.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the dashboard's browser tests share: chromium for the test class, a fresh hub (in-process,
 * real ports, real SQLite) for each test, and the test's browser context, closed after it.
 */
abstract class BrowserTestBase {
    static Playwright playwright;
    static Browser browser;

    TestHub hub;
    BrowserSession session;

    @BeforeAll
    static void startBrowser() {
        playwright = BrowserSession.playwright();
        browser = BrowserSession.launch(playwright);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void startHub() {
        hub = TestHub.start();
    }

    @AfterEach
    void stopHub() {
        if (session != null) {
            session.close();
        }
        hub.close();
    }

    /** A browser context of this size and colour scheme for this test. */
    BrowserSession open(int width, int height, ColorScheme scheme) {
        session = BrowserSession.open(browser, width, height, scheme);
        return session;
    }
}
