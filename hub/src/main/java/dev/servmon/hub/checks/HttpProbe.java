package dev.servmon.hub.checks;

import dev.servmon.protocol.checks.Probing;
import dev.servmon.protocol.checks.StatusCodes;
import dev.servmon.protocol.checks.Verdict;
import dev.servmon.protocol.checks.Verdicts;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;

/**
 * HTTP(S) checks with {@link HttpClient}: status in the expected set, keyword present or absent
 * in the first {@value #MAX_BODY_BYTES} bytes of the body, response time to the end of that body,
 * and for HTTPS the days until the server certificate expires (read from the TLS session the
 * request itself used, so there is no second connection).
 *
 * <p>Four clients (redirects on/off × verify TLS or not) are shared by all checks; each shares
 * one small executor, so checks never start threads of their own. A client is built on first
 * use: each holds a selector thread and loads the HTTP client's classes, which a hub without
 * HTTP checks (or without insecure ones) does not need.
 */
final class HttpProbe implements Probe {
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final String USER_AGENT = "servmon-check/1";

    private final Clock clock;
    private final ExecutorService executor;
    private final HttpClient[] clients = new HttpClient[4];

    HttpProbe(Clock clock) {
        this.clock = clock;
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "servmon-check-http");
            t.setDaemon(true);
            return t;
        });
    }

    private synchronized HttpClient client(boolean follow, boolean insecure) {
        int i = (follow ? 1 : 0) | (insecure ? 2 : 0);
        if (clients[i] == null) {
            clients[i] = client(follow, insecure, executor);
        }
        return clients[i];
    }

    private static HttpClient client(boolean follow, boolean insecure, Executor executor) {
        var b = HttpClient.newBuilder()
                .followRedirects(follow ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(CheckValidator.MAX_TIMEOUT_SECONDS))
                .executor(executor);
        if (insecure) {
            b.sslContext(trustAll());
        }
        return b.build();
    }

    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    @Override
    public Outcome run(Check check) {
        var s = check.settings();
        boolean follow = s.followRedirects() == null || s.followRedirects();
        boolean insecure = Boolean.TRUE.equals(s.ignoreTlsErrors());
        HttpClient client = client(follow, insecure);
        Duration timeout = Duration.ofSeconds(check.timeoutSeconds());
        String method = s.method() == null ? "GET" : s.method();
        HttpRequest request = HttpRequest.newBuilder(URI.create(s.url()))
                .timeout(timeout)
                .header("User-Agent", USER_AGENT)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                body = s.keyword() == null ? drain(in) : new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
            }
            double ms = Probing.msSince(start);
            return judge(s, response.statusCode(), body, ms, certDaysLeft(response.sslSession().orElse(null), clock.millis()));
        } catch (HttpConnectTimeoutException e) {
            return Outcome.down(Probing.msSince(start), "connect timed out after " + check.timeoutSeconds() + " s");
        } catch (HttpTimeoutException e) {
            return Outcome.down(Probing.msSince(start), "no answer within " + check.timeoutSeconds() + " s");
        } catch (SSLException e) {
            return Outcome.down(Probing.msSince(start), "TLS failed: " + Probing.rootMessage(e)
                    + (insecure ? "" : " (a self-signed certificate needs ignoreTlsErrors)"));
        } catch (ConnectException e) {
            return Outcome.down(Probing.msSince(start), "connection refused or unreachable: " + Probing.rootMessage(e));
        } catch (IOException e) {
            return Outcome.down(Probing.msSince(start), "request failed: " + Probing.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.down(null, "interrupted: the hub is stopping");
        }
    }

    /** UP or DOWN from what came back; pure. */
    static Outcome judge(CheckSettings s, int status, String body, double ms, Integer certDays) {
        Verdict v = Verdicts.http(StatusCodes.parse(s.expectedStatus()), s.keyword(), Boolean.TRUE.equals(s.keywordAbsent()),
                s.certMinDays(), status, body, certDays);
        return Outcome.of(v, ms).withValue((double) status).withCertDaysLeft(certDays);
    }

    /** Whole days from {@code nowMs} until the peer certificate's notAfter; null without TLS. */
    static Integer certDaysLeft(SSLSession session, long nowMs) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                return daysLeft(x.getNotAfter().getTime(), nowMs);
            }
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
        return null;
    }

    static int daysLeft(long notAfterMs, long nowMs) {
        return (int) Math.floorDiv(notAfterMs - nowMs, 86_400_000L);
    }

    private static String drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0 && total < MAX_BODY_BYTES) {
            total += n;
        }
        return "";
    }

    void close() {
        executor.shutdownNow();
    }

    /** Accepts every certificate and, being an extended manager, skips the host name check too. */
    private static final class TrustAll extends javax.net.ssl.X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // not a server
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // ignoreTlsErrors: the person asked for this
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
            // not a server
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
            // ignoreTlsErrors
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
            // not a server
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
            // ignoreTlsErrors
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
