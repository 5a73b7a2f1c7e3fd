package dev.servmon.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.Samples;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.api.RateLimiter;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RateLimitTest {
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static String credentials(String user, String password) {
        return "{\"username\":" + TestHub.quote(user) + ",\"password\":" + TestHub.quote(password) + "}";
    }

    @Test
    void twenty_bad_logins_from_one_address_get_429_with_retry_after_while_others_sign_in() {
        int refused = 0;
        RawHttp.Response last = null;
        for (int i = 0; i < 20; i++) {
            last = RawHttp.postJson("127.0.0.2", hub.hub().port(), "/api/v1/session", credentials("mallory" + i, "guess-" + i));
            if (last.status() == 429) {
                refused++;
            } else {
                assertThat(last.status()).isEqualTo(401);
            }
        }
        assertThat(refused).as("attempts after the first 5 failures").isEqualTo(15);
        assertThat(last.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(last.header("Content-Type")).startsWith("application/problem+json");
        assertThat(last.body()).contains("\"status\":429").contains("too many failed sign-ins");

        // The blocked address is blocked even with the right password...
        assertThat(RawHttp.postJson("127.0.0.2", hub.hub().port(), "/api/v1/session", credentials("admin", TestHub.ADMIN_PASSWORD)).status())
                .isEqualTo(429);
        // ...but a good login from another address for another user still works.
        var ok = RawHttp.postJson("127.0.0.1", hub.hub().port(), "/api/v1/session", credentials("admin", TestHub.ADMIN_PASSWORD));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    }

    @Test
    void failures_for_one_username_block_it_from_every_address() {
        for (int i = 0; i < 5; i++) {
            assertThat(RawHttp.postJson("127.0.0.3", hub.hub().port(), "/api/v1/session", credentials("victim", "guess-" + i)).status())
                    .isEqualTo(401);
        }
        var elsewhere = RawHttp.postJson("127.0.0.4", hub.hub().port(), "/api/v1/session", credentials("victim", "guess-x"));
        assertThat(elsewhere.status()).isEqualTo(429);
        assertThat(elsewhere.header("Retry-After")).isNotNull();
        // A different user from the first address is not refused by the username limit.
        assertThat(RawHttp.postJson("127.0.0.5", hub.hub().port(), "/api/v1/session", credentials("admin", TestHub.ADMIN_PASSWORD)).status())
                .isEqualTo(200);
    }

    @Test
    void an_ingest_flood_from_one_host_key_is_refused_while_another_host_keeps_reporting() {
        // 1 report/s with a burst of 20: the flood stays far beyond the refill however slow this machine is.
        try (TestHub hub = TestHub.start(cfg -> cfg.withSecurity(new dev.servmon.hub.SecurityConfig(dev.servmon.hub.tls.TlsConfig.OFF, null,
                new dev.servmon.hub.api.RateLimits(5, 50, 200, 1, 20))))) {
            flood(hub);
        }
    }

    private static void flood(TestHub hub) {
        var flooder = hub.registerHost("flooder");
        var quiet = hub.registerHost("quiet");
        long now = System.currentTimeMillis();
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 150; i++) {
            var r = hub.ingest(flooder.get("key").asText(), Samples.batch(now, i + 1));
            if (r.statusCode() == 429) {
                limited++;
                retryAfter = r.headers().firstValue("Retry-After").orElse(null);
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
            if (i % 10 == 0) {
                var other = hub.ingest(quiet.get("key").asText(), Samples.batch(now, i / 10 + 1));
                assertThat(other.statusCode()).as("the other host is not limited").isEqualTo(200);
            }
        }
        assertThat(limited).as("requests beyond the burst of 20 (plus refill)").isGreaterThan(30);
        assertThat(retryAfter).isEqualTo("1");
    }

    @Test
    void an_agent_replaying_a_backlog_at_the_default_pace_is_never_limited() {
        var host = hub.registerHost("replayer");
        long now = System.currentTimeMillis();
        // The agent sends a batch of up to 200 samples per second while replaying (Agent.sendLoop);
        // even ten times faster stays below the sustained limit.
        for (int i = 0; i < 30; i++) {
            long[] seqs = new long[200];
            for (int j = 0; j < seqs.length; j++) {
                seqs[j] = i * 200L + j + 1;
            }
            assertThat(hub.ingest(host.get("key").asText(), Samples.batch(now - 3_600_000 + i * 1000L, seqs)).statusCode()).isEqualTo(200);
            sleep(100);
        }
    }

    @Test
    void api_calls_beyond_the_burst_get_429_per_principal() {
        var admin = hub.admin();
        int limited = 0;
        for (int i = 0; i < 400; i++) {
            int status = admin.get("/api/v1/session").statusCode();
            if (status == 429) {
                limited++;
            }
        }
        assertThat(limited).isPositive();
    }

    @Test
    void the_bucket_map_stays_bounded_under_a_flood_of_new_keys() {
        AtomicLong nanos = new AtomicLong();
        TimeMeter time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanos.get();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        var limiter = new RateLimiter(5, 5, Duration.ofMinutes(1), 100, time);
        for (int i = 0; i < 10_000; i++) {
            limiter.tryTake("user-" + i);
            nanos.addAndGet(1_000);
        }
        assertThat(limiter.size()).isLessThanOrEqualTo(100);
        // A bucket in use keeps its state: 5 takes, then refused.
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryTake("hot")).isZero();
        }
        assertThat(limiter.tryTake("hot")).isPositive();
        nanos.addAndGet(Duration.ofSeconds(12).toNanos());
        assertThat(limiter.tryTake("hot")).as("one token back after 12 s").isZero();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
