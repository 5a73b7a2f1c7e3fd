package dev.servmon.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.servmon.hub.Samples;
import dev.servmon.hub.alerts.Receiver;
import dev.servmon.hub.alerts.notify.Signing;
import dev.servmon.hub.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The alerts page in a real browser against a real hub: a webhook notifier and a rule made in the
 * page, an alert that fires and resolves on screen without a reload, the signed webhooks a
 * receiver on loopback gets, an acknowledgement with a comment, and the firing count in the
 * overview's header.
 */
class AlertsBrowserIT extends BrowserTestBase {
    private static final String SECRET = "shared-with-the-receiver";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void an_operator_makes_a_webhook_and_a_rule_then_watches_the_alert_fire_get_acknowledged_and_resolve() {
        JsonNode host = hub.registerHost("web-1");
        String key = host.get("key").asText();
        try (Receiver receiver = new Receiver()) {
            Page page = open(1280, 900, ColorScheme.LIGHT).signIn(hub, "/alerts.html");
            assertThat(page).hasTitle("Alerts · servmon");

            Locator notifier = addWebhook(page, receiver);
            notifier.getByTestId("send-test").click();
            assertThat(notifier.getByTestId("send-test")).hasText("Sent ✓");
            assertThat(body(assertSigned(receiver.await(1, WAIT).get(0))).get("event").asText()).isEqualTo("test");
            assertThat(page.getByTestId("delivery-row").first()).containsText("sent");

            Locator rule = addRule(page);
            assertThat(rule).containsText("cpuPercent > 50");
            assertThat(rule).containsText("all hosts");
            assertThat(rule).containsText("ops hook");

            // Fires on the page as it happens: no reload.
            ingest(key, 1, 90);
            Locator alert = page.locator("[data-testid=alert-row][data-rule='CPU busy']");
            assertThat(alert.getByTestId("alert-state")).hasText("FIRING");
            assertThat(alert).containsText("web-1");
            assertThat(alert).containsText("90 %");
            Receiver.Request firing = receiver.await(2, WAIT).get(1);
            JsonNode fired = body(assertSigned(firing));
            assertThat(fired.get("event").asText()).isEqualTo("firing");
            assertThat(fired.get("rule").get("name").asText()).isEqualTo("CPU busy");
            assertThat(fired.get("host").get("name").asText()).isEqualTo("web-1");
            assertThat(fired.get("value").asDouble()).isEqualTo(90.0);
            session.screenshots("alerts", new int[] {1280, 900}, new int[] {360, 780});
            assertThat(fired.get("link").asText()).isEqualTo(hub.apiUrl() + "/alerts.html#alert-" + fired.get("alertId").asLong());

            alert.getByTestId("ack").click();
            assertThat(page.getByTestId("ack-dialog")).isVisible();
            page.getByTestId("ack-comment").fill("disk cleanup running");
            page.getByTestId("ack-save").click();
            assertThat(page.getByTestId("ack-dialog")).isHidden();
            assertThat(alert.getByTestId("alert-note")).hasText("acknowledged by admin: disk cleanup running");
            assertThat(alert.getByTestId("ack")).hasCount(0);

            // The overview's header counts what fires.
            page.getByTestId("nav-hosts").click();
            page.waitForURL(hub.apiUrl() + "/");
            assertThat(page.getByTestId("alerts-firing")).hasText("1");
            assertThat(page.getByTestId("alerts-firing")).isVisible();
            page.getByTestId("nav-alerts").click();
            page.waitForURL(hub.apiUrl() + "/alerts.html");

            page.getByTestId("filter-all").click();
            assertThat(alert.getByTestId("alert-state")).hasText("FIRING");
            ingest(key, 2, 10);
            assertThat(alert.getByTestId("alert-state")).hasText("RESOLVED");
            JsonNode resolved = body(assertSigned(receiver.await(3, WAIT).get(2)));
            assertThat(resolved.get("event").asText()).isEqualTo("resolved");
            assertThat(resolved.get("endsAt").isNull()).isFalse();

            page.getByTestId("nav-hosts").click();
            page.waitForURL(hub.apiUrl() + "/");
            assertThat(page.getByTestId("host-card")).hasCount(1);
            assertThat(page.getByTestId("alerts-firing")).isHidden();
            session.assertClean();
        }
    }

    @Test
    void rules_take_a_tag_scope_or_a_disk_horizon_and_maintenance_windows_can_be_edited() {
        Page page = open(1280, 900, ColorScheme.DARK).signIn(hub, "/alerts.html");
        page.getByTestId("add-rule").click();
        page.getByTestId("rule-kind").selectOption("disk_full");
        assertThat(page.getByTestId("rule-threshold")).isHidden();
        page.getByTestId("rule-name").fill("Data disk filling");
        page.getByTestId("rule-horizon").fill("72");
        page.getByTestId("rule-tag").fill("db");
        page.getByTestId("rule-hosts").fill("1");
        page.getByTestId("rule-save").click();
        assertThat(page.getByTestId("rule-error")).hasText("Give host ids or a tag, not both.");
        page.getByTestId("rule-hosts").fill("");
        page.getByTestId("rule-save").click();
        assertThat(page.getByTestId("rule-dialog")).isHidden();
        Locator rule = page.getByTestId("rule-row").filter(new Locator.FilterOptions().setHasText("Data disk filling"));
        assertThat(rule).containsText("full within 72 h");
        assertThat(rule).containsText("tag db");

        rule.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit")).click();
        assertThat(page.getByTestId("rule-kind")).isHidden();
        assertThat(page.getByTestId("rule-horizon")).hasValue("72");
        assertThat(page.getByTestId("rule-tag")).hasValue("db");
        page.getByTestId("rule-horizon").fill("48");
        page.getByTestId("rule-save").click();
        assertThat(rule).containsText("full within 48 h");

        page.getByTestId("add-window").click();
        page.getByTestId("window-name").fill("patch night");
        page.locator("#window-days").fill("SAT,SUN");
        page.locator("#window-start").fill("02:00");
        page.getByTestId("window-minutes").fill("90");
        page.locator("#window-zone").fill("Europe/Berlin");
        page.getByTestId("window-save").click();
        Locator window = page.getByTestId("window-row").filter(new Locator.FilterOptions().setHasText("patch night"));
        assertThat(window).containsText("SAT,SUN 02:00 for 90 min (Europe/Berlin)");
        window.getByTestId("window-edit").click();
        assertThat(page.getByTestId("window-name")).hasValue("patch night");
        page.getByTestId("window-minutes").fill("120");
        page.getByTestId("window-save").click();
        assertThat(window).containsText("for 120 min");
        assertThat(page.getByTestId("window-row")).hasCount(1);
        session.assertClean();
    }

    private static Locator addWebhook(Page page, Receiver receiver) {
        page.getByTestId("add-notifier").click();
        page.getByTestId("notifier-name").fill("ops hook");
        page.getByTestId("notifier-type").selectOption("webhook");
        page.getByTestId("notifier-urls").fill(receiver.url("/hook"));
        page.getByTestId("notifier-secret").fill(SECRET);
        page.getByTestId("notifier-save").click();
        assertThat(page.getByTestId("notifier-dialog")).isHidden();
        Locator row = page.getByTestId("notifier-row").filter(new Locator.FilterOptions().setHasText("ops hook"));
        assertThat(row).containsText(receiver.url("/hook"));
        assertThat(row).not().containsText(SECRET);
        return row;
    }

    private static Locator addRule(Page page) {
        page.getByTestId("add-rule").click();
        page.getByTestId("rule-name").fill("CPU busy");
        page.getByTestId("rule-metric").selectOption("cpuPercent");
        page.getByTestId("rule-op").selectOption(">");
        page.getByTestId("rule-threshold").fill("50");
        page.getByTestId("rule-for").fill("0");
        page.getByTestId("rule-dialog").getByLabel("ops hook").check();
        page.getByTestId("rule-save").click();
        assertThat(page.getByTestId("rule-dialog")).isHidden();
        return page.getByTestId("rule-row").filter(new Locator.FilterOptions().setHasText("CPU busy"));
    }

    /** One report with this CPU share, as the agent would send it now. */
    private void ingest(String key, long seq, double cpuPercent) {
        var r = hub.ingest(key, Samples.cpuBatch(seq, System.currentTimeMillis(), cpuPercent));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** What a receiver does with the shared secret: check the HMAC over timestamp and body. */
    private static Receiver.Request assertSigned(Receiver.Request r) {
        long ts = Long.parseLong(r.header(Signing.TIMESTAMP_HEADER));
        assertThat(Math.abs(System.currentTimeMillis() / 1000 - ts)).isLessThan(300);
        assertThat(Signing.verify(SECRET, ts, r.body(), r.header(Signing.SIGNATURE_HEADER))).as(r.body()).isTrue();
        return r;
    }

    private static JsonNode body(Receiver.Request r) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
