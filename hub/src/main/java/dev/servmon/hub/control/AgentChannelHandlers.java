package dev.servmon.hub.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.ingest.IngestHandler;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' end of the command channel, on the ingest port, authenticated by host key:
 * the WebSocket {@value #WS_PATH}, and for agents behind proxies that block WebSockets the
 * long poll {@value #POLL_PATH} with {@value #RESULTS_PATH} for acks and results.
 */
public final class AgentChannelHandlers {
    private static final Logger log = LoggerFactory.getLogger(AgentChannelHandlers.class);
    public static final String WS_PATH = "/api/v1/agent";
    public static final String POLL_PATH = "/api/v1/agent/poll";
    public static final String RESULTS_PATH = "/api/v1/agent/results";
    /** Longest a poll waits for a command; proxies commonly cut idle requests at 30 s or later. */
    public static final int MAX_POLL_SECONDS = 25;
    /** Pings keep NAT and proxies from dropping an idle socket, and show the hub the agent is there. */
    public static final int PING_SECONDS = 25;
    private static final int MAX_EVENTS = 100;
    private static final String HOST_ATTRIBUTE = "servmon.agent.host";
    private static final String KEY_ATTRIBUTE = "servmon.agent.key";
    private static final String LINK_ATTRIBUTE = "servmon.agent.link";
    private static final String SINCE_ATTRIBUTE = "servmon.agent.since";

    private final Hosts hosts;
    private final CommandChannel channel;
    private final ObjectMapper json;

    public AgentChannelHandlers(Hosts hosts, CommandChannel channel, ObjectMapper json) {
        this.hosts = hosts;
        this.channel = channel;
        this.json = json;
    }

    /** Before the WebSocket upgrade: a missing, unknown or revoked key gets 401 and no socket. */
    public void beforeUpgrade(Context ctx) {
        String key = IngestHandler.hostKey(ctx);
        long hostId = IngestHandler.authenticate(hosts, key);
        ctx.attribute(HOST_ATTRIBUTE, hostId);
        ctx.attribute(KEY_ATTRIBUTE, key);
    }

    /** The WebSocket's handlers. */
    public void socket(WsConfig ws) {
        ws.onConnect(ctx -> {
            long hostId = ctx.attribute(HOST_ATTRIBUTE);
            var link = new SocketLink(ctx, ctx.attribute(KEY_ATTRIBUTE));
            ctx.attribute(LINK_ATTRIBUTE, link);
            ctx.enableAutomaticPings(PING_SECONDS, TimeUnit.SECONDS);
            log.info("agent command channel open host={} transport=websocket", hostId);
            ctx.attribute(SINCE_ATTRIBUTE, channel.connected(hostId, link));
        });
        ws.onMessage(ctx -> {
            long hostId = ctx.attribute(HOST_ATTRIBUTE);
            try {
                JsonNode event = json.readTree(ctx.message());
                if (event.path("event").asText("").equals("hello")) {
                    log.info("agent command channel ready host={} agentVersion={} handlers={} revisions={}", hostId,
                            event.path("agentVersion").asText("?"), event.path("types"), event.path("revisions"));
                    hello(hostId, event, ctx.attribute(SINCE_ATTRIBUTE));
                    return;
                }
                channel.onEvent(hostId, event);
            } catch (IOException | IllegalArgumentException e) {
                log.warn("agent message ignored host={}: {}", hostId, e.getMessage());
            }
        });
        ws.onClose(ctx -> {
            Long hostId = ctx.attribute(HOST_ATTRIBUTE);
            SocketLink link = ctx.attribute(LINK_ATTRIBUTE);
            if (hostId != null && link != null) {
                log.info("agent command channel closed host={} status={} reason={}", hostId, ctx.status(), ctx.reason());
                channel.disconnected(hostId, link, false);
            }
        });
        ws.onError(ctx -> log.debug("agent command channel error host={}", (Object) ctx.attribute(HOST_ATTRIBUTE), ctx.error()));
    }

    /**
     * {@code POST /api/v1/agent/poll?waitSeconds=N}: the host's queued commands, at once when
     * there are any, else as soon as one comes or after N (at most {@value #MAX_POLL_SECONDS})
     * seconds with none: {@code {"commands":[…]}}. The body is {@code {}}, or on the agent's first
     * poll after (re)connecting {@code {"revisions":{…}}} as in the WebSocket's hello.
     */
    public void poll(Context ctx) {
        String key = IngestHandler.hostKey(ctx);
        long hostId = IngestHandler.authenticate(hosts, key);
        int waitSeconds = waitSeconds(ctx.queryParam("waitSeconds"));
        JsonNode body = pollBody(ctx.bodyAsBytes());
        var waiter = new PollLink(key);
        long since = channel.connected(hostId, waiter);
        hello(hostId, body, since);
        ctx.future(() -> waiter.commands
                .completeOnTimeout(List.of(), waitSeconds, TimeUnit.SECONDS)
                .thenAccept(commands -> {
                    channel.disconnected(hostId, waiter, true);
                    List<JsonNode> wire = new ArrayList<>(commands.size());
                    commands.forEach(c -> wire.add(channel.wire(c)));
                    ctx.json(Map.of("commands", wire));
                }));
    }

    /**
     * {@code POST /api/v1/agent/results} with {@code {"events":[{"id","event":"ack"}, …]}}: acks
     * and results of a polling agent. 204.
     */
    public void results(Context ctx) {
        long hostId = IngestHandler.authenticate(hosts, IngestHandler.hostKey(ctx));
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getMessage());
        }
        JsonNode events = body == null ? null : body.get("events");
        if (events == null || !events.isArray() || events.size() > MAX_EVENTS) {
            throw ApiException.badRequest("expected {\"events\":[…]} with 1 to " + MAX_EVENTS + " acks or results");
        }
        channel.polled(hostId);
        for (JsonNode event : events) {
            try {
                channel.onEvent(hostId, event);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        ctx.status(204);
    }

    /** Passes on the revisions the agent reported, if it reported any (older agents do not). */
    private void hello(long hostId, JsonNode message, Long connectedAtMs) {
        JsonNode revisions = message == null ? null : message.get("revisions");
        if (revisions != null && revisions.isObject() && connectedAtMs != null) {
            channel.hello(new AgentHello(hostId, revisions, connectedAtMs));
        }
    }

    private JsonNode pollBody(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("a poll's body is {} or {\"revisions\":{…}}; it is not JSON: " + e.getMessage());
        }
    }

    private static int waitSeconds(String raw) {
        if (raw == null) {
            return MAX_POLL_SECONDS;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= 0 && n <= MAX_POLL_SECONDS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the 400 below says what is accepted
        }
        throw ApiException.badRequest("waitSeconds must be a whole number from 0 to " + MAX_POLL_SECONDS + ", got '" + raw + "'");
    }

    /** A WebSocket to an agent; commands go out as text frames, one each. */
    private final class SocketLink implements AgentLink {
        private final WsContext ctx;
        private final String key;

        SocketLink(WsContext ctx, String key) {
            this.ctx = ctx;
            this.key = key;
        }

        @Override
        public String transport() {
            return "websocket";
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public int deliver(List<Command> commands) {
            int sent = 0;
            for (Command c : commands) {
                if (!ctx.session.isOpen()) {
                    break;
                }
                try {
                    ctx.session.sendText(json.writeValueAsString(channel.wire(c)),
                            Callback.from(() -> { }, e -> log.info("command {} could not be written to the agent's socket: {}", c.id(), e.toString())));
                    sent++;
                } catch (IOException | RuntimeException e) {
                    log.info("command {} could not be sent to the agent: {}", c.id(), e.toString());
                    break;
                }
            }
            return sent;
        }

        @Override
        public void close(int code, String reason) {
            ctx.closeSession(code, reason);
        }
    }

    /** A poll waiting for commands: the first delivery answers it. */
    private static final class PollLink implements AgentLink {
        final CompletableFuture<List<Command>> commands = new CompletableFuture<>();
        private final String key;

        PollLink(String key) {
            this.key = key;
        }

        @Override
        public String transport() {
            return "poll";
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public int deliver(List<Command> list) {
            return commands.complete(List.copyOf(list)) ? list.size() : 0;
        }

        @Override
        public void close(int code, String reason) {
            commands.complete(List.of());
        }
    }
}
