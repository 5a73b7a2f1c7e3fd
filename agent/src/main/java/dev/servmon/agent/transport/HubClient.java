package dev.servmon.agent.transport;

import dev.servmon.protocol.IngestAck;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Sends sample batches to the hub's ingest endpoint, {@code POST {hubUrl}/api/v1/ingest} with
 * the host key as a bearer token, and tells the caller what became of each
 * ({@link SendResult}). One request at a time; HTTP/1.1 with keep-alive; redirects are not
 * followed (a redirected POST would lose its body). Bodies over {@value #GZIP_FROM_BYTES} bytes
 * are sent gzip-compressed ({@code Content-Encoding: gzip}); samples compress about 6:1.
 *
 * <p>Built on {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: the latter's
 * selector thread, executor and classes cost about 17 MB of RSS, half of the agent's whole
 * budget (docs/performance.md). The price: a request is abandoned by {@link #close()}
 * disconnecting it, not by interrupting the sending thread.
 */
public final class HubClient implements AutoCloseable {
    /** How long to wait for a TCP (and TLS) connection to the hub. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long the hub may stay silent while answering one batch. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** Path of the ingest endpoint below the hub URL. */
    public static final String INGEST_PATH = "/api/v1/ingest";
    /** Bodies at least this long are compressed. */
    public static final int GZIP_FROM_BYTES = 1024;
    private static final int MAX_DETAIL_CHARS = 300;
    private static final int MAX_ANSWER_BYTES = 1 << 20;
    private static final byte[] BATCH_TAIL = "]}".getBytes(StandardCharsets.US_ASCII);

    private final URI ingestUri;
    private final URL ingestUrl;
    private final String authorization;
    private final String userAgent;
    private final int connectTimeoutMillis;
    private final int requestTimeoutMillis;
    private final byte[] batchHead;
    private final byte[] agentVersionJson;
    private volatile HttpURLConnection inFlight;
    private volatile boolean closed;
    private volatile int lastBodyBytes;

    /**
     * @param hubUrl the hub's ingest base URL, e.g. {@code http://hub.example.com:8081}
     * @param key the host key
     * @param agentVersion this agent's version, sent as {@code User-Agent}
     */
    public HubClient(URI hubUrl, String key, String agentVersion) {
        this(hubUrl, key, agentVersion, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }

    HubClient(URI hubUrl, String key, String agentVersion, Duration connectTimeout, Duration requestTimeout) {
        this.ingestUri = ingestUri(hubUrl);
        try {
            this.ingestUrl = ingestUri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the hub URL " + hubUrl + " is not an http(s) URL: " + e.getMessage(), e);
        }
        this.authorization = "Bearer " + key;
        this.userAgent = "servmon-agent/" + agentVersion;
        this.batchHead = ("{\"protocolVersion\":" + ProtocolVersion.CURRENT + ",\"agentVersion\":")
                .getBytes(StandardCharsets.UTF_8);
        this.agentVersionJson = Json.write(agentVersion);
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.requestTimeoutMillis = Math.toIntExact(requestTimeout.toMillis());
    }

    /** The ingest endpoint below {@code hubUrl} (trailing slashes of the hub URL ignored). */
    public static URI ingestUri(URI hubUrl) {
        String base = hubUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + INGEST_PATH);
    }

    /** The endpoint this client posts to. */
    public URI ingestUri() {
        return ingestUri;
    }

    /**
     * Sends one batch and waits for the answer (at most the request timeout).
     *
     * @throws InterruptedException when the calling thread is interrupted; the request is abandoned
     */
    public SendResult send(IngestBatch batch) throws InterruptedException {
        List<byte[]> samples = new ArrayList<>(batch.samples().size());
        for (Sample s : batch.samples()) {
            samples.add(Json.write(s));
        }
        return send(batch.intervalSeconds(), samples);
    }

    /**
     * Sends samples already encoded as JSON objects, in the order given, as one batch.
     *
     * @throws InterruptedException when the calling thread is interrupted; the request is abandoned
     */
    public SendResult send(int intervalSeconds, List<byte[]> samples) throws InterruptedException {
        if (closed) {
            return new SendResult.Retryable("the agent is stopping", null);
        }
        int rawBytes = bodyBytes(intervalSeconds, samples);
        boolean gzip = rawBytes >= GZIP_FROM_BYTES;
        byte[] body = body(intervalSeconds, samples, rawBytes, gzip);
        lastBodyBytes = body.length;
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) ingestUrl.openConnection();
            c.setConnectTimeout(connectTimeoutMillis);
            c.setReadTimeout(requestTimeoutMillis);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setDoOutput(true);
            c.setRequestMethod("POST");
            c.setRequestProperty("Authorization", authorization);
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("Accept", "application/json");
            c.setRequestProperty("User-Agent", userAgent);
            if (gzip) {
                c.setRequestProperty("Content-Encoding", "gzip");
            }
            // Not setFixedLengthStreamingMode: in streaming mode the JDK discards the body of a 401,
            // and the hub's reason (revoked key, unknown key) is what the operator needs to read. The
            // JDK may then re-send a POST once on a stale keep-alive connection, which is harmless:
            // the hub ignores samples it already holds.
            inFlight = c;
            if (closed) {
                return new SendResult.Retryable("the agent is stopping", null);
            }
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            byte[] answer = readAnswer(c, status);
            return interpret(status, answer, c.getHeaderField("Retry-After"));
        } catch (IOException | RuntimeException e) {
            // Unchecked too: the JDK's HttpURLConnection throws some of its own when the connection
            // breaks under it (an NPE inside sun.net.www.http was seen while a hub stopped), and one
            // failed send must never end the agent's loop.
            if (c != null) {
                c.disconnect();
            }
            if (closed) {
                return new SendResult.Retryable("the agent is stopping", null);
            }
            return e instanceof IOException io ? failure(io) : new SendResult.Retryable("the HTTP client failed: " + e, null);
        } finally {
            inFlight = null;
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while sending to the hub");
            }
        }
    }

    /** Abandons the request in flight, if any; later {@link #send} calls return at once. */
    @Override
    public void close() {
        closed = true;
        HttpURLConnection c = inFlight;
        if (c != null) {
            c.disconnect();
        }
    }

    /** The answer body, read to its end so the connection can be kept alive for the next batch. */
    private static byte[] readAnswer(HttpURLConnection c, int status) throws IOException {
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            byte[] answer = in.readNBytes(MAX_ANSWER_BYTES);
            if (in.read() >= 0) {
                // An answer this long is not the hub's; drop the connection rather than drain it.
                c.disconnect();
            }
            return answer;
        }
    }

    /** Size on the wire of the last body sent (after compression), for measurements. */
    public int lastBodyBytes() {
        return lastBodyBytes;
    }

    /** Length of the uncompressed body. */
    private int bodyBytes(int intervalSeconds, List<byte[]> samples) {
        long size = batchHead.length + agentVersionJson.length + batchMiddle(intervalSeconds).length + BATCH_TAIL.length;
        for (byte[] s : samples) {
            size += s.length + 1;
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /**
     * The request body: the batch envelope around the samples, gzip-compressed when asked. The
     * compressed body is written straight from the samples, never whole uncompressed in memory:
     * a replay batch may hold 4 MiB of JSON in a 16 MiB heap.
     */
    private byte[] body(int intervalSeconds, List<byte[]> samples, int rawBytes, boolean gzip) {
        // Samples compress about 6:1; the buffer grows if a batch compresses worse.
        ByteArrayOutputStream out = new ByteArrayOutputStream(gzip ? rawBytes / 4 + 64 : rawBytes);
        try (OutputStream body = gzip ? new GZIPOutputStream(out, 8192) : out) {
            body.write(batchHead);
            body.write(agentVersionJson);
            body.write(batchMiddle(intervalSeconds));
            for (int i = 0; i < samples.size(); i++) {
                if (i > 0) {
                    body.write(',');
                }
                body.write(samples.get(i));
            }
            body.write(BATCH_TAIL);
        } catch (IOException e) {
            throw new IllegalStateException("writing a request body into memory failed", e);
        }
        return out.toByteArray();
    }

    /** {@code body} gzip-compressed, as reports of {@value #GZIP_FROM_BYTES} bytes or more are sent. */
    public static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            gz.write(body);
        } catch (IOException e) {
            throw new IllegalStateException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }

    private static byte[] batchMiddle(int intervalSeconds) {
        return (",\"intervalSeconds\":" + intervalSeconds + ",\"samples\":[").getBytes(StandardCharsets.US_ASCII);
    }

    private SendResult interpret(int status, byte[] body, String retryAfterHeader) {
        Duration retryAfter = retryAfterHeader == null ? null : parseRetryAfter(retryAfterHeader);
        if (status == 200) {
            try {
                Object ack = Json.parse(body);
                if (!(Json.member(ack, "ackedThroughSeq") instanceof Long through)) {
                    throw new IOException("no ackedThroughSeq");
                }
                return new SendResult.Acked(new IngestAck(through, count(ack, "stored"), count(ack, "duplicates")));
            } catch (IOException e) {
                // The hub may have committed; sending again is safe because replays are ignored.
                return new SendResult.Retryable("the hub answered 200 with a body that is not an acknowledgement: " + e.getMessage(), null);
            }
        }
        String detail = detail(body);
        switch (status) {
            case 401:
                return new SendResult.KeyRejected(detail);
            case 400:
            case 413:
            case 422:
                return new SendResult.Refused(status, detail);
            case 404:
            case 405:
                return new SendResult.Retryable("the hub answered " + status + " for " + ingestUri
                        + " (is --hub the hub's ingest URL, usually port 8081?): " + detail, retryAfter);
            default:
                return new SendResult.Retryable("the hub answered " + status + ": " + detail, retryAfter);
        }
    }

    private SendResult failure(IOException cause) {
        if (cause instanceof SocketTimeoutException) {
            String m = String.valueOf(cause.getMessage());
            return new SendResult.Retryable(m.contains("connect")
                    ? "no connection within " + connectTimeoutMillis / 1000 + " s"
                    : "no answer within " + requestTimeoutMillis / 1000 + " s", null);
        }
        String tls = HubTrust.explain(cause, ingestUri.getHost());
        if (tls != null) {
            return new SendResult.Retryable(tls, null);
        }
        if (cause instanceof ConnectException) {
            return new SendResult.Retryable("cannot connect (" + (cause.getMessage() == null ? "connection refused" : cause.getMessage()) + ")", null);
        }
        return new SendResult.Retryable(cause.toString(), null);
    }

    /** The problem detail of an error body, else the start of its text. */
    private static String detail(byte[] body) {
        if (body == null || body.length == 0) {
            return "(no details)";
        }
        try {
            Object p = Json.parse(body);
            Object text = Json.member(p, "detail") instanceof String d ? d : Json.member(p, "title");
            if (text instanceof String t) {
                return clip(t);
            }
        } catch (IOException e) {
            // Not a problem body (a proxy's HTML page, plain text): its text is the best detail there is.
            return clip(new String(body, StandardCharsets.UTF_8));
        }
        return clip(new String(body, StandardCharsets.UTF_8));
    }

    private static int count(Object object, String name) {
        return Json.member(object, name) instanceof Long n ? (int) Math.min(Integer.MAX_VALUE, n) : 0;
    }

    private static String clip(String text) {
        // Runs of white space and control characters become one space (no regex: this runs in the agent).
        StringBuilder oneLine = new StringBuilder(Math.min(text.length(), MAX_DETAIL_CHARS + 1));
        boolean gap = false;
        for (int i = 0; i < text.length() && oneLine.length() <= MAX_DETAIL_CHARS; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                gap = true;
                continue;
            }
            if (gap && oneLine.length() > 0) {
                oneLine.append(' ');
            }
            gap = false;
            oneLine.append(c);
        }
        return oneLine.length() <= MAX_DETAIL_CHARS ? oneLine.toString() : oneLine.substring(0, MAX_DETAIL_CHARS) + "…";
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date, or {@code null} when unreadable. */
    static Duration parseRetryAfter(String value) {
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
