package dev.servmon.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.MutableClock;
import dev.servmon.hub.SecurityConfig;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.auth.Role;
import dev.servmon.hub.auth.Totp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TotpTest {
    private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void codes_match_the_rfc_6238_sha1_test_vectors() {
        long[] times = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};
        String[] eightDigits = {"94287082", "07081804", "14050471", "89005924", "69279037", "65353130"};
        for (int i = 0; i < times.length; i++) {
            long step = Totp.step(times[i] * 1000);
            String six = Totp.code(RFC_KEY, step);
            assertThat(six).as("T=%d", times[i]).isEqualTo(eightDigits[i].substring(2));
        }
    }

    @Test
    void base32_round_trips_and_matches_rfc_4648() {
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(new String(Totp.fromBase32("mzxw6ytboi======"), StandardCharsets.US_ASCII)).isEqualTo("foobar");
        String secret = Totp.newSecret();
        assertThat(secret).hasSize(32).matches("[A-Z2-7]+");
        assertThat(Totp.base32(Totp.fromBase32(secret))).isEqualTo(secret);
    }

    @Test
    void only_codes_within_one_step_and_after_the_last_used_step_match() {
        long now = 1_700_000_000_000L;
        long step = Totp.step(now);
        assertThat(Totp.matchingStep(RFC_KEY, Totp.code(RFC_KEY, step), now, -1)).isEqualTo(step);
        assertThat(Totp.matchingStep(RFC_KEY, Totp.code(RFC_KEY, step - 1), now, -1)).isEqualTo(step - 1);
        assertThat(Totp.matchingStep(RFC_KEY, Totp.code(RFC_KEY, step + 1), now, -1)).isEqualTo(step + 1);
        assertThat(Totp.matchingStep(RFC_KEY, Totp.code(RFC_KEY, step - 2), now, -1)).as("stale").isEqualTo(-1);
        assertThat(Totp.matchingStep(RFC_KEY, Totp.code(RFC_KEY, step + 2), now, -1)).as("future").isEqualTo(-1);
        assertThat(Totp.matchingStep(RFC_KEY, Totp.code(RFC_KEY, step), now, step)).as("replayed").isEqualTo(-1);
        assertThat(Totp.matchingStep(RFC_KEY, "12345a", now, -1)).isEqualTo(-1);
        assertThat(Totp.matchingStep(RFC_KEY, null, now, -1)).isEqualTo(-1);
    }

    @Test
    void otpauth_uri_names_issuer_account_and_parameters() {
        assertThat(Totp.uri("servmon", "ann lee", "ABC"))
                .isEqualTo("otpauth://totp/servmon:ann%20lee?secret=ABC&issuer=servmon&algorithm=SHA1&digits=6&period=30");
    }

    /** Enrols admin; returns the secret's bytes and the recovery codes. */
    private static Enrolled enrol(TestHub hub, MutableClock clock) {
        var admin = hub.admin();
        var begun = admin.post("/api/v1/session/totp", "{}");
        assertThat(begun.statusCode()).as(begun.body()).isEqualTo(201);
        JsonNode e = admin.json(begun);
        assertThat(e.get("otpauthUri").asText()).startsWith("otpauth://totp/servmon:admin?secret=" + e.get("secret").asText());
        byte[] key = Totp.fromBase32(e.get("secret").asText());
        var wrong = admin.post("/api/v1/session/totp/confirm", "{\"code\":\"000000\"}");
        assertThat(wrong.statusCode()).isEqualTo(400);
        var confirmed = admin.post("/api/v1/session/totp/confirm",
                "{\"code\":\"" + Totp.code(key, Totp.step(clock.millis())) + "\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        admin.json(confirmed).get("recoveryCodes").forEach(n -> codes.add(n.asText()));
        assertThat(codes).hasSize(10).doesNotHaveDuplicates();
        assertThat(admin.json(admin.get("/api/v1/session/totp")).get("enabled").asBoolean()).isTrue();
        assertThat(admin.post("/api/v1/session/totp", "{}").statusCode()).as("no second enrolment while on").isEqualTo(409);
        return new Enrolled(key, codes);
    }

    record Enrolled(byte[] key, List<String> recoveryCodes) {}

    private static String login(String extra) {
        return "{\"username\":\"admin\",\"password\":\"" + TestHub.ADMIN_PASSWORD + "\"" + extra + "}";
    }

    @Test
    void a_user_with_totp_signs_in_with_a_current_code_once_and_never_with_a_stale_one() {
        var clock = new MutableClock(1_700_000_000_000L);
        try (var hub = TestHub.start(clock)) {
            var enrolled = enrol(hub, clock);
            clock.advance(Duration.ofSeconds(60));

            var noCode = hub.anonymous().post("/api/v1/session", login(""));
            assertThat(noCode.statusCode()).isEqualTo(401);
            assertThat(noCode.body()).contains("\"totpRequired\":true");
            assertThat(noCode.headers().firstValue("Set-Cookie")).isEmpty();

            String code = Totp.code(enrolled.key(), Totp.step(clock.millis()));
            var c = hub.anonymous();
            var ok = c.post("/api/v1/session", login(",\"code\":\"" + code + "\""));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(c.get("/api/v1/hosts").statusCode()).isEqualTo(200);

            var replayed = hub.anonymous().post("/api/v1/session", login(",\"code\":\"" + code + "\""));
            assertThat(replayed.statusCode()).as("replayed code").isEqualTo(401);
            assertThat(replayed.body()).contains("totpRequired");

            String stale = Totp.code(enrolled.key(), Totp.step(clock.millis()) - 2);
            assertThat(hub.anonymous().post("/api/v1/session", login(",\"code\":\"" + stale + "\"")).statusCode()).as("stale").isEqualTo(401);

            var wrongPassword = hub.anonymous().post("/api/v1/session",
                    "{\"username\":\"admin\",\"password\":\"not-the-password\",\"code\":\"" + code + "\"}");
            assertThat(wrongPassword.statusCode()).isEqualTo(401);
            assertThat(wrongPassword.body()).contains("wrong username or password").doesNotContain("totpRequired");

            // Next step: a new code works again.
            clock.advance(Duration.ofSeconds(30));
            String next = Totp.code(enrolled.key(), Totp.step(clock.millis()));
            assertThat(hub.anonymous().post("/api/v1/session", login(",\"code\":\"" + next + "\"")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_recovery_code_signs_in_once() {
        var clock = new MutableClock(1_700_000_000_000L);
        try (var hub = TestHub.start(clock)) {
            var enrolled = enrol(hub, clock);
            String recovery = enrolled.recoveryCodes().get(3);
            var first = hub.anonymous();
            assertThat(first.post("/api/v1/session", login(",\"recoveryCode\":\"" + recovery.toLowerCase() + "\"")).statusCode()).isEqualTo(200);
            assertThat(first.json(first.get("/api/v1/session/totp")).get("recoveryCodesLeft").asInt()).isEqualTo(9);
            assertThat(hub.anonymous().post("/api/v1/session", login(",\"recoveryCode\":\"" + recovery + "\"")).statusCode()).as("used").isEqualTo(401);
            assertThat(hub.anonymous().post("/api/v1/session", login(",\"recoveryCode\":\"AAAA-BBBB-CCCC-DDDD\"")).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void totp_is_turned_off_only_with_a_code_or_the_password() {
        var clock = new MutableClock(1_700_000_000_000L);
        try (var hub = TestHub.start(clock)) {
            var enrolled = enrol(hub, clock);
            clock.advance(Duration.ofSeconds(30));
            var c = hub.anonymous();
            var signedIn = c.post("/api/v1/session", login(",\"code\":\"" + Totp.code(enrolled.key(), Totp.step(clock.millis())) + "\""));
            assertThat(signedIn.statusCode()).isEqualTo(200);
            var admin = withCsrf(c, signedIn);
            assertThat(admin.send(admin.request("/api/v1/session/totp").header("X-CSRF-Token", admin.csrf()).header("Content-Type", "application/json")
                    .method("DELETE", java.net.http.HttpRequest.BodyPublishers.ofString("{\"password\":\"nope-nope-nope\"}"))).statusCode()).isEqualTo(400);
            assertThat(admin.send(admin.request("/api/v1/session/totp").header("X-CSRF-Token", admin.csrf()).header("Content-Type", "application/json")
                    .method("DELETE", java.net.http.HttpRequest.BodyPublishers.ofString("{\"password\":\"" + TestHub.ADMIN_PASSWORD + "\"}"))).statusCode()).isEqualTo(204);
            assertThat(hub.anonymous().post("/api/v1/session", login("")).statusCode()).as("password alone again").isEqualTo(200);
        }
    }

    @Test
    void when_required_an_admin_without_totp_can_only_enrol() {
        var clock = new MutableClock(1_700_000_000_000L);
        try (var hub = TestHub.start(cfg -> cfg.withClock(clock).withSecurity(SecurityConfig.DEFAULTS.withRequire2faFor(Role.ADMIN)))) {
            var admin = hub.admin();
            var hosts = admin.get("/api/v1/hosts");
            assertThat(hosts.statusCode()).isEqualTo(403);
            assertThat(hosts.body()).contains("\"totpEnrolmentRequired\":true");
            assertThat(admin.get("/api/v1/session").statusCode()).isEqualTo(200);
            assertThat(admin.json(admin.get("/api/v1/session/totp")).get("required").asBoolean()).isTrue();
            var enrolled = enrol(hub, clock);
            assertThat(admin.get("/api/v1/hosts").statusCode()).as("the same session, once enrolled").isEqualTo(200);
            clock.advance(Duration.ofSeconds(30));
            var c = hub.anonymous();
            var signedIn = c.post("/api/v1/session", login(",\"code\":\"" + Totp.code(enrolled.key(), Totp.step(clock.millis())) + "\""));
            assertThat(signedIn.statusCode()).isEqualTo(200);
            assertThat(c.get("/api/v1/hosts").statusCode()).isEqualTo(200);
            var off = withCsrf(c, signedIn).send(c.request("/api/v1/session/totp").header("X-CSRF-Token", c.json(signedIn).get("csrfToken").asText())
                    .header("Content-Type", "application/json")
                    .method("DELETE", java.net.http.HttpRequest.BodyPublishers.ofString("{\"password\":\"" + TestHub.ADMIN_PASSWORD + "\"}")));
            assertThat(off.statusCode()).as("cannot turn off what the hub requires").isEqualTo(403);
        }
    }

    private static TestHub.Client withCsrf(TestHub.Client c, java.net.http.HttpResponse<String> signedIn) {
        return c.withCsrf(c.json(signedIn).get("csrfToken").asText());
    }
}
