package dev.servmon.agent.transport;

import dev.servmon.protocol.IngestAck;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Sends sample batches to the hub's ingest endpoint, {@code POST {hubUrl}/api/v1/ingest} with
 * the host key as a bearer token, and tells the caller what became of each
 * ({@link SendResult}). One request at a time; HTTP/1.1; redirects are not followed (a
 * redirected POST would lose its body). Bodies over {@value #GZIP_FROM_BYTES} bytes are sent
 * gzip-compressed ({@code Content-Encoding: gzip}); samples compress about 6:1.
 */
public final class HubClient implements AutoCloseable {
    /** How long to wait for a TCP (and TLS) connection to the hub. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long to wait for the hub's answer to one batch. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** Path of the ingest endpoint below the hub URL. */
    public static final String INGEST_PATH = "/api/v1/ingest";
    /** Bodies at least this long are compressed. */
    public static final int GZIP_FROM_BYTES = 1024;
    private static final int MAX_DETAIL_CHARS = 300;

    private final URI ingestUri;
    private final String authorization;
    private final String userAgent;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final byte[] batchHead;
    private final byte[] agentVersionJson;
    private volatile CompletableFuture<HttpResponse<byte[]>> inFlight;
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
        this.authorization = "Bearer " + key;
        this.userAgent = "servmon-agent/" + agentVersion;
        this.batchHead = ("{\"protocolVersion\":" + ProtocolVersion.CURRENT + ",\"agentVersion\":")
                .getBytes(StandardCharsets.UTF_8);
        this.agentVersionJson = Json.write(agentVersion);
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
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
        return send(batch.intervalSeconds(), batch.samples().stream().map(Json::write).toList());
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
        byte[] body = body(intervalSeconds, samples);
        HttpRequest.Builder builder = HttpRequest.newBuilder(ingestUri)
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", userAgent);
        if (body.length >= GZIP_FROM_BYTES) {
            builder.header("Content-Encoding", "gzip");
            body = gzip(body);
        }
        lastBodyBytes = body.length;
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        inFlight = future;
        if (closed) {
            future.cancel(true);
        }
        try {
            return interpret(future.get());
        } catch (CancellationException e) {
            return new SendResult.Retryable("the agent is stopping", null);
        } catch (ExecutionException e) {
            return failure(e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } finally {
            inFlight = null;
        }
    }

    /** Abandons the request in flight, if any; later {@link #send} calls return at once. */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<HttpResponse<byte[]>> f = inFlight;
        if (f != null) {
            f.cancel(true);
        }
    }

    /** Size on the wire of the last body sent (after compression), for measurements. */
    public int lastBodyBytes() {
        return lastBodyBytes;
    }

    private byte[] body(int intervalSeconds, List<byte[]> samples) {
        int size = batchHead.length + agentVersionJson.length + 48;
        for (byte[] s : samples) {
            size += s.length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(batchHead);
        out.writeBytes(agentVersionJson);
        out.writeBytes((",\"intervalSeconds\":" + intervalSeconds + ",\"samples\":[").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < samples.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(samples.get(i));
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            gz.write(body);
        } catch (IOException e) {
            throw new IllegalStateException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }

    private SendResult interpret(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        byte[] body = response.body();
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
                        + " (is --hub the hub's ingest URL, usually port 8081?): " + detail, retryAfter(response));
            default:
                return new SendResult.Retryable("the hub answered " + status + ": " + detail, retryAfter(response));
        }
    }

    private static SendResult failure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return new SendResult.Retryable("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", null);
        }
        if (cause instanceof HttpTimeoutException) {
            return new SendResult.Retryable("no answer within the request timeout", null);
        }
        if (cause instanceof ConnectException) {
            return new SendResult.Retryable("cannot connect (" + (cause.getMessage() == null ? "connection refused" : cause.getMessage()) + ")", null);
        }
        if (cause instanceof IOException) {
            return new SendResult.Retryable(cause.toString(), null);
        }
        if (cause instanceof CancellationException) {
            return new SendResult.Retryable("the agent is stopping", null);
        }
        throw new IllegalStateException("unexpected failure of an ingest request", cause);
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
        String oneLine = text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return oneLine.length() <= MAX_DETAIL_CHARS ? oneLine : oneLine.substring(0, MAX_DETAIL_CHARS) + "…";
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date, or {@code null} when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(HubClient::parseRetryAfter).orElse(null);
    }

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
