package dev.servmon.hub.control;

import static dev.servmon.hub.control.TestAgents.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.servmon.agent.control.AgentChannel;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.control.CommandSender.WhenOffline;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command channel end to end: the real hub and the agent's real channel (WebSocket and
 * polling) on loopback; the hub's end also with a plain WebSocket client where the test needs
 * to see close codes.
 */
class CommandChannelTest {
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static CommandChannel channel() {
        return hub.hub().commands();
    }

    private static JsonNode command(String id) {
        var admin = hub.admin();
        var r = admin.get("/api/v1/commands/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return admin.json(r);
    }

    private static JsonNode awaitState(String id, String state) throws InterruptedException {
        return hub.awaitCommand(id, state, Duration.ofSeconds(10));
    }

    private static CommandSender.SubmittedCommand echo(long hostId, String text, WhenOffline when, Duration expiry) {
        return channel().submit(hostId, "test.echo", Map.of("text", text), when, expiry, null);
    }

    @Test
    void over_the_websocket_a_command_is_acknowledged_run_and_its_result_kept_in_the_history() throws Exception {
        var host = hub.registerHost("ws-agent");
        long id = host.get("id").asLong();
        try (var agent = TestAgents.start(hub, host.get("key").asText(), AgentChannel.Transport.WEBSOCKET)) {
            await(() -> channel().isConnected(id), Duration.ofSeconds(10), "agent connected");
            assertThat(agent.currentTransport()).isEqualTo("websocket");

            var sent = echo(id, "hello", WhenOffline.REFUSE, null);
            assertThat(sent.state()).isIn("SENT", "ACKED", "SUCCEEDED");
            JsonNode done = awaitState(sent.id(), "SUCCEEDED");
            assertThat(done.get("message").asText()).isEqualTo("echo hello");
            assertThat(done.get("data").get("length").asInt()).isEqualTo(5);
            assertThat(done.get("requestedBy").asText()).isEqualTo("hub");
            assertThat(done.get("args").get("text").asText()).isEqualTo("hello");
            long created = done.get("createdAtMs").asLong();
            assertThat(done.get("sentAtMs").asLong()).isGreaterThanOrEqualTo(created);
            assertThat(done.get("ackedAtMs").asLong()).isGreaterThanOrEqualTo(done.get("sentAtMs").asLong());
            assertThat(done.get("finishedAtMs").asLong()).isGreaterThanOrEqualTo(done.get("ackedAtMs").asLong());

            var failed = awaitState(channel().submit(id, "test.fail", Map.of(), WhenOffline.REFUSE, null, null).id(), "FAILED");
            assertThat(failed.get("message").asText()).isEqualTo("the disk is on fire");
            var unknown = awaitState(channel().submit(id, "program.start", Map.of("name", "x"), WhenOffline.REFUSE, null, null).id(), "FAILED");
            assertThat(unknown.get("message").asText()).isEqualTo("this agent does not support program.start (agent version 9.9.9-test)");

            var admin = hub.admin();
            JsonNode history = admin.json(admin.get("/api/v1/hosts/" + id + "/commands"));
            assertThat(history).hasSize(3);
            assertThat(history.get(0).get("type").asText()).as("newest first").isEqualTo("program.start");
            assertThat(admin.json(admin.get("/api/v1/hosts/" + id + "/commands?limit=1"))).hasSize(1);
            assertThat(admin.get("/api/v1/hosts/" + id + "/commands?limit=0").statusCode()).isEqualTo(400);
            assertThat(admin.get("/api/v1/hosts/999999/commands").statusCode()).isEqualTo(404);
            assertThat(admin.get("/api/v1/commands/nope").statusCode()).isEqualTo(404);
            assertThat(hub.anonymous().get("/api/v1/hosts/" + id + "/commands").statusCode()).isEqualTo(401);
        }
        await(() -> !channel().isConnected(id), Duration.ofSeconds(10), "agent gone after close");
    }

    @Test
    void many_commands_arrive_in_order_and_all_finish() throws Exception {
        var host = hub.registerHost("busy-agent");
        long id = host.get("id").asLong();
        try (var agent = TestAgents.start(hub, host.get("key").asText(), AgentChannel.Transport.WEBSOCKET)) {
            await(() -> channel().isConnected(id), Duration.ofSeconds(10), "agent connected");
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ids.add(echo(id, "n" + i, WhenOffline.REFUSE, null).id());
            }
            for (int i = 0; i < ids.size(); i++) {
                assertThat(awaitState(ids.get(i), "SUCCEEDED").get("message").asText()).isEqualTo("echo n" + i);
            }
        }
    }

    @Test
    void slow_routine_commands_do_not_hold_up_a_command_someone_asked_for() throws Exception {
        var host = hub.registerHost("slow-checks");
        long id = host.get("id").asLong();
        var release = new java.util.concurrent.CountDownLatch(1);
        var handlers = TestAgents.echo();
        handlers.register(new dev.servmon.agent.control.CommandHandler() {
            @Override
            public String type() {
                return "test.slowcheck";
            }

            @Override
            public dev.servmon.agent.control.CommandResult handle(Map<String, Object> args) throws Exception {
                release.await(30, TimeUnit.SECONDS);
                return new dev.servmon.agent.control.CommandResult(true, "checked", Map.of());
            }

            @Override
            public boolean routine() {
                return true;
            }
        });
        try (var agent = TestAgents.start(hub.ingestUrl(), host.get("key").asText(), handlers, AgentChannel.Transport.WEBSOCKET, 5)) {
            await(() -> channel().isConnected(id), Duration.ofSeconds(10), "agent connected");
            List<String> checks = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                checks.add(channel().submit(id, "test.slowcheck", Map.of(), WhenOffline.REFUSE, null, null).id());
            }
            for (String c : checks) {
                awaitState(c, "ACKED");
            }
            // Three checks hang (more than the routine pool's two threads); a person's command runs anyway.
            assertThat(awaitState(echo(id, "reboot", WhenOffline.REFUSE, null).id(), "SUCCEEDED").get("message").asText())
                    .isEqualTo("echo reboot");
            assertThat(channel().get(checks.get(0)).state()).isEqualTo(CommandState.ACKED);
            release.countDown();
            for (String c : checks) {
                awaitState(c, "SUCCEEDED");
            }
        }
    }

    @Test
    void a_command_for_an_offline_host_is_refused_with_409_or_queued_until_the_agent_connects() throws Exception {
        var host = hub.registerHost("offline-agent");
        long id = host.get("id").asLong();

        assertThatThrownBy(() -> echo(id, "x", WhenOffline.REFUSE, null))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("the agent of host offline-agent is not connected")
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(409));
        var admin = hub.admin();
        var refused = admin.post("/api/v1/hosts/" + id + "/power", "{\"action\":\"reboot\"}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("is not connected");
        JsonNode history = admin.json(admin.get("/api/v1/hosts/" + id + "/commands"));
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("state").asText()).isEqualTo("REFUSED");
        assertThat(history.get(0).get("requestedBy").asText()).as("who asked").isEqualTo("admin");
        assertThat(history.get(0).get("message").asText()).contains("not connected");

        var queued = echo(id, "later", WhenOffline.QUEUE, Duration.ofMinutes(5));
        assertThat(queued.state()).isEqualTo("QUEUED");
        Thread.sleep(300);
        assertThat(command(queued.id()).get("state").asText()).isEqualTo("QUEUED");
        try (var agent = TestAgents.start(hub, host.get("key").asText(), AgentChannel.Transport.WEBSOCKET)) {
            assertThat(awaitState(queued.id(), "SUCCEEDED").get("message").asText()).isEqualTo("echo later");
        }
    }

    @Test
    void a_queued_command_whose_expiry_passes_is_marked_expired_and_never_delivered() throws Exception {
        var host = hub.registerHost("never-back");
        long id = host.get("id").asLong();
        var queued = echo(id, "too late", WhenOffline.QUEUE, Duration.ofSeconds(1));
        JsonNode expired = awaitState(queued.id(), "EXPIRED");
        assertThat(expired.get("message").asText()).contains("did not connect before the command's expiry");
        assertThat(expired.get("finishedAtMs").asLong()).isGreaterThanOrEqualTo(expired.get("expiresAtMs").asLong());

        try (var agent = TestAgents.start(hub, host.get("key").asText(), AgentChannel.Transport.WEBSOCKET)) {
            await(() -> channel().isConnected(id), Duration.ofSeconds(10), "agent connected");
            Thread.sleep(300);
            assertThat(command(queued.id()).get("state").asText()).isEqualTo("EXPIRED");
        }
    }

    @Test
    void with_websockets_blocked_by_a_proxy_the_agent_polls_and_commands_still_arrive() throws Exception {
        var host = hub.registerHost("behind-proxy");
        long id = host.get("id").asLong();
        HttpServer proxy = blockingProxy(hub.ingestUrl());
        try (var agent = TestAgents.start("http://127.0.0.1:" + proxy.getAddress().getPort(), host.get("key").asText(),
                TestAgents.echo(), AgentChannel.Transport.AUTO, 2)) {
            await(() -> agent.currentTransport().equals("poll") && channel().isConnected(id), Duration.ofSeconds(10), "polling");
            var sent = echo(id, "polled", WhenOffline.REFUSE, null);
            JsonNode done = awaitState(sent.id(), "SUCCEEDED");
            assertThat(done.get("message").asText()).isEqualTo("echo polled");
            // Between polls the agent still counts as connected, and a command waits for the next poll.
            Thread.sleep(2_500);
            assertThat(awaitState(echo(id, "again", WhenOffline.REFUSE, null).id(), "SUCCEEDED").get("message").asText()).isEqualTo("echo again");
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void a_polling_agent_with_poll_transport_gets_commands_without_trying_websockets() throws Exception {
        var host = hub.registerHost("poll-only");
        long id = host.get("id").asLong();
        try (var agent = TestAgents.start(hub, host.get("key").asText(), AgentChannel.Transport.POLL)) {
            await(() -> channel().isConnected(id), Duration.ofSeconds(10), "polling");
            assertThat(agent.currentTransport()).isEqualTo("poll");
            assertThat(awaitState(echo(id, "p", WhenOffline.REFUSE, null).id(), "SUCCEEDED").get("message").asText()).isEqualTo("echo p");
        }
    }

    @Test
    void the_socket_needs_a_valid_host_key_and_closes_at_once_when_the_key_is_revoked() throws Exception {
        var host = hub.registerHost("revoked-agent");
        long id = host.get("id").asLong();
        HttpClient http = HttpClient.newHttpClient();
        URI ws = URI.create("ws://127.0.0.1:" + hub.hub().ingestPort() + "/api/v1/agent");

        assertThatThrownBy(() -> http.newWebSocketBuilder().header("Authorization", "Bearer smk_not-a-key")
                .buildAsync(ws, new Recorder()).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
        assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(ws, new Recorder()).join())
                .cause().isInstanceOf(WebSocketHandshakeException.class);

        var first = new Recorder();
        http.newWebSocketBuilder().header("Authorization", "Bearer " + host.get("key").asText()).buildAsync(ws, first).join();
        await(() -> channel().isConnected(id), Duration.ofSeconds(5), "socket registered");
        var second = new Recorder();
        http.newWebSocketBuilder().header("Authorization", "Bearer " + host.get("key").asText()).buildAsync(ws, second).join();
        assertThat(first.closed.get(5, TimeUnit.SECONDS)).as("the newer socket replaces the older").isEqualTo(4000);

        // A command over the raw socket: the wire format of docs/control.md.
        var sent = echo(id, "raw", WhenOffline.REFUSE, null);
        JsonNode wire = dev.servmon.hub.api.Json.mapper().readTree(second.messages.poll(5, TimeUnit.SECONDS));
        assertThat(wire.get("id").asText()).isEqualTo(sent.id());
        assertThat(wire.get("type").asText()).isEqualTo("test.echo");
        assertThat(wire.get("args").get("text").asText()).isEqualTo("raw");
        assertThat(wire.get("expiresAtMs").asLong()).isPositive();
        second.socket.sendText("{\"id\":\"" + sent.id() + "\",\"event\":\"ack\"}", true).join();
        awaitState(sent.id(), "ACKED");
        second.socket.sendText("{\"id\":\"" + sent.id() + "\",\"event\":\"result\",\"ok\":false,\"message\":\"nope\"}", true).join();
        assertThat(awaitState(sent.id(), "FAILED").get("message").asText()).isEqualTo("nope");

        var admin = hub.admin();
        long t0 = System.nanoTime();
        assertThat(admin.delete("/api/v1/hosts/" + id).statusCode()).isEqualTo(204);
        assertThat(second.closed.get(5, TimeUnit.SECONDS)).as("revoked key").isEqualTo(4001);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
    }

    /** The test's raw WebSocket client keeps what it hears. */
    static final class Recorder implements WebSocket.Listener {
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final java.util.concurrent.BlockingQueue<String> messages = new java.util.concurrent.LinkedBlockingQueue<>();
        volatile WebSocket socket;
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    /**
     * A reverse proxy in front of the ingest port that refuses WebSocket upgrades with 403, as
     * some corporate proxies do, and passes plain POSTs through.
     */
    static HttpServer blockingProxy(String target) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpClient upstream = HttpClient.newHttpClient();
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", ex -> {
            try (ex) {
                if (ex.getRequestHeaders().getFirst("Upgrade") != null) {
                    byte[] body = "WebSockets are not allowed here".getBytes();
                    ex.sendResponseHeaders(403, body.length);
                    ex.getResponseBody().write(body);
                    return;
                }
                var req = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
                        .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(ex.getRequestBody().readAllBytes()))
                        .header("Content-Type", "application/json");
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth != null) {
                    req.header("Authorization", auth);
                }
                HttpResponse<byte[]> r = upstream.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                ex.getResponseBody().write(r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return server;
    }
}
