package dev.servmon.agent.control;

import dev.servmon.agent.Log;
import dev.servmon.agent.transport.Backoff;
import dev.servmon.agent.transport.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's end of the command channel: one outbound connection to the hub's ingest port,
 * over which the hub sends commands and the agent answers each with an ack at once and a
 * result when its {@link CommandHandler} is done (wire format: {@link CommandHandler}).
 *
 * <p>It keeps a WebSocket ({@code /api/v1/agent}) open, reconnecting with backoff and jitter.
 * When the upgrade is answered with anything but 101 or 401 — a proxy that does not pass
 * WebSockets — or with {@link Transport#POLL}, it long-polls instead
 * ({@code POST /api/v1/agent/poll}, acks and results by {@code POST /api/v1/agent/results});
 * in {@link Transport#AUTO} it tries the WebSocket again every {@link #WEBSOCKET_RETRY}.
 *
 * <p>Each time it connects it reports the {@linkplain CommandHandlers#revisions() revisions} of
 * the state the hub sent (in the WebSocket's {@code hello}, or the body of the first poll), so
 * the hub sends again what this agent lacks or holds in another version.
 *
 * <p>Threads: one reader thread; handlers run on two small executors, each created at its first
 * command, whose two threads end after a minute idle: one for the commands people ask for, one
 * for {@linkplain CommandHandler#routine() routine} ones (checks), so that two slow checks never
 * hold up a reboot or a program restart. Results that cannot be sent (the
 * connection dropped) are kept, at most {@value #MAX_UNSENT}, and sent after reconnecting.
 */
public final class AgentChannel implements AutoCloseable {
    private static final Log log = Log.get(AgentChannel.class);
    public static final String WS_PATH = "/api/v1/agent";
    public static final String POLL_PATH = "/api/v1/agent/poll";
    public static final String RESULTS_PATH = "/api/v1/agent/results";
    /** The hub pings every 25 s; this much silence means the connection is dead. */
    static final int READ_TIMEOUT_MS = 70_000;
    static final int CONNECT_TIMEOUT_MS = 5_000;
    static final Duration WEBSOCKET_RETRY = Duration.ofMinutes(30);
    static final int MAX_UNSENT = 64;
    /** Longest a poll may wait at the hub (the hub's own limit). */
    public static final int MAX_POLL_SECONDS = 25;
    private static final int QUEUE = 16;
    private static final int RECENT_IDS = 64;
    private static final byte[] EMPTY_POLL = "{}".getBytes(StandardCharsets.UTF_8);

    /** How the channel reaches the hub. */
    public enum Transport {
        /** WebSocket; long polls when the WebSocket upgrade is refused. */
        AUTO,
        /** WebSocket only. */
        WEBSOCKET,
        /** Long polls only (for proxies known to block WebSockets). */
        POLL;

        /** {@code auto}, {@code websocket} or {@code poll}; null for anything else. */
        public static Transport parse(String s) {
            return switch (s == null ? "" : s.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> AUTO;
                case "websocket", "ws" -> WEBSOCKET;
                case "poll" -> POLL;
                default -> null;
            };
        }
    }

    /**
     * The command channel's settings, from the command line.
     *
     * @param enabled false with {@code --no-commands}: read-only monitoring, no channel at all
     * @param transport {@code --command-transport}
     * @param powerHook {@code --power-hook}, or null for the operating system's commands
     */
    public record Options(boolean enabled, Transport transport, java.nio.file.Path powerHook) {
        public static final Options DEFAULTS = new Options(true, Transport.AUTO, null);
    }

    private final URI hubUrl;
    private final String authorization;
    private final String userAgent;
    private final String agentVersion;
    private final CommandHandlers handlers;
    private final Transport transport;
    private final Backoff backoff;
    private final int pollWaitSeconds;
    private final Thread reader;
    private final List<Map<String, Object>> unsent = new ArrayList<>();
    private final String[] recent = new String[RECENT_IDS];
    private int recentAt;
    private volatile boolean closed;
    private volatile WebSocket socket;
    private volatile HttpURLConnection polling;
    private volatile boolean polls;
    private volatile boolean connected;
    /** Runs the commands people asked for (programs, power, wake); created at the first one. */
    private ThreadPoolExecutor executor;
    /** Runs the routine commands (checks on a schedule), apart: slow checks never delay a reboot. */
    private ThreadPoolExecutor routineExecutor;

    /**
     * @param hubUrl the hub's ingest base URL, as for reports
     * @param key the host key
     * @param agentVersion sent with the hello and named when a command type is unknown
     * @param handlers the commands this agent runs
     * @param backoff the waits between reconnects
     * @param pollWaitSeconds how long the hub may hold a poll open (1..25; 25 normally)
     */
    public AgentChannel(URI hubUrl, String key, String agentVersion, CommandHandlers handlers, Transport transport, Backoff backoff,
                        int pollWaitSeconds) {
        this.hubUrl = hubUrl;
        this.authorization = "Bearer " + key;
        this.userAgent = "servmon-agent/" + agentVersion;
        this.agentVersion = agentVersion;
        this.handlers = handlers;
        this.transport = transport;
        this.backoff = backoff;
        this.pollWaitSeconds = pollWaitSeconds;
        this.polls = transport == Transport.POLL;
        this.reader = new Thread(this::loop, "servmon-agent-commands");
        this.reader.setDaemon(true);
    }

    /** Starts the reader thread. */
    public void start() {
        reader.start();
    }

    /** True while a WebSocket is open or the last poll got through. */
    public boolean connected() {
        return connected;
    }

    /** {@code websocket} or {@code poll}: what the channel uses now. */
    public String currentTransport() {
        return polls ? "poll" : "websocket";
    }

    private void loop() {
        int failures = 0;
        long websocketAgainAt = 0;
        while (!closed) {
            try {
                if (polls && transport == Transport.AUTO && System.nanoTime() - websocketAgainAt > 0) {
                    polls = false;
                }
                if (polls) {
                    pollOnce();
                } else {
                    runSocket();
                }
                failures = 0;
            } catch (WebSocket.UpgradeRefused e) {
                connected = false;
                if (e.status != 401 && transport == Transport.AUTO) {
                    log.warn("servmon agent: {}; a proxy may block WebSockets, so commands come by polling the hub (retrying the "
                            + "WebSocket in {} min)", e.getMessage(), WEBSOCKET_RETRY.toMinutes());
                    polls = true;
                    websocketAgainAt = System.nanoTime() + WEBSOCKET_RETRY.toNanos();
                    continue;
                }
                failures = pause(++failures, e);
            } catch (IOException | RuntimeException e) {
                connected = false;
                if (!closed) {
                    failures = pause(++failures, e);
                }
            }
        }
        connected = false;
    }

    private int pause(int failures, Exception e) {
        Duration wait = backoff.delay(failures);
        if (failures == 1 || failures % 10 == 0) {
            String tls = e instanceof IOException io ? dev.servmon.agent.transport.HubTrust.explain(io, hubUrl.getHost()) : null;
            log.warn("servmon agent: the command channel to {} failed ({}); retrying in {} ms (failure {} in a row)", hubUrl,
                    tls != null ? tls : e.getMessage() == null ? e.toString() : e.getMessage(), wait.toMillis(), failures);
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException ie) {
            closed = true;
        }
        return failures;
    }

    /** One WebSocket session, until it ends. */
    private void runSocket() throws IOException {
        WebSocket ws = WebSocket.connect(endpoint(WS_PATH), authorization, userAgent, CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
        socket = ws;
        try {
            if (closed) {
                return;
            }
            connected = true;
            log.info("servmon agent: command channel open (WebSocket to {})", hubUrl);
            Map<String, Object> hello = new LinkedHashMap<>();
            hello.put("event", "hello");
            hello.put("agentVersion", agentVersion);
            hello.put("types", new ArrayList<>(handlers.types()));
            hello.put("revisions", handlers.revisions());
            ws.send(text(hello));
            flushUnsent();
            String message;
            while ((message = ws.receive()) != null) {
                dispatch(message);
            }
            log.info("servmon agent: the hub closed the command channel; reconnecting");
        } finally {
            connected = false;
            socket = null;
            ws.close();
        }
    }

    /** One long poll: waits for commands, then acks them and starts them. */
    private void pollOnce() throws IOException {
        flushUnsent();
        // The first poll after (re)connecting says what the agent holds, as the WebSocket's hello does.
        byte[] held = connected ? EMPTY_POLL : Json.write(Map.of("revisions", handlers.revisions()));
        HttpURLConnection c = request(POLL_PATH + "?waitSeconds=" + pollWaitSeconds, held, (pollWaitSeconds + 15) * 1000);
        try {
            int status = c.getResponseCode();
            byte[] body = read(c, status);
            if (status == 401) {
                throw new WebSocket.UpgradeRefused(401, new String(body, StandardCharsets.UTF_8));
            }
            if (status != 200) {
                throw new IOException("the hub answered the poll with HTTP " + status);
            }
            if (!connected) {
                log.info("servmon agent: command channel open (polling {})", hubUrl);
            }
            connected = true;
            Object commands = Json.member(Json.parse(body), "commands");
            if (commands instanceof List<?> list) {
                for (Object command : list) {
                    dispatch(command);
                }
            }
        } finally {
            polling = null;
        }
    }

    private void dispatch(String message) {
        try {
            dispatch(Json.parse(message));
        } catch (IOException e) {
            log.warn("servmon agent: a command from the hub is not JSON ({}); ignored", e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private void dispatch(Object command) {
        if (!(Json.member(command, "id") instanceof String id) || !(Json.member(command, "type") instanceof String type)) {
            log.warn("servmon agent: a command from the hub without id or type ignored");
            return;
        }
        if (seen(id)) {
            return;
        }
        Object rawArgs = Json.member(command, "args");
        Map<String, Object> args = rawArgs instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        send(event(id, "ack"));
        var handler = handlers.find(type);
        if (handler.isPresent() && handler.get().routine()) {
            log.debug("servmon agent: command {} ({}) received", type, id);
        } else {
            log.info("servmon agent: command {} ({}) received", type, id);
        }
        if (handler.isEmpty()) {
            send(result(id, CommandResult.failed("this agent does not support " + type + " (agent version " + agentVersion + ")")));
            return;
        }
        try {
            executor(handler.get().routine()).execute(() -> send(result(id, run(handler.get(), type, args))));
        } catch (RejectedExecutionException e) {
            send(result(id, CommandResult.failed("the agent is busy: " + QUEUE + " commands are waiting; try again later")));
        }
    }

    private CommandResult run(CommandHandler handler, String type, Map<String, Object> args) {
        try {
            CommandResult r = handler.handle(args);
            return r == null ? CommandResult.failed(type + " returned no result") : r;
        } catch (Exception e) {
            log.warn("servmon agent: command {} failed: {}", type, e.toString());
            return CommandResult.failed(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private boolean seen(String id) {
        for (String r : recent) {
            if (id.equals(r)) {
                return true;
            }
        }
        recent[recentAt] = id;
        recentAt = (recentAt + 1) % RECENT_IDS;
        return false;
    }

    private synchronized ThreadPoolExecutor executor(boolean routine) {
        if (routine) {
            if (routineExecutor == null) {
                routineExecutor = pool("servmon-agent-routine");
            }
            return routineExecutor;
        }
        if (executor == null) {
            executor = pool("servmon-agent-command");
        }
        return executor;
    }

    /** Two threads that end after a minute idle, and a bounded queue. */
    private static ThreadPoolExecutor pool(String threadName) {
        var pool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static Map<String, Object> event(String id, String kind) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", id);
        e.put("event", kind);
        return e;
    }

    private static Map<String, Object> result(String id, CommandResult r) {
        Map<String, Object> e = event(id, "result");
        e.put("ok", r.ok());
        e.put("message", r.message());
        e.put("data", r.data());
        return e;
    }

    /** Sends an event now, or keeps it for after the reconnect. */
    private void send(Map<String, Object> event) {
        try {
            if (polls) {
                post(List.of(event));
            } else {
                WebSocket ws = socket;
                if (ws == null) {
                    throw new IOException("not connected");
                }
                ws.send(text(event));
            }
        } catch (IOException e) {
            keep(event, e);
        }
    }

    private void keep(Map<String, Object> event, IOException why) {
        synchronized (unsent) {
            if (unsent.size() >= MAX_UNSENT) {
                unsent.remove(0);
            }
            unsent.add(event);
        }
        log.info("servmon agent: could not report {} of command {} ({}); sending it after reconnecting", event.get("event"), event.get("id"),
                why.getMessage());
    }

    private void flushUnsent() {
        List<Map<String, Object>> pending;
        synchronized (unsent) {
            if (unsent.isEmpty()) {
                return;
            }
            pending = new ArrayList<>(unsent);
            unsent.clear();
        }
        pending.forEach(this::send);
    }

    private void post(List<Map<String, Object>> events) throws IOException {
        HttpURLConnection c = request(RESULTS_PATH, Json.write(Map.of("events", events)), 15_000);
        int status = c.getResponseCode();
        read(c, status);
        if (status != 204 && status != 200) {
            throw new IOException("the hub answered the results with HTTP " + status);
        }
    }

    private HttpURLConnection request(String path, byte[] body, int readTimeoutMs) throws IOException {
        URL url = endpoint(path).toURL();
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout(readTimeoutMs);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setRequestProperty("Authorization", authorization);
        c.setRequestProperty("Content-Type", "application/json");
        c.setRequestProperty("User-Agent", userAgent);
        if (path.startsWith(POLL_PATH)) {
            polling = c;
        }
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        return c;
    }

    private static byte[] read(HttpURLConnection c, int status) throws IOException {
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            return in.readNBytes(WebSocket.MAX_MESSAGE_BYTES);
        }
    }

    private URI endpoint(String path) {
        String base = hubUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path);
    }

    private static String text(Map<String, Object> event) {
        StringBuilder sb = new StringBuilder(128);
        Json.write(sb, event);
        return sb.toString();
    }

    /** Stops the channel: drops the connection, stops the reader and the executor. */
    @Override
    public void close() {
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.close(1001, "the agent is stopping");
            ws.close();
        }
        HttpURLConnection c = polling;
        if (c != null) {
            c.disconnect();
        }
        reader.interrupt();
        synchronized (this) {
            if (executor != null) {
                executor.shutdown();
            }
            if (routineExecutor != null) {
                routineExecutor.shutdown();
            }
        }
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
