package dev.servmon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.agent.control.AgentChannel;
import dev.servmon.agent.control.CommandHandler;
import dev.servmon.agent.control.CommandHandlers;
import dev.servmon.agent.control.CommandResult;
import dev.servmon.agent.transport.Backoff;
import dev.servmon.hub.Hub;
import dev.servmon.hub.HubConfig;
import dev.servmon.hub.api.Json;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Command round trip on loopback, as an operator sees it: the dashboard's request
 * ({@code POST /api/v1/hosts/{id}/power}) until the browser's event stream shows the agent's
 * ack, and until it shows the result; the agent is the real command channel (WebSocket or
 * polling) with a power hook that does nothing. Baseline in the same run: a plain API request
 * ({@code GET /api/v1/session}) of the same browser session.
 *
 * <pre>java -cp bench/target/servmon-bench.jar dev.servmon.bench.CommandRoundTripBench [--commands 200] [--transport websocket|poll]</pre>
 */
public final class CommandRoundTripBench {
    private static final String PASSWORD = "bench-admin-password-1";

    private CommandRoundTripBench() {}

    public static void main(String[] args) throws Exception {
        var a = new BenchArgs(args, "usage: CommandRoundTripBench [--commands N=200] [--transport websocket|poll] [--warmup N=20]");
        int n = a.integer("commands", 200);
        int warmup = a.integer("warmup", 20);
        String transport = a.string("transport", "websocket");
        Path dir = Files.createTempDirectory("servmon-cmd-bench");
        ObjectMapper json = Json.mapper();
        try (Hub hub = Hub.start(HubConfig.defaults(dir).withPorts("127.0.0.1", 0, "127.0.0.1", 0).withInitialAdminPassword(PASSWORD))) {
            var registered = hub.hosts().register("bench-host");
            long hostId = registered.host().id();
            CommandHandlers handlers = new CommandHandlers();
            handlers.register(new CommandHandler() {
                @Override
                public String type() {
                    return "power.reboot";
                }

                @Override
                public CommandResult handle(Map<String, Object> args) {
                    return CommandResult.ok("reboot started (bench: nothing done)");
                }
            });
            String ingest = "http://127.0.0.1:" + hub.ingestPort();
            String api = "http://127.0.0.1:" + hub.port();
            try (var agent = new AgentChannel(URI.create(ingest), registered.key(), "bench", handlers,
                    AgentChannel.Transport.parse(transport), new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), new Random()),
                    AgentChannel.MAX_POLL_SECONDS)) {
                agent.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!hub.commands().isConnected(hostId)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the agent's command channel did not connect");
                    }
                    Thread.sleep(10);
                }
                HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
                var login = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/session"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}"))
                        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                String csrf = json.readTree(login.body()).get("csrfToken").asText();

                // The browser's event stream: when each command was first seen acked and finished.
                Map<String, Long> ackedAt = new ConcurrentHashMap<>();
                Map<String, Long> doneAt = new ConcurrentHashMap<>();
                var stream = http.sendAsync(HttpRequest.newBuilder(URI.create(api + "/api/v1/events")).header("Accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofLines());
                Thread reader = new Thread(() -> {
                    try {
                        String event = "";
                        for (String line : (Iterable<String>) stream.join().body()::iterator) {
                            long now = System.nanoTime();
                            if (line.startsWith("event:")) {
                                event = line.substring(6).strip();
                            } else if (line.startsWith("data:") && event.equals("command")) {
                                JsonNode c = json.readTree(line.substring(5));
                                String state = c.get("state").asText();
                                if (state.equals("ACKED") || state.equals("SUCCEEDED")) {
                                    ackedAt.putIfAbsent(c.get("id").asText(), now);
                                }
                                if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                                    doneAt.putIfAbsent(c.get("id").asText(), now);
                                }
                            }
                        }
                    } catch (Exception e) {
                        // the stream ends when the hub stops
                    }
                }, "bench-events");
                reader.setDaemon(true);
                reader.start();
                Thread.sleep(300);

                HttpRequest session = HttpRequest.newBuilder(URI.create(api + "/api/v1/session")).GET().build();
                HttpRequest click = HttpRequest.newBuilder(URI.create(api + "/api/v1/hosts/" + hostId + "/power"))
                        .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"reboot\"}")).build();
                double[] baseline = new double[n];
                double[] ack = new double[n];
                double[] done = new double[n];
                for (int i = -warmup; i < n; i++) {
                    long t0 = System.nanoTime();
                    http.send(session, HttpResponse.BodyHandlers.ofString());
                    if (i >= 0) {
                        baseline[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                for (int i = -warmup; i < n; i++) {
                    long t0 = System.nanoTime();
                    var r = http.send(click, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 202) {
                        throw new IllegalStateException("the power request failed: " + r.statusCode() + " " + r.body());
                    }
                    String id = json.readTree(r.body()).get("id").asText();
                    long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!doneAt.containsKey(id)) {
                        if (System.nanoTime() > limit) {
                            throw new IllegalStateException("command " + id + " not seen finished within 10 s");
                        }
                        Thread.onSpinWait();
                    }
                    if (i >= 0) {
                        ack[i] = (ackedAt.get(id) - t0) / 1e6;
                        done[i] = (doneAt.get(id) - t0) / 1e6;
                    }
                }
                System.out.printf(Locale.ROOT, "servmon command round trip: %d commands over %s on loopback (after %d warm-up), db=sqlite, %d cores, Java %s%n",
                        n, agent.currentTransport(), warmup, Runtime.getRuntime().availableProcessors(), Runtime.version());
                report("baseline GET /api/v1/session", baseline, null);
                report("click → ack visible (SSE)", ack, baseline);
                report("click → result visible (SSE)", done, baseline);
            }
        } finally {
            BenchArgs.deleteTree(dir);
        }
        System.exit(0);
    }

    private static void report(String what, double[] ms, double[] baseline) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double p50 = s[s.length / 2];
        double p99 = s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)];
        String ratio = "";
        if (baseline != null) {
            double[] b = baseline.clone();
            Arrays.sort(b);
            ratio = String.format(Locale.ROOT, "  ratio p50 %.1f×, p99 %.1f×", p50 / b[b.length / 2],
                    p99 / b[Math.min(b.length - 1, (int) Math.ceil(b.length * 0.99) - 1)]);
        }
        System.out.printf(Locale.ROOT, "%-32s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms%s%n", what, p50, p99, s[s.length - 1], ratio);
    }
}
