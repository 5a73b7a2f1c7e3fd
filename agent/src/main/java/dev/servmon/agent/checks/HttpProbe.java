package dev.servmon.agent.checks;

import dev.servmon.protocol.checks.Probing;
import dev.servmon.protocol.checks.StatusCodes;
import dev.servmon.protocol.checks.Verdicts;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * HTTP(S) checks with {@link HttpURLConnection} (the agent does without {@code java.net.http}
 * to stay small): status in the expected set, keyword present or absent in the first
 * {@value #MAX_BODY_BYTES} bytes of the body, and for HTTPS the days until the server
 * certificate expires. Judged by the same {@link Verdicts#http} as the hub's probe.
 *
 * <p>Unlike the hub's client, {@code HttpURLConnection} follows a redirect only within the same
 * scheme (http → https is not followed: the check sees the 3xx).
 */
final class HttpProbe {
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final String USER_AGENT = "servmon-check/1 (agent)";

    private HttpProbe() {}

    static ProbeResult run(Settings s, int timeoutSeconds, long nowMs) {
        String url = s.requiredText("url");
        String method = s.text("method") == null ? "GET" : s.text("method");
        String keyword = s.text("keyword");
        boolean insecure = s.flag("ignoreTlsErrors", false);
        int timeoutMs = timeoutSeconds * 1000;
        long start = System.nanoTime();
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setRequestMethod(method);
            c.setInstanceFollowRedirects(s.flag("followRedirects", true));
            c.setUseCaches(false);
            c.setRequestProperty("User-Agent", USER_AGENT);
            c.setConnectTimeout(timeoutMs);
            c.setReadTimeout(timeoutMs);
            if (insecure && c instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(TrustAll.FACTORY);
                https.setHostnameVerifier((host, session) -> true);
            }
            c.connect();
            // Read now, after the handshake: once a body-less answer (HEAD) is read the connection may be released.
            Integer certDays = c instanceof HttpsURLConnection https ? certDaysLeft(https, nowMs) : null;
            int status = c.getResponseCode();
            String body;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                body = in == null ? "" : keyword == null ? drain(in) : new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
            }
            double ms = Probing.msSince(start);
            Long certMinDays = s.number("certMinDays");
            var verdict = Verdicts.http(StatusCodes.parse(s.text("expectedStatus")), keyword, s.flag("keywordAbsent", false),
                    certMinDays == null ? null : certMinDays.intValue(), status, body, certDays);
            return ProbeResult.of(verdict, ms).withValue((double) status).withCertDaysLeft(certDays);
        } catch (SocketTimeoutException e) {
            return ProbeResult.down(Probing.msSince(start), "no answer within " + timeoutSeconds + " s");
        } catch (UnknownHostException e) {
            return ProbeResult.down(null, "unknown host " + e.getMessage());
        } catch (SSLException e) {
            return ProbeResult.down(Probing.msSince(start), "TLS failed: " + Probing.rootMessage(e)
                    + (insecure ? "" : " (a self-signed certificate needs ignoreTlsErrors)"));
        } catch (ConnectException e) {
            return ProbeResult.down(Probing.msSince(start), "connection refused or unreachable: " + Probing.rootMessage(e));
        } catch (IOException | IllegalArgumentException e) {
            return ProbeResult.down(Probing.msSince(start), "request failed: " + Probing.rootMessage(e));
        } finally {
            if (c != null) {
                c.disconnect(); // no keep-alive socket left behind between checks
            }
        }
    }

    /** Whole days until the server certificate's notAfter; null when there is none. */
    private static Integer certDaysLeft(HttpsURLConnection c, long nowMs) {
        try {
            Certificate[] chain = c.getServerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                return (int) Math.floorDiv(x.getNotAfter().getTime() - nowMs, 86_400_000L);
            }
        } catch (javax.net.ssl.SSLPeerUnverifiedException | IllegalStateException e) {
            return null; // no verified peer (cannot happen after connect) or already released
        }
        return null;
    }

    private static String drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while (total < MAX_BODY_BYTES && (n = in.read(buf)) >= 0) {
            total += n;
        }
        return "";
    }

    /** Accepts any certificate: only for checks with ignoreTlsErrors; built at the first such check. */
    private static final class TrustAll implements X509TrustManager {
        static final SSLSocketFactory FACTORY = factory();

        private static SSLSocketFactory factory() {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new TrustAll()}, null);
                return ctx.getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no TLS in this JVM", e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // not a server
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // ignoreTlsErrors: the operator asked for this
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
