package dev.servmon.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.alerts.notify.Signing;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookTest {
    static final String SECRET = "s3cret-shared-with-the-receiver";
    AlertKit kit;
    Receiver first;
    Receiver second;

    @BeforeEach
    void start() {
        kit = AlertKit.start();
        first = new Receiver();
        second = new Receiver();
    }

    @AfterEach
    void stop() {
        kit.hub.close();
        first.close();
        second.close();
    }

    /** What a receiver does: check the signature over timestamp and body, with the shared secret. */
    static void assertSigned(Receiver.Request r) {
        long ts = Long.parseLong(r.header(Signing.TIMESTAMP_HEADER));
        assertThat(Signing.verify(SECRET, ts, r.body(), r.header(Signing.SIGNATURE_HEADER)))
                .as("signature %s over %s", r.header(Signing.SIGNATURE_HEADER), r.body()).isTrue();
        assertThat(Signing.verify("another secret", ts, r.body(), r.header(Signing.SIGNATURE_HEADER))).isFalse();
        assertThat(Signing.verify(SECRET, ts + 1, r.body(), r.header(Signing.SIGNATURE_HEADER))).isFalse();
    }

    @Test
    void every_url_of_the_notifier_gets_the_documented_body_signed_with_hmac_sha256() {
        JsonNode notifier = kit.create("/api/v1/notifiers", "{\"name\":\"ops\",\"type\":\"webhook\",\"config\":{\"urls\":[\""
                + first.url("/a") + "\",\"" + second.url("/b") + "\"],\"secret\":\"" + SECRET + "\"}}");
        assertThat(notifier.toString()).doesNotContain(SECRET);
        assertThat(notifier.get("config").get("secretsSet")).extracting(JsonNode::asText).containsExactly("secret");
        long rule = kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"severity\":\"critical\",\"notifierIds\":["
                + notifier.get("id").asLong() + "]}");
        var web = kit.host("web-1");
        web.report(97.5);
        kit.engine().evaluateNow();

        for (Receiver receiver : List.of(first, second)) {
            Receiver.Request r = receiver.await(1, Duration.ofSeconds(10)).get(0);
            assertSigned(r);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("X-Servmon-Event")).isEqualTo("firing");
            JsonNode b = AlertKit.json(r.body());
            assertThat(b.get("version").asText()).isEqualTo("1");
            assertThat(b.get("event").asText()).isEqualTo("firing");
            assertThat(b.get("state").asText()).isEqualTo("firing");
            assertThat(b.get("alertId").asLong()).isEqualTo(kit.alerts(rule).get(0).get("id").asLong());
            assertThat(b.get("rule").get("id").asLong()).isEqualTo(rule);
            assertThat(b.get("rule").get("name").asText()).isEqualTo("CPU hot");
            assertThat(b.get("rule").get("severity").asText()).isEqualTo("critical");
            assertThat(b.get("host").get("id").asLong()).isEqualTo(web.id);
            assertThat(b.get("host").get("name").asText()).isEqualTo("web-1");
            assertThat(b.get("metric").asText()).isEqualTo("cpuPercent");
            assertThat(b.get("value").asDouble()).isEqualTo(97.5);
            assertThat(b.get("threshold").asDouble()).isEqualTo(90);
            assertThat(b.get("startsAt").asText()).isEqualTo(java.time.Instant.ofEpochMilli(kit.clock.millis()).toString());
            assertThat(b.get("endsAt").isNull()).isTrue();
            assertThat(b.get("link").asText()).startsWith("http://127.0.0.1:" + kit.hub.hub().port() + "/alerts.html#alert-");
            assertThat(b.get("title").asText()).isEqualTo("[FIRING] CPU hot on web-1");
            assertThat(b.get("summary").asText()).contains("cpuPercent is 97.5 on web-1 (cpuPercent > 90)");
        }
    }

    @Test
    void failed_deliveries_are_retried_with_backoff_and_logged() {
        long hook = kit.webhook("ops", first.url("/hook"), SECRET);
        kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"notifierIds\":[" + hook + "]}");
        first.answer(500, 503);
        var web = kit.host("web-1");
        web.report(99);
        kit.engine().evaluateNow();
        first.await(1, Duration.ofSeconds(10));
        JsonNode log = awaitDelivery(hook, 1);
        assertThat(log.get("status").asText()).isEqualTo("pending");
        assertThat(log.get("responseCode").asInt()).isEqualTo(500);
        assertThat(log.get("lastError").asText()).contains("HTTP 500").contains("receiver says no");
        assertThat(log.get("nextAttemptAtMs").asLong()).isEqualTo(kit.clock.millis() + 10_000);

        kit.clock.advance(Duration.ofSeconds(9));
        kit.hub.hub().alerts().dispatcher().runDue();
        first.assertStays(1, Duration.ofMillis(200));
        kit.clock.advance(Duration.ofSeconds(1));
        first.await(2, Duration.ofSeconds(10));
        log = awaitDelivery(hook, 2);
        assertThat(log.get("responseCode").asInt()).isEqualTo(503);
        assertThat(log.get("nextAttemptAtMs").asLong()).isEqualTo(kit.clock.millis() + 30_000);

        kit.clock.advance(Duration.ofSeconds(30));
        List<Receiver.Request> got = first.await(3, Duration.ofSeconds(10));
        log = awaitDelivery(hook, 3);
        assertThat(log.get("status").asText()).isEqualTo("sent");
        assertThat(log.get("responseCode").asInt()).isEqualTo(200);
        assertThat(got).extracting(Receiver.Request::body).containsOnly(got.get(0).body());
        got.forEach(WebhookTest::assertSigned);
    }

    @Test
    void a_receiver_that_keeps_failing_is_given_up_after_six_attempts() {
        long hook = kit.webhook("ops", first.url("/hook"), null);
        kit.rule("{\"name\":\"CPU hot\",\"condition\":\"cpuPercent > 90\",\"notifierIds\":[" + hook + "]}");
        first.answer(500, 500, 500, 500, 500, 500, 500);
        kit.host("web-1").report(99);
        kit.engine().evaluateNow();
        long[] waits = {10, 30, 120, 600, 1800};
        first.await(1, Duration.ofSeconds(10));
        for (int i = 0; i < waits.length; i++) {
            awaitDelivery(hook, i + 1);
            kit.clock.advance(Duration.ofSeconds(waits[i]));
            first.await(i + 2, Duration.ofSeconds(10));
        }
        JsonNode log = awaitDelivery(hook, 6);
        assertThat(log.get("status").asText()).isEqualTo("failed");
        kit.clock.advance(Duration.ofHours(2));
        first.assertStays(6, Duration.ofMillis(1_500));
    }

    @Test
    void send_test_delivers_at_once_and_reports_failure_as_502() {
        long hook = kit.webhook("ops", first.url("/hook"), SECRET);
        var ok = kit.admin.post("/api/v1/notifiers/" + hook + "/test", "");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        Receiver.Request r = first.await(1, Duration.ofSeconds(5)).get(0);
        assertSigned(r);
        assertThat(AlertKit.json(r.body()).get("event").asText()).isEqualTo("test");
        first.answer(404);
        var failed = kit.admin.post("/api/v1/notifiers/" + hook + "/test", "");
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(kit.admin.json(failed).get("deliveries").get(0).get("status").asText()).isEqualTo("failed");
        assertThat(kit.admin.post("/api/v1/notifiers/424242/test", "").statusCode()).isEqualTo(404);
    }

    @Test
    void notifiers_are_validated_and_secrets_survive_updates_that_leave_them_out() {
        var admin = kit.admin;
        assertThat(admin.post("/api/v1/notifiers", "{\"name\":\"x\",\"type\":\"pager\",\"config\":{}}").body()).contains("unknown notifier type");
        assertThat(admin.post("/api/v1/notifiers", "{\"name\":\"x\",\"type\":\"webhook\",\"config\":{\"urls\":[\"ftp://x\"]}}").body())
                .contains("not an http:// or https:// URL");
        assertThat(admin.post("/api/v1/notifiers", "{\"name\":\"x\",\"type\":\"email\",\"config\":{\"host\":\"smtp\",\"from\":\"a@b\"}}").body())
                .contains("config.to");
        long hook = kit.webhook("ops", first.url("/hook"), SECRET);
        assertThat(admin.post("/api/v1/notifiers", "{\"name\":\"ops\",\"type\":\"webhook\",\"config\":{\"url\":\"http://x\"}}").statusCode())
                .isEqualTo(409);
        var updated = admin.put("/api/v1/notifiers/" + hook, "{\"config\":{\"urls\":[\"" + second.url("/new") + "\"]}}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(admin.post("/api/v1/notifiers/" + hook + "/test", "").statusCode()).isEqualTo(200);
        assertSigned(second.await(1, Duration.ofSeconds(5)).get(0));
        assertThat(admin.delete("/api/v1/notifiers/" + hook).statusCode()).isEqualTo(204);
        assertThat(admin.get("/api/v1/notifiers/" + hook + "/deliveries").statusCode()).isEqualTo(404);
    }

    JsonNode awaitDelivery(long notifier, int attempts) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonNode log = kit.admin.json(kit.admin.get("/api/v1/notifiers/" + notifier + "/deliveries"));
            if (!log.isEmpty() && log.get(0).get("attempts").asInt() >= attempts) {
                return log.get(0);
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no delivery with " + attempts + " attempts: " + log);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
