package dev.servmon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.servmon.hub.Hub;
import dev.servmon.hub.HubConfig;
import dev.servmon.hub.alerts.AlertSettings;
import dev.servmon.hub.alerts.notify.Signing;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.Passwords;
import dev.servmon.hub.storage.DbConfig;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Time from an alert's condition to its webhook: a real hub in this JVM with the real engine and
 * dispatcher, a rule {@code cpuPercent > 50} held 0 s with a signed webhook to a receiver on
 * loopback, and one host that reports 90 % (fires) then 10 % (resolves), N times, over HTTP.
 * Measured from the ingest's 200 (the report is stored) to the webhook's arrival, for each
 * evaluation period given; next to the same receiver's arrival time for a plain POST of a
 * webhook body in the same run, the floor of any delivery.
 *
 * <pre>java -cp bench/target/servmon-bench.jar dev.servmon.bench.AlertLatencyBench [--triggers 50] [--warmup 5] [--periods 15,1] [--db-url …]</pre>
 */
public final class AlertLatencyBench {
    private static final String SECRET = "bench-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private AlertLatencyBench() {}

    /** A webhook as the receiver saw it. */
    record Arrival(String event, long atNanos, boolean signed, String body) {}

    /** Nanosecond samples, summarised. */
    record Latencies(long[] sortedNanos) {
        static Latencies of(List<Long> nanos) {
            long[] a = nanos.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(a);
            return new Latencies(a);
        }

        double ms(double fraction) {
            return sortedNanos[Math.min(sortedNanos.length - 1, (int) (sortedNanos.length * fraction))] / 1e6;
        }

        String text() {
            return String.format(Locale.ROOT, "p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms", ms(0.50), ms(0.99), ms(1.0));
        }
    }

    public static void main(String[] args) throws Exception {
        var a = new BenchArgs(args, "usage: AlertLatencyBench [--triggers N=50] [--warmup W=5] [--periods SECONDS,…=15,1] [--db-url jdbc:postgresql://… --db-user U]\n"
                + "Measures the time from an ingested report that crosses a threshold to the webhook's arrival, per alert evaluation period,\n"
                + "against a plain HTTP POST to the same receiver in the same run.");
        int triggers = a.integer("triggers", 50);
        int warmup = a.integer("warmup", 5);
        String periods = a.string("periods", "15,1");
        Path dir = Files.createTempDirectory("servmon-alert-bench");
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        BlockingQueue<Arrival> arrivals = new ArrayBlockingQueue<>(10_000);
        ObjectMapper json = Json.mapper();
        receiver.createContext("/", ex -> {
            long at = System.nanoTime();
            byte[] body = ex.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            String ts = ex.getRequestHeaders().getFirst(Signing.TIMESTAMP_HEADER);
            boolean signed = ts != null && Signing.verify(SECRET, Long.parseLong(ts), text, ex.getRequestHeaders().getFirst(Signing.SIGNATURE_HEADER));
            ex.sendResponseHeaders(200, -1);
            ex.close();
            if (!arrivals.offer(new Arrival(json.readTree(body).path("event").asText("post"), at, signed, text))) {
                System.err.println("receiver queue full; an arrival was dropped");
            }
        });
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try {
            DbConfig db = a.database(dir.resolve("db"));
            System.out.printf(Locale.ROOT, "servmon alert delivery benchmark: db=%s triggers=%d (+%d warm-up) periods=%ss java=%s cores=%d%n",
                    db.isPostgres() ? "postgresql" : "sqlite", triggers, warmup, periods, Runtime.version().feature(),
                    Runtime.getRuntime().availableProcessors());
            String sampleBody = null;
            for (String p : periods.split(",")) {
                Duration period = Duration.ofSeconds(Long.parseLong(p.strip()));
                Path hubDir = dir.resolve("hub-" + period.toSeconds());
                Files.createDirectories(hubDir);
                Run run = alerts(hubDir, db, period, url, arrivals, triggers, warmup);
                System.out.printf(Locale.ROOT, "alerts    --alert-interval %3ds  ingest 200 -> firing webhook:   %s%n", period.toSeconds(), run.firing.text());
                System.out.printf(Locale.ROOT, "          %s  report sent -> firing webhook:  %s%n", " ".repeat(20), run.fromSend.text());
                System.out.printf(Locale.ROOT, "          %s  ingest 200 -> resolved webhook: %s%n", " ".repeat(20), run.resolved.text());
                sampleBody = run.firingBody;
                Latencies base = baseline(url, sampleBody, arrivals, triggers, warmup);
                System.out.printf(Locale.ROOT, "baseline  plain HTTP POST of that webhook body -> arrival:   %s%n", base.text());
                System.out.printf(Locale.ROOT, "ratio     firing p50 / baseline p50 (period %ds): %.1f%n", period.toSeconds(), run.firing.ms(0.5) / base.ms(0.5));
            }
        } finally {
            receiver.stop(0);
            BenchArgs.deleteTree(dir);
        }
        System.exit(0);
    }

    record Run(Latencies firing, Latencies fromSend, Latencies resolved, String firingBody) {}

    static Run alerts(Path dir, DbConfig db, Duration period, String url, BlockingQueue<Arrival> arrivals, int triggers, int warmup)
            throws Exception {
        String password = Passwords.generate();
        try (Hub hub = Hub.start(HubConfig.defaults(dir).withPorts("127.0.0.1", 0, "127.0.0.1", 0)
                .withDatabase(db.isPostgres() ? db : DbConfig.sqlite(dir))
                .withInitialAdminPassword(password)
                .withAlerts(new AlertSettings(period, null)))) {
            Api api = Api.signIn("http://127.0.0.1:" + hub.port(), password);
            String name = "bench-" + Long.toString(System.nanoTime(), 36);
            long notifier = api.create("/api/v1/notifiers", "{\"name\":\"" + name + "\",\"type\":\"webhook\",\"config\":{\"urls\":[\"" + url
                    + "\"],\"secret\":\"" + SECRET + "\"}}");
            long rule = api.create("/api/v1/alert-rules", "{\"name\":\"" + name + "\",\"condition\":\"cpuPercent > 50\",\"forSeconds\":0,\"notifierIds\":["
                    + notifier + "]}");
            String key = hub.hosts().register(name).key();
            URI ingest = URI.create("http://127.0.0.1:" + hub.ingestPort() + "/api/v1/ingest");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<Long> firing = new ArrayList<>();
            List<Long> fromSend = new ArrayList<>();
            List<Long> resolved = new ArrayList<>();
            String firingBody = null;
            long seq = 0;
            arrivals.clear();
            for (int i = 0; i < warmup + triggers; i++) {
                long sent = System.nanoTime();
                long acked = report(http, ingest, key, ++seq, 90);
                Arrival fired = await(arrivals, "firing");
                firingBody = fired.body();
                long ackedBack = report(http, ingest, key, ++seq, 10);
                Arrival back = await(arrivals, "resolved");
                if (i >= warmup) {
                    firing.add(fired.atNanos() - acked);
                    fromSend.add(fired.atNanos() - sent);
                    resolved.add(back.atNanos() - ackedBack);
                }
            }
            // On a shared PostgreSQL database the next run's hub must not see this rule.
            api.delete("/api/v1/alert-rules/" + rule);
            api.delete("/api/v1/notifiers/" + notifier);
            return new Run(Latencies.of(firing), Latencies.of(fromSend), Latencies.of(resolved), firingBody);
        }
    }

    /** Sends one report with this CPU share; returns when its 200 arrived (nanoTime). */
    static long report(HttpClient http, URI ingest, String key, long seq, double cpuPercent) throws Exception {
        String body = Json.mapper().writeValueAsString(new IngestBatch(ProtocolVersion.CURRENT, "bench", 10,
                List.of(IngestBench.sample(seq, System.currentTimeMillis(), cpuPercent))));
        var r = http.send(HttpRequest.newBuilder(ingest).header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        long at = System.nanoTime();
        if (r.statusCode() != 200) {
            throw new IllegalStateException("ingest answered " + r.statusCode());
        }
        return at;
    }

    static Arrival await(BlockingQueue<Arrival> arrivals, String event) throws InterruptedException {
        Arrival x = arrivals.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (x == null || !x.event().equals(event) || !x.signed()) {
            throw new IllegalStateException("expected a signed '" + event + "' webhook within " + WAIT + ", got " + x);
        }
        return x;
    }

    /** The same receiver's arrival time for a plain POST of {@code body}: what any delivery costs at least. */
    static Latencies baseline(String url, String body, BlockingQueue<Arrival> arrivals, int n, int warmup) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        List<Long> nanos = new ArrayList<>();
        String plain = body.replace("\"event\":\"firing\"", "\"event\":\"post\"");
        for (int i = 0; i < warmup + n; i++) {
            long sent = System.nanoTime();
            // One client for all, keeping its connection, as the dispatcher's does.
            http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(plain)).build(), HttpResponse.BodyHandlers.discarding());
            Arrival x = arrivals.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (x == null || !x.event().equals("post")) {
                throw new IllegalStateException("the plain POST did not arrive: " + x);
            }
            if (i >= warmup) {
                nanos.add(x.atNanos() - sent);
            }
        }
        return Latencies.of(nanos);
    }

    /** The hub's API as the admin: cookies and the CSRF token. */
    record Api(HttpClient http, String base, String csrf) {
        static Api signIn(String base, String password) throws Exception {
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            var r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/session")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode session = Json.mapper().readTree(r.body());
            return new Api(http, base, session.path("csrfToken").asText());
        }

        long create(String path, String body) throws IOException, InterruptedException {
            var r = send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)), 201);
            return Json.mapper().readTree(r.body()).get("id").asLong();
        }

        void delete(String path) throws IOException, InterruptedException {
            send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), 204);
        }

        private HttpResponse<String> send(HttpRequest.Builder b, int expected) throws IOException, InterruptedException {
            HttpRequest req = b.header("X-CSRF-Token", csrf).build();
            var r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new IllegalStateException(req.method() + " " + req.uri().getPath() + " answered " + r.statusCode() + ": " + r.body());
            }
            return r;
        }
    }
}
