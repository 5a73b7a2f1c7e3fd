package dev.servmon.hub.alerts.notify;

import dev.servmon.protocol.BuildVersion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * POSTs a delivery's JSON to its URL: webhooks signed ({@link Signing}), Alertmanager-format
 * receivers with optional basic auth, Slack and Discord as they are. Any 2xx is success.
 */
public final class HttpTransport implements Transport {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ERROR_BODY = 200;

    private final Clock clock;
    private HttpClient http;
    private final String userAgent;

    public HttpTransport(Clock clock) {
        this.clock = clock;
        this.userAgent = "servmon/" + BuildVersion.current();
    }

    /** Built on first delivery: the client holds a selector thread that a hub without HTTP notifiers does not need. */
    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    @Override
    public Result send(Notifier n, Delivery d) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(d.target()))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", userAgent)
                    .POST(HttpRequest.BodyPublishers.ofString(d.payload(), StandardCharsets.UTF_8));
            if (n.type() == NotifierType.WEBHOOK) {
                long ts = clock.millis() / 1000;
                b.header("X-Servmon-Event", d.event()).header("X-Servmon-Delivery", Long.toString(d.id()))
                        .header(Signing.TIMESTAMP_HEADER, Long.toString(ts));
                String secret = n.config().path("secret").asText("");
                if (!secret.isEmpty()) {
                    b.header(Signing.SIGNATURE_HEADER, Signing.signature(secret, ts, d.payload()));
                }
            }
            if (n.type() == NotifierType.ALERTMANAGER && n.config().hasNonNull("username")) {
                String auth = n.config().path("username").asText() + ":" + n.config().path("password").asText("");
                b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
            }
            HttpResponse<String> r = http().send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) {
                return Result.sent(r.statusCode());
            }
            String body = r.body() == null ? "" : r.body().strip();
            return Result.failed(r.statusCode(), "HTTP " + r.statusCode() + (body.isEmpty() ? "" : ": "
                    + (body.length() > MAX_ERROR_BODY ? body.substring(0, MAX_ERROR_BODY) + "…" : body)));
        } catch (IOException | IllegalArgumentException e) {
            return Result.failed(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed(null, "interrupted while sending (hub stopping)");
        }
    }
}
