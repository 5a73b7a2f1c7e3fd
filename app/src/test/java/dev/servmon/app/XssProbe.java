package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches one browser context for script that came from data: the {@code xssHit} binding the
 * payloads call, {@code window.__xss}, CSP violations (reported by the page and on the console),
 * script errors, alert dialogs and elements carrying handlers or {@code javascript:} links.
 */
final class XssProbe {
    private final BrowserSession browser;
    private final List<String> hits = new CopyOnWriteArrayList<>();

    XssProbe(BrowserSession browser) {
        this.browser = browser;
        browser.context.exposeFunction("xssHit", args -> {
            hits.add(String.valueOf(args.length > 0 ? args[0] : "?"));
            return null;
        });
        browser.context.addInitScript("document.addEventListener('securitypolicyviolation', e => "
                + "{ window.__csp = (window.__csp || []); window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });");
    }

    /** Moves the mouse over the page and tabs through it, so mouseover/focus payloads would fire. */
    static void sweep(Page page) {
        var size = page.viewportSize();
        for (int y = 10; y < size.height; y += 80) {
            for (int x = 10; x < size.width; x += 160) {
                page.mouse().move(x, y);
            }
        }
        for (int i = 0; i < 12; i++) {
            page.keyboard().press("Tab");
        }
    }

    /** Sweeps {@code page}, then fails naming {@code where} if anything from data ran or became markup. */
    void sweepAndCheck(Page page, String where) {
        sweep(page);
        check(page, where);
    }

    /** Fails naming {@code where} if anything from data ran or became markup. */
    void check(Page page, String where) {
        page.waitForTimeout(100);
        assertThat(hits).as("payloads that ran on the %s", where).isEmpty();
        assertThat(page.evaluate("() => window.__xss === undefined")).as("window.__xss on the %s", where).isEqualTo(true);
        assertThat(page.evaluate("() => JSON.stringify(window.__csp || [])")).as("CSP violations on the %s", where).isEqualTo("[]");
        assertThat(browser.pageErrors).as("script errors and CSP console errors on the %s", where).isEmpty();
        assertThat(browser.dialogs).as("alert dialogs on the %s", where).isEmpty();
        // Nothing from data became an element with a handler, a javascript: link or a frame.
        Object injected = page.evaluate("() => [...document.querySelectorAll('*')].filter(n => [...n.attributes].some(a => "
                + "a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value) && (a.name === 'href' || a.name === 'src' "
                + "|| a.name === 'action' || a.name === 'formaction' || a.name === 'xlink:href'))).length "
                + "+ document.querySelectorAll('iframe, object, embed, img[src=x], img[src=y], svg[onload], details[ontoggle], math').length");
        assertThat(((Number) injected).intValue()).as("injected elements on the %s", where).isZero();
    }
}
