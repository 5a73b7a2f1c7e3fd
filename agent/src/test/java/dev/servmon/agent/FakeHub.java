package dev.servmon.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.servmon.protocol.IngestAck;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.Problem;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;

/**
 * A real HTTP server on a free port that speaks the hub's ingest protocol: it stores samples
 * by seq (ignoring ones it already has, as the real hub does) and answers what the test says.
 */
public final class FakeHub implements AutoCloseable {
    /** What to answer to one request; {@code null} means store and acknowledge. */
    public interface Responder {
        Response respond(int requestNumber, IngestBatch batch);
    }

    public record Response(int status, String body, Map<String, String> headers) {
        public static Response problem(int status, String detail, Map<String, String> headers) {
            try {
                return new Response(status, JSON.writeValueAsString(new Problem("about:blank", "Error", status, detail)), headers);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final int port;
    private final List<Long> stored = new ArrayList<>();
    private final Set<Long> storedSet = new HashSet<>();
    private final List<IngestBatch> batches = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private final List<String> encodings = new ArrayList<>();
    private final List<Long> requestAtNanos = new ArrayList<>();
    private volatile Responder responder = (n, b) -> null;
    private HttpServer server;
    private ExecutorService executor;
    private int requests;
    private int duplicates;

    private FakeHub(int port) throws IOException {
        startServer(port);
        this.port = server.getAddress().getPort();
    }

    public static FakeHub start() throws IOException {
        return new FakeHub(0);
    }

    /** The hub's ingest base URL. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public void respondWith(Responder r) {
        this.responder = r;
    }

    /** Goes down: the port refuses connections. */
    public synchronized void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Comes back on the same port. */
    public synchronized void startAgain() throws IOException {
        startServer(port);
    }

    public synchronized List<Long> storedSeqs() {
        return List.copyOf(stored);
    }

    public synchronized List<IngestBatch> batches() {
        return List.copyOf(batches);
    }

    /** The Content-Encoding of each request, "identity" when it had none. */
    public synchronized List<String> encodings() {
        return List.copyOf(encodings);
    }

    public synchronized List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    public synchronized List<Long> requestAtNanos() {
        return List.copyOf(requestAtNanos);
    }

    public synchronized int requests() {
        return requests;
    }

    public synchronized int duplicates() {
        return duplicates;
    }

    /** Waits until {@code condition} holds, failing the test after {@code timeout}. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public synchronized void close() {
        stop();
    }

    private void startServer(int onPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fake-hub");
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(executor);
        s.createContext("/api/v1/ingest", this::handle);
        s.start();
        server = s;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            if ("gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
                raw = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes();
            }
            IngestBatch batch = JSON.readValue(raw, IngestBatch.class);
            Response response;
            synchronized (this) {
                requests++;
                requestAtNanos.add(System.nanoTime());
                authorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
                String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
                encodings.add(encoding == null ? "identity" : encoding);
                batches.add(batch);
                response = responder.respond(requests, batch);
                if (response == null) {
                    int fresh = 0;
                    int dup = 0;
                    for (Sample s : batch.samples()) {
                        if (storedSet.add(s.seq())) {
                            stored.add(s.seq());
                            fresh++;
                        } else {
                            dup++;
                        }
                    }
                    duplicates += dup;
                    long through = batch.samples().get(batch.samples().size() - 1).seq();
                    response = new Response(200, JSON.writeValueAsString(new IngestAck(through, fresh, dup)), Map.of());
                }
            }
            response.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.getResponseHeaders().add("Content-Type", response.status() == 200 ? "application/json" : Problem.MEDIA_TYPE);
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                ex.getResponseBody().write(body);
            }
        }
    }
}
