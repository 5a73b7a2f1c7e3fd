package dev.servmon.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servmon.hub.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * An agent's side of the command channel over the hub's long-poll protocol
 * ({@code /api/v1/agent/poll} and {@code /results}) on the ingest port, answering every command
 * with what {@link #answer} says, so the hub's real channel, command store and live stream carry
 * the answers to the dashboard. Runs on its own daemon thread until closed.
 */
final class PollingAgent implements AutoCloseable {
    /** What the agent answers to one command: ok, a message, and {@code data} (may be null). */
    record Answer(boolean ok, String message, Object data) {}

    private final String ingestUrl;
    private final String key;
    private final Function<JsonNode, Answer> answer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread thread;
    private volatile boolean running = true;

    PollingAgent(String ingestUrl, String key, Function<JsonNode, Answer> answer) {
        this.ingestUrl = ingestUrl;
        this.key = key;
        this.answer = answer;
        this.thread = new Thread(this::loop, "polling-agent");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                JsonNode commands = Json.mapper().readTree(post("/api/v1/agent/poll?waitSeconds=2", "{}").body()).path("commands");
                for (JsonNode c : commands) {
                    Answer a = answer.apply(c);
                    ObjectNode event = Json.mapper().createObjectNode().put("id", c.get("id").asText()).put("event", "result")
                            .put("ok", a.ok()).put("message", a.message());
                    event.set("data", Json.mapper().valueToTree(a.data()));
                    var body = Json.mapper().createObjectNode();
                    body.putArray("events").add(Json.mapper().createObjectNode().put("id", c.get("id").asText()).put("event", "ack")).add(event);
                    var r = post("/api/v1/agent/results", body.toString());
                    if (r.statusCode() != 204) {
                        throw new IllegalStateException("results for " + c + " refused: " + r.statusCode() + " " + r.body());
                    }
                }
            } catch (IOException e) {
                if (running) {
                    throw new IllegalStateException("polling agent lost the hub at " + ingestUrl, e);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(ingestUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Lines as a {@code program.tail} answer's data. */
    static Object lines(List<String> lines) {
        return java.util.Map.of("lines", lines);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
