package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import dev.servmon.hub.TestHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One browser context on the dashboard of a test hub, recording every script error, CSP
 * violation and alert() the pages raise. The browser itself is Debian's chromium, started once
 * per test class with {@link #launch}.
 *
 * <p>There is no skip: a machine that cannot start the browser fails the browser tests, because
 * a dashboard nobody checked in a browser is a dashboard nobody checked.
 */
final class BrowserSession implements AutoCloseable {
    private static final Path CHROMIUM = Paths.get(System.getProperty("servmon.chromium", "/usr/bin/chromium"));

    final BrowserContext context;
    final Page page;
    final List<String> pageErrors = new CopyOnWriteArrayList<>();
    final List<String> dialogs = new CopyOnWriteArrayList<>();

    private BrowserSession(BrowserContext context) {
        this.context = context;
        this.page = context.newPage();
        page.onPageError(pageErrors::add);
        page.onConsoleMessage(m -> {
            if (m.type().equals("error") && (m.text().contains("Content Security Policy") || m.text().contains("Refused to"))) {
                pageErrors.add("CSP: " + m.text());
            }
        });
        page.onDialog(d -> {
            dialogs.add(d.type() + ": " + d.message());
            d.dismiss();
        });
    }

    static Playwright playwright() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("the browser tests need chromium at " + CHROMIUM
                    + " (apt-get install chromium, or -Dservmon.chromium=/path/to/chromium)");
        }
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /** Headless chromium, quiet (no background network, no first-run work). */
    static Browser launch(Playwright playwright) {
        PlaywrightAssertions.setDefaultAssertionTimeout(10_000);
        return playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setTimeout(60_000)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", "--disable-quic")));
    }

    /** A new context (own cookies and storage) at this size and colour scheme, in Berlin time. */
    static BrowserSession open(Browser browser, int width, int height, ColorScheme scheme) {
        return new BrowserSession(browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)
                .setColorScheme(scheme).setLocale("en-GB").setTimezoneId("Europe/Berlin").setAcceptDownloads(true)));
    }

    /**
     * Opens {@code path} on the hub signed out, which lands on the sign-in page; a wrong
     * password is refused, the right one leads back to {@code path}.
     */
    Page signIn(TestHub hub, String path) {
        page.navigate(hub.apiUrl() + path);
        page.waitForURL("**/login.html**");
        page.getByTestId("username").fill("admin");
        page.getByTestId("password").fill("wrong password");
        page.getByTestId("login-submit").click();
        assertThat(page.getByTestId("login-error")).hasText("wrong username or password");
        page.getByTestId("password").fill(TestHub.ADMIN_PASSWORD);
        page.getByTestId("login-submit").click();
        page.waitForURL(url -> url.startsWith(hub.apiUrl() + path));
        assertThat(page.getByTestId("user")).containsText("admin");
        assertThat(page.getByTestId("live-status")).hasAttribute("data-state", "live");
        return page;
    }

    /** No script errors, CSP violations or alert() calls so far. */
    void assertClean() {
        assertThat(pageErrors).as("script errors and CSP violations").isEmpty();
        assertThat(dialogs).as("alert/confirm dialogs").isEmpty();
    }

    /** Whether the page scrolls sideways (it must not, at any width). */
    boolean fitsWidth() {
        return (Boolean) page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth");
    }

    /**
     * Screenshots of the page as it is, in light and dark at each {@code {width, height}}, as
     * {@code app/target/screenshots/<name>-<width>-<scheme>.png} (the whole page below 1000 px);
     * at each size the page must not scroll sideways. Ends in light at the first size.
     */
    void screenshots(String name, int[]... sizes) {
        Path shots = screenshotDir();
        page.mouse().move(0, 0);
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(scheme));
            for (int[] size : sizes) {
                page.setViewportSize(size[0], size[1]);
                page.evaluate("() => window.scrollTo(0, 0)");
                page.waitForTimeout(400);
                assertThat(fitsWidth()).as("no sideways scrolling at %d px in %s", size[0], scheme).isTrue();
                String file = name + "-" + size[0] + "-" + scheme.name().toLowerCase(java.util.Locale.ROOT) + ".png";
                if (size[0] < 1000) {
                    // A whole-page shot: cards and rows off screen are skipped by content-visibility; show them.
                    page.evaluate("() => document.querySelectorAll('.card, .host-table tbody tr').forEach(e => e.style.contentVisibility = 'visible')");
                }
                page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve(file)).setFullPage(size[0] < 1000));
            }
        }
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
        page.setViewportSize(sizes[0][0], sizes[0][1]);
    }

    /** app/target/screenshots. */
    static Path screenshotDir() {
        Path dir = ServmonProcess.jar().toAbsolutePath().getParent().resolve("screenshots");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    @Override
    public void close() {
        context.close();
    }
}
