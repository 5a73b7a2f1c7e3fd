package dev.servmon.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.servmon.agent.FakeHub;
import dev.servmon.protocol.IngestAck;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubClientTest {
    private static final String KEY = "k3y-0123456789abcdef0123456789abcdef";
    private FakeHub hub;
    private HubClient client;

    @BeforeEach
    void start() throws IOException {
        hub = FakeHub.start();
        client = new HubClient(URI.create(hub.url() + "/"), KEY, "0.1.0-test");
    }

    @AfterEach
    void stop() {
        client.close();
        hub.close();
    }

    @Test
    void an_acknowledged_batch_carries_the_key_as_bearer_token_and_the_samples_as_json() throws Exception {
        SendResult result = client.send(batch(41, 42));

        assertThat(result).isEqualTo(new SendResult.Acked(new IngestAck(42, 2, 0)));
        assertThat(hub.authorizations()).containsExactly("Bearer " + KEY);
        IngestBatch received = hub.batches().get(0);
        assertThat(received.protocolVersion()).isEqualTo(ProtocolVersion.CURRENT);
        assertThat(received.intervalSeconds()).isEqualTo(10);
        assertThat(received.samples()).extracting(Sample::seq).containsExactly(41L, 42L);
        assertThat(received.samples().get(0).memory().totalBytes()).isEqualTo(8L << 30);
        assertThat(client.ingestUri()).isEqualTo(URI.create(hub.url() + "/api/v1/ingest"));
    }

    @Test
    void an_unchecked_exception_from_the_jdk_http_client_is_a_retryable_failure_not_the_end_of_the_agent() throws Exception {
        // HttpURLConnection throws IllegalArgumentException for a header value with a line break:
        // one real way to make the JDK's client throw unchecked (an NPE inside it was seen too).
        try (var broken = new HubClient(URI.create(hub.url() + "/"), "bad\nkey", "0.1.0-test")) {
            SendResult result = broken.send(batch(1));
            assertThat(result).isInstanceOf(SendResult.Retryable.class);
            assertThat(((SendResult.Retryable) result).reason()).startsWith("the HTTP client failed: java.lang.IllegalArgumentException");
        }
        assertThat(hub.batches()).isEmpty();
    }

    @Test
    void a_small_batch_goes_as_is_and_a_large_one_gzip_compressed_both_intact() throws Exception {
        long[] many = new long[500];
        for (int i = 0; i < many.length; i++) {
            many[i] = i + 1;
        }
        IngestBatch small = batch(1);
        IngestBatch large = batch(many);

        assertThat(client.send(small)).isInstanceOf(SendResult.Acked.class);
        assertThat(client.send(large)).isInstanceOf(SendResult.Acked.class);

        assertThat(hub.encodings()).containsExactly("identity", "gzip");
        assertThat(hub.batches().get(0)).isEqualTo(small);
        assertThat(hub.batches().get(1)).isEqualTo(large);
        assertThat(client.lastBodyBytes()).as("compressed").isLessThan(Json.write(large.samples()).length / 4);
    }

    @Test
    void an_unknown_key_is_told_apart_from_every_other_failure() throws Exception {
        hub.respondWith((n, b) -> FakeHub.Response.problem(401, "unknown or revoked host key", Map.of()));

        assertThat(client.send(batch(1))).isEqualTo(new SendResult.KeyRejected("unknown or revoked host key"));
    }

    @Test
    void a_malformed_batch_is_refused_with_the_hubs_problem_detail() throws Exception {
        hub.respondWith((n, b) -> FakeHub.Response.problem(400, "samples[0].seq must be positive", Map.of()));

        assertThat(client.send(batch(1))).isEqualTo(new SendResult.Refused(400, "samples[0].seq must be positive"));
    }

    @Test
    void an_overloaded_hub_says_when_to_come_back() throws Exception {
        hub.respondWith((n, b) -> FakeHub.Response.problem(503, "write queue full", Map.of("Retry-After", "7")));

        SendResult result = client.send(batch(1));

        assertThat(result).isInstanceOf(SendResult.Retryable.class);
        assertThat(((SendResult.Retryable) result).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(((SendResult.Retryable) result).reason()).contains("503").contains("write queue full");
    }

    @Test
    void a_proxy_error_page_is_retryable_and_its_text_becomes_the_reason() throws Exception {
        hub.respondWith((n, b) -> new FakeHub.Response(502, "<html><body>\n<h1>502 Bad Gateway</h1>\n</body></html>", Map.of()));

        SendResult result = client.send(batch(1));

        assertThat(result).isInstanceOf(SendResult.Retryable.class);
        assertThat(((SendResult.Retryable) result).reason()).contains("502").contains("Bad Gateway").doesNotContain("\n");
    }

    @Test
    void a_wrong_url_is_retryable_and_hints_at_the_ingest_port() throws Exception {
        HubClient wrong = new HubClient(URI.create(hub.url() + "/not-the-hub"), KEY, "0.1.0-test");

        SendResult result = wrong.send(batch(1));

        assertThat(result).isInstanceOf(SendResult.Retryable.class);
        assertThat(((SendResult.Retryable) result).reason()).contains("404").contains("--hub");
    }

    @Test
    void a_hub_that_is_down_is_retryable() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }
        HubClient down = new HubClient(URI.create("http://127.0.0.1:" + freePort), KEY, "0.1.0-test");

        SendResult result = down.send(batch(1));

        assertThat(result).isInstanceOf(SendResult.Retryable.class);
        assertThat(((SendResult.Retryable) result).reason()).contains("cannot connect");
    }

    @Test
    void a_hub_that_does_not_answer_in_time_is_retryable() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer silent = silentServer(release);
        try {
            HubClient impatient = new HubClient(URI.create("http://127.0.0.1:" + silent.getAddress().getPort()), KEY,
                    "0.1.0-test", Duration.ofSeconds(2), Duration.ofMillis(300));

            SendResult result = impatient.send(batch(1));

            assertThat(result).isInstanceOf(SendResult.Retryable.class);
            assertThat(((SendResult.Retryable) result).reason()).contains("no answer");
        } finally {
            release.countDown();
            silent.stop(0);
        }
    }

    @Test
    void close_abandons_a_request_in_flight_at_once() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer silent = silentServer(release);
        try {
            HubClient c = new HubClient(URI.create("http://127.0.0.1:" + silent.getAddress().getPort()), KEY, "0.1.0-test");
            new Thread(() -> {
                sleep(300);
                c.close();
            }).start();
            long start = System.nanoTime();

            SendResult result = c.send(batch(1));

            assertThat(result).isInstanceOf(SendResult.Retryable.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            release.countDown();
            silent.stop(0);
        }
    }

    @Test
    void retry_after_is_read_as_seconds_or_as_an_http_date() {
        assertThat(HubClient.parseRetryAfter("120")).isEqualTo(Duration.ofSeconds(120));
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(61));
        assertThat(HubClient.parseRetryAfter(inAMinute)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
        assertThat(HubClient.parseRetryAfter("soon")).isNull();
        assertThat(HubClient.parseRetryAfter("-3")).isNull();
    }

    /** A server that accepts requests and answers none until {@code release} opens. */
    private static HttpServer silentServer(CountDownLatch release) throws IOException {
        HttpServer silent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 5);
        silent.createContext("/", ex -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        silent.start();
        return silent;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static IngestBatch batch(long... seqs) {
        List<Sample> samples = new java.util.ArrayList<>();
        for (long seq : seqs) {
            samples.add(new Sample(seq, 1_700_000_000_000L + seq,
                    new Sample.Cpu(12.5, List.of(10.0, 15.0), 0.4, 0.3, 0.2),
                    new Sample.Memory(8L << 30, 3L << 30, 5L << 30, 0L, 0L),
                    List.of(new Sample.Filesystem("/", "ext4", 100L << 30, 40L << 30)),
                    List.of(new Sample.NetInterface("eth0", 1234.5, 678.9)),
                    3600L, 2, null));
        }
        return new IngestBatch(ProtocolVersion.CURRENT, "0.1.0-test", 10, samples);
    }
}
