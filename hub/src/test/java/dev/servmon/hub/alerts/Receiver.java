package dev.servmon.hub.alerts;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP receiver for notifications on a loopback port: records every request and answers
 * with the statuses queued by the test (then 200).
 */
public final class Receiver implements AutoCloseable {
    /** One received request. */
    public record Request(String path, Map<String, List<String>> headers, String body, long receivedAtNanos) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();

    public Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", ex -> {
            long at = System.nanoTime();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body, at));
            Integer status = statuses.poll();
            byte[] answer = (status == null || status < 300 ? "ok" : "receiver says no").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status == null ? 200 : status, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests are answered with these statuses, in order. */
    public void answer(int... codes) {
        for (int c : codes) {
            statuses.add(c);
        }
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** Waits until at least {@code n} requests arrived; fails after {@code timeout}. */
    public List<Request> await(int n, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (requests.size() < n) {
            if (System.nanoTime() > end) {
                throw new AssertionError("expected " + n + " requests within " + timeout + ", got " + requests.size() + ": " + requests);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        return requests();
    }

    /** Asserts that no more than {@code n} requests arrive within {@code quiet}. */
    public void assertStays(int n, Duration quiet) {
        try {
            Thread.sleep(quiet.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (requests.size() != n) {
            throw new AssertionError("expected exactly " + n + " requests, got " + requests.size() + ": " + requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
