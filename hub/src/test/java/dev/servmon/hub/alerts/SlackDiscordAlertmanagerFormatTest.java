package dev.servmon.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.alerts.notify.Formats;
import dev.servmon.hub.alerts.notify.Notification;
import dev.servmon.hub.alerts.notify.Notifier;
import dev.servmon.hub.alerts.notify.NotifierType;
import dev.servmon.hub.alerts.notify.Templates;
import dev.servmon.hub.api.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlackDiscordAlertmanagerFormatTest {
    static final long STARTS = 1_800_000_000_000L;
    final Formats formats = new Formats(Json.mapper());

    static Notification firing() {
        return new Notification("firing", 12L, 3, "CPU hot", "metric", "critical", "firing", 7L, "web-1", "", "cpuPercent", 97.456,
                90.0, STARTS, null, "https://mon.example.com/alerts.html#alert-12", "cpuPercent is 97.46 on web-1 (cpuPercent > 90)", List.of());
    }

    static Notification resolved() {
        return new Notification("resolved", 12L, 3, "CPU hot", "metric", "critical", "resolved", 7L, "web-1", "", "cpuPercent", 42.0,
                90.0, STARTS, STARTS + 600_000, "https://mon.example.com/alerts.html#alert-12", "cpuPercent is back to 42 on web-1", List.of());
    }

    static Notifier notifier(NotifierType type, String title, String body) {
        return new Notifier(1, "team-" + type.label(), type, Json.mapper().createObjectNode(), title, body, 0, 0);
    }

    static JsonNode json(String s) {
        return AlertKit.json(s);
    }

    @Test
    void slack_gets_text_from_the_default_templates() {
        JsonNode b = json(formats.slack(notifier(NotifierType.SLACK, null, null), firing()));
        assertThat(b.fieldNames()).toIterable().containsExactly("text");
        assertThat(b.get("text").asText()).isEqualTo("[FIRING] CPU hot on web-1\ncpuPercent is 97.46 on web-1 (cpuPercent > 90)\n"
                + "https://mon.example.com/alerts.html#alert-12");
    }

    @Test
    void discord_gets_content_from_custom_templates_without_pinging_anyone() {
        var n = notifier(NotifierType.DISCORD, "{{severity}}: {{host}} {{metric}}={{value}} (limit {{threshold}}) @everyone",
                "{{state}} {{rule}} {{link}} {{nosuch}}");
        JsonNode b = json(formats.discord(n, firing()));
        assertThat(b.get("content").asText()).isEqualTo("critical: web-1 cpuPercent=97.46 (limit 90) @everyone\n"
                + "FIRING CPU hot https://mon.example.com/alerts.html#alert-12 {{nosuch}}");
        assertThat(b.get("allowed_mentions").get("parse")).isEmpty();
    }

    @Test
    void discord_content_is_cut_to_its_limit() {
        var n = notifier(NotifierType.DISCORD, "x".repeat(3_000), null);
        assertThat(json(formats.discord(n, firing())).get("content").asText()).hasSize(2_000).endsWith("…");
    }

    @Test
    void alertmanager_receivers_get_the_version_4_webhook_payload() {
        var n = notifier(NotifierType.ALERTMANAGER, null, null);
        JsonNode f = json(formats.alertmanager(n, firing()));
        assertThat(f.get("version").asText()).isEqualTo("4");
        assertThat(f.get("status").asText()).isEqualTo("firing");
        assertThat(f.get("receiver").asText()).isEqualTo("team-alertmanager");
        assertThat(f.get("groupKey").asText()).isEqualTo("{}:{alertname=\"CPU hot\"}");
        assertThat(f.get("truncatedAlerts").asInt()).isZero();
        assertThat(f.get("externalURL").asText()).isEqualTo("https://mon.example.com");
        assertThat(f.get("groupLabels").get("alertname").asText()).isEqualTo("CPU hot");
        JsonNode a = f.get("alerts").get(0);
        assertThat(a.get("status").asText()).isEqualTo("firing");
        assertThat(a.get("labels").get("alertname").asText()).isEqualTo("CPU hot");
        assertThat(a.get("labels").get("host").asText()).isEqualTo("web-1");
        assertThat(a.get("labels").get("severity").asText()).isEqualTo("critical");
        assertThat(a.get("annotations").get("summary").asText()).isEqualTo("[FIRING] CPU hot on web-1");
        assertThat(a.get("startsAt").asText()).isEqualTo("2027-01-15T08:00:00Z");
        assertThat(a.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(a.get("generatorURL").asText()).isEqualTo("https://mon.example.com/alerts.html#alert-12");
        assertThat(a.get("fingerprint").asText()).hasSize(16);
        assertThat(f.get("commonLabels")).isEqualTo(a.get("labels"));

        JsonNode r = json(formats.alertmanager(n, resolved()));
        assertThat(r.get("status").asText()).isEqualTo("resolved");
        assertThat(r.get("alerts").get(0).get("endsAt").asText()).isEqualTo("2027-01-15T08:10:00Z");
        assertThat(r.get("alerts").get(0).get("fingerprint")).isEqualTo(a.get("fingerprint"));
    }

    @Test
    void template_numbers_read_well() {
        assertThat(Templates.number(97.456)).isEqualTo("97.46");
        assertThat(Templates.number(90.0)).isEqualTo("90");
        assertThat(Templates.number(0.5)).isEqualTo("0.5");
        assertThat(Templates.number(null)).isEmpty();
    }

    @Test
    void slack_discord_and_alertmanager_notifiers_deliver_over_http() {
        var kit = AlertKit.start();
        try (var receiver = new Receiver()) {
            for (String type : List.of("slack", "discord", "alertmanager")) {
                String cfg = type.equals("alertmanager") ? "{\"urls\":[\"" + receiver.url("/" + type) + "\"],\"username\":\"am\",\"password\":\"pw\"}"
                        : "{\"url\":\"" + receiver.url("/" + type) + "\"}";
                long id = kit.create("/api/v1/notifiers", "{\"name\":\"" + type + "\",\"type\":\"" + type + "\",\"config\":" + cfg + "}")
                        .get("id").asLong();
                JsonNode shown = kit.admin.json(kit.admin.get("/api/v1/notifiers/" + id));
                if (!type.equals("alertmanager")) {
                    assertThat(shown.get("config").has("url")).as("a %s webhook URL is a secret", type).isFalse();
                }
                assertThat(kit.admin.post("/api/v1/notifiers/" + id + "/test", "").statusCode()).isEqualTo(200);
            }
            List<Receiver.Request> got = receiver.await(3, Duration.ofSeconds(10));
            assertThat(json(got.get(0).body()).get("text").asText()).contains("Test notification");
            assertThat(json(got.get(1).body()).get("content").asText()).contains("Test notification");
            assertThat(json(got.get(2).body()).get("version").asText()).isEqualTo("4");
            assertThat(got.get(2).header("Authorization")).isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("am:pw".getBytes()));
        } finally {
            kit.hub.close();
        }
    }
}
