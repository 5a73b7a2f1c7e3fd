package dev.servmon.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmailNotifierTest {
    GreenMail smtp;
    StartTlsProxy proxy;
    AlertKit kit;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@example.com", "alerts", "mail-password"));
        smtp.start();
        proxy = new StartTlsProxy(smtp.getSmtp().getPort());
        kit = AlertKit.start();
    }

    @AfterEach
    void stop() {
        kit.hub.close();
        proxy.close();
        smtp.stop();
    }

    long emailNotifier(String password) {
        return kit.create("/api/v1/notifiers", "{\"name\":\"mail\",\"type\":\"email\",\"titleTemplate\":\"servmon {{state}}: {{rule}} on {{host}}\","
                + "\"config\":{\"host\":\"127.0.0.1\",\"port\":" + proxy.port() + ",\"starttls\":true,\"username\":\"alerts\",\"password\":\""
                + password + "\",\"from\":\"alerts@example.com\",\"to\":[\"ops@example.com\",\"oncall@example.com\"],\"tlsTrust\":\"127.0.0.1\"}}")
                .get("id").asLong();
    }

    @Test
    void a_firing_alert_is_mailed_over_starttls_with_auth() throws Exception {
        long mail = emailNotifier("mail-password");
        kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"notifierIds\":[" + mail + "]}");
        kit.host("web-1").report(99);
        kit.engine().evaluateNow();

        // One message per recipient; waitForIncomingEmail counts differently across GreenMail versions, so poll.
        long end = System.nanoTime() + 15_000_000_000L;
        while (smtp.getReceivedMessages().length < 2 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        MimeMessage[] got = smtp.getReceivedMessages();
        assertThat(got).hasSize(2);
        assertThat(got[0].getSubject()).isEqualTo("servmon FIRING: CPU hot on web-1");
        assertThat(GreenMailUtil.getBody(got[0])).contains("cpuPercent is 99 on web-1").contains("/alerts.html#alert-");
        assertThat(got[0].getFrom()[0].toString()).isEqualTo("alerts@example.com");
        assertThat(proxy.upgraded()).isTrue();
        assertThat(proxy.insideTls()).contains("AUTH ").contains("MAIL FROM:<alerts@example.com>");
    }

    @Test
    void a_wrong_password_shows_in_the_delivery_log() {
        long mail = emailNotifier("wrong");
        var r = kit.admin.post("/api/v1/notifiers/" + mail + "/test", "");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("SMTP 127.0.0.1:" + proxy.port());
        assertThat(kit.admin.get("/api/v1/notifiers/" + mail + "/deliveries").body()).contains("\"status\":\"failed\"");
        assertThat(kit.admin.get("/api/v1/notifiers/" + mail).body()).doesNotContain("wrong");
    }
}
