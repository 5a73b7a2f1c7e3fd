package dev.servmon.hub.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.auth.Principal;
import dev.servmon.hub.cluster.Broadcast;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.live.LiveBus;
import dev.servmon.hub.programs.CommandResults;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's side of the command channel, and the {@link CommandSender} features use.
 *
 * <p>Every command is a row of the history first ({@link CommandStore}); delivery only moves
 * rows along. Whichever replica holds a host's agent (a WebSocket, or a waiting poll) hands it
 * the host's QUEUED commands — when the agent connects, when a command is submitted there, and
 * when another replica announces one on the {@value #CHANNEL} broadcast ({@code "deliver 42"}).
 * Acks and results may arrive at any replica; the one that stores a change publishes it to its
 * browsers and announces it ({@code "changed <ids>"}) so the others publish it too. A replica
 * that may have missed messages delivers the queues of all its agents again.
 *
 * <p>A sweeper on every replica (each row changes once, whoever gets there first) expires
 * QUEUED commands past their expiry, fails SENT ones not acknowledged within
 * {@link #ACK_TIMEOUT} and ACKED ones without a result within {@link #RESULT_TIMEOUT}, and
 * refreshes this replica's links so a replica that died stops counting as holding its agents.
 */
public final class CommandChannel implements CommandSender, CommandResults, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandChannel.class);
    /** The broadcast channel replicas route commands on. */
    public static final String CHANNEL = "servmon_commands";
    static final String DELIVER = "deliver";
    static final String CHANGED = "changed";
    /** A SENT command not acknowledged within this failed (the agent went away meanwhile). */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    /** An ACKED command without a result within this failed. */
    public static final Duration RESULT_TIMEOUT = Duration.ofMinutes(15);
    /** Expiry of a command submitted with {@link WhenOffline#REFUSE} and no expiry of its own. */
    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(5);
    /** How often {@link #await} looks at the stored command. */
    private static final long AWAIT_POLL_MS = 50;
    public static final Duration MAX_EXPIRY = Duration.ofDays(7);
    /** A link not refreshed for this long no longer counts (its replica died). */
    static final long LINK_FRESH_MS = 60_000;
    private static final long SWEEP_EVERY_MS = 1_000;
    private static final long TOUCH_EVERY_MS = 20_000;
    private static final int MAX_TYPE_CHARS = 64;
    private static final int IDS_PER_MESSAGE = 150;
    /** Commands of these types are sent on a schedule by their feature, which keeps the outcome (see {@link #routine}). */
    private final Set<String> routineTypes = ConcurrentHashMap.newKeySet();
    /** Commands of this type are run by the hub itself and watched by their feature, not timed out here. */
    private final Set<String> hubRunTypes = ConcurrentHashMap.newKeySet();

    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final CommandStore store;
    private final Hosts hosts;
    private final LiveBus live;
    private final Broadcast broadcast;
    private final Clock clock;
    private final ObjectMapper json;
    private final Map<Long, AgentLink> links = new ConcurrentHashMap<>();
    private final List<Consumer<Command>> onFinished = new CopyOnWriteArrayList<>();
    private final List<Consumer<AgentHello>> onHello = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private volatile long touchedAtMs;

    /** Subscribes to {@code broadcast} (which the caller starts afterwards); then {@link #start}. */
    public CommandChannel(CommandStore store, Hosts hosts, LiveBus live, Broadcast broadcast, Clock clock, ObjectMapper json) {
        this.store = store;
        this.hosts = hosts;
        this.live = live;
        this.broadcast = broadcast;
        this.clock = clock;
        this.json = json;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "servmon-commands");
            t.setDaemon(true);
            return t;
        });
        broadcast.subscribe(CHANNEL, new Broadcast.Listener() {
            @Override
            public void onMessage(String body, boolean own) {
                received(body, own);
            }

            @Override
            public void onGap() {
                timer.execute(() -> links.keySet().forEach(CommandChannel.this::deliverQueued));
            }
        });
        hosts.onKeyForgotten(this::keyRevoked, this::recheckKeys);
    }

    /** Starts the sweeper. */
    public void start() {
        timer.scheduleWithFixedDelay(this::sweep, SWEEP_EVERY_MS, SWEEP_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Calls {@code listener} on this replica with every command whose outcome this replica
     * stored (a result, a time-out, an expiry).
     */
    public void onFinished(Consumer<Command> listener) {
        onFinished.add(listener);
    }

    /**
     * Calls {@code listener} on this replica whenever an agent connected here reports the
     * revisions of what the hub sent it ({@link AgentHello}), on the connection's thread.
     */
    public void onHello(Consumer<AgentHello> listener) {
        onHello.add(listener);
    }

    /** An agent connected here reported its revisions: tells the {@link #onHello} listeners. */
    public void hello(AgentHello hello) {
        for (Consumer<AgentHello> l : onHello) {
            try {
                l.accept(hello);
            } catch (RuntimeException e) {
                log.error("a listener failed on the hello of the agent of host {} (revisions {})", hello.hostId(), hello.revisions(), e);
            }
        }
    }

    /**
     * The host's commands of {@code type} still on their way to its agent: QUEUED ones, and SENT
     * or ACKED ones sent at or after {@code sentSinceMs} (over the agent's current connection;
     * those sent before may have been lost with the previous one), oldest first.
     */
    public List<Command> underWay(long hostId, String type, long sentSinceMs) {
        return store.underWay(hostId, type, sentSinceMs);
    }

    /** Declares a type the hub runs itself (its feature watches it): the sweeper's result time-out skips it. */
    public void hubRuns(String type) {
        hubRunTypes.add(type);
    }

    /**
     * Declares a type a feature sends on a schedule and records the outcome of itself (checks run
     * by an agent, every interval): such commands are not pushed to browsers, are logged at debug,
     * and the feature {@link #forget}s each once it has the outcome, so the history shows what
     * people asked for rather than thousands of check runs.
     */
    public void routine(String type) {
        routineTypes.add(type);
    }

    /** Removes a routine command from the history once its feature has the outcome. */
    public void forget(String id) {
        store.delete(id);
    }

    @Override
    public SubmittedCommand submit(long hostId, String type, Map<String, Object> args, WhenOffline whenOffline, Duration expiry,
                                   Principal by) {
        Command c = submitCommand(hostId, type, json.valueToTree(args == null ? Map.of() : args), whenOffline, expiry, by);
        return new SubmittedCommand(c.id(), c.hostId(), c.type(), c.state().name());
    }

    /** {@link #submit}, returning the whole stored command (the power routes show it). */
    public Command submitCommand(long hostId, String type, JsonNode args, WhenOffline whenOffline, Duration expiry, Principal by) {
        return submitCommand(hostId, type, args, whenOffline, expiry, requester(by));
    }

    /**
     * {@link #submit} on behalf of the hub itself, with {@code requestedBy} as the history shows
     * it (e.g. {@code "schedule #3"}, {@code "idle policy"}).
     */
    public Command submitCommand(long hostId, String type, JsonNode args, WhenOffline whenOffline, Duration expiry, String requestedBy) {
        if (type == null || type.isBlank() || type.length() > MAX_TYPE_CHARS) {
            throw ApiException.badRequest("a command type is 1 to " + MAX_TYPE_CHARS + " characters, got '" + type + "'");
        }
        if (args == null || !args.isObject()) {
            throw ApiException.badRequest("a command's args must be a JSON object");
        }
        Duration ttl = expiry == null ? DEFAULT_EXPIRY : expiry;
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_EXPIRY) > 0) {
            throw ApiException.badRequest("a command's expiry must be between 1 s and " + MAX_EXPIRY.toDays() + " days, got " + ttl.toSeconds() + " s");
        }
        String name = hosts.find(hostId, false).orElseThrow(() -> ApiException.notFound("no host with id " + hostId)).name();
        long now = clock.millis();
        boolean present = isConnected(hostId);
        if (!present && whenOffline == WhenOffline.REFUSE) {
            String message = "refused: the agent of " + name + " is not connected";
            store.insert(new Command(newId(now), hostId, type, args, CommandState.REFUSED, requestedBy, now,
                    null, null, now, now, message, null));
            throw new ApiException(409, "the agent of host " + name + " is not connected, so the command " + type + " was not sent; "
                    + "start the agent, or queue the command until it connects");
        }
        Command queued = new Command(newId(now), hostId, type, args, CommandState.QUEUED, requestedBy, now,
                null, null, null, now + ttl.toMillis(), null, null);
        store.insert(queued);
        if (routineTypes.contains(type)) {
            log.debug("command submitted id={} host={} type={} by={} agentConnected={}", queued.id(), hostId, type, queued.requestedBy(), present);
        } else {
            log.info("command submitted id={} host={} type={} by={} agentConnected={}", queued.id(), hostId, type, queued.requestedBy(), present);
        }
        if (links.containsKey(hostId)) {
            deliverQueued(hostId);
        } else {
            broadcast.send(CHANNEL, DELIVER + " " + hostId);
        }
        changed(List.of(queued.id()));
        return store.find(queued.id()).orElse(queued);
    }

    /** A stored command, or 404. */
    public Command get(String id) {
        return store.find(id).orElseThrow(() -> ApiException.notFound("no command with id " + id));
    }

    /** The host's commands, newest first. */
    /**
     * Waits for a command's outcome, wherever it was stored: the replica holding the agent's
     * socket may be another one, so this reads the store rather than waiting for a local event.
     */
    @Override
    public Optional<CommandResults.Result> await(String commandId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Command c = store.find(commandId).orElse(null);
            if (c != null && c.state().finished()) {
                Map<String, Object> data = c.data() == null || !c.data().isObject() ? Map.of()
                        : json.convertValue(c.data(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
                return Optional.of(new CommandResults.Result(c.state() == CommandState.SUCCEEDED, c.message(), data));
            }
            if (System.nanoTime() >= deadline) {
                return Optional.empty();
            }
            Thread.sleep(AWAIT_POLL_MS);
        }
    }

    public List<Command> history(long hostId, long beforeMs, int limit) {
        return store.history(hostId, beforeMs, limit);
    }

    /** Open commands of a type the hub runs itself, in {@code state}, oldest first. */
    public List<Command> openCommands(String type, CommandState state) {
        return store.open(type, state);
    }

    /** Whether the host's agent is connected to this or another replica. */
    public boolean isConnected(long hostId) {
        return links.containsKey(hostId) || store.linked(hostId, clock.millis() - LINK_FRESH_MS);
    }

    /** How many agents hold a link to this replica. */
    public int linkCount() {
        return links.size();
    }

    /**
     * The agent of {@code hostId} connected here; an older link of it here is closed. Delivers its queue.
     *
     * @return when it connected (hub clock), for its {@link AgentHello}
     */
    public long connected(long hostId, AgentLink link) {
        AgentLink old = links.put(hostId, link);
        if (old != null && old != link) {
            old.close(4000, "replaced by a newer connection of the same agent");
        }
        long now = clock.millis();
        store.link(hostId, broadcast.replicaId(), link.transport(), now);
        deliverQueued(hostId);
        return now;
    }

    /** The link ended; {@code keepPresence} for a poll that the agent will renew. */
    public void disconnected(long hostId, AgentLink link, boolean keepPresence) {
        if (links.remove(hostId, link) && !keepPresence) {
            store.unlink(hostId, broadcast.replicaId());
        }
    }

    /** Records that a polling agent came by (it counts as connected for {@link #LINK_FRESH_MS}). */
    public void polled(long hostId) {
        store.link(hostId, broadcast.replicaId(), "poll", clock.millis());
    }

    /** Hands the host's queued commands to its link here, if it has one. */
    public void deliverQueued(long hostId) {
        AgentLink link = links.get(hostId);
        if (link == null) {
            return;
        }
        List<String> changed = new ArrayList<>();
        // One delivery per link at a time keeps the commands in order.
        synchronized (link) {
            List<Command> claimed = store.claimQueued(hostId, clock.millis());
            if (claimed.isEmpty()) {
                return;
            }
            int handed = link.deliver(claimed);
            for (int i = 0; i < claimed.size(); i++) {
                if (i >= handed) {
                    store.requeue(claimed.get(i).id());
                } else {
                    changed.add(claimed.get(i).id());
                }
            }
        }
        changed(changed);
    }

    /** The command as the agent receives it: {@code {"id","type","args","expiresAtMs"}}. */
    public ObjectNode wire(Command c) {
        ObjectNode n = json.createObjectNode();
        n.put("id", c.id());
        n.put("type", c.type());
        n.set("args", c.args());
        n.put("expiresAtMs", c.expiresAtMs());
        return n;
    }

    /**
     * An event from the agent of {@code hostId}: {@code {"id","event":"ack"}} or
     * {@code {"id","event":"result","ok":…,"message":…,"data":{…}}}; events about commands of
     * other hosts are ignored.
     *
     * @throws IllegalArgumentException when the event is malformed (the message says how)
     */
    public void onEvent(long hostId, JsonNode event) {
        String id = event.path("id").asText("");
        String kind = event.path("event").asText("");
        if (id.isEmpty() || id.length() > 64) {
            throw new IllegalArgumentException("an agent event needs the command's \"id\"");
        }
        long now = clock.millis();
        boolean stored = switch (kind) {
            case "ack" -> store.ack(hostId, id, now);
            case "result" -> {
                if (!event.path("ok").isBoolean()) {
                    throw new IllegalArgumentException("a result needs \"ok\": true or false");
                }
                String message = event.path("message").asText("");
                JsonNode data = event.path("data").isObject() ? event.get("data") : null;
                yield store.finish(hostId, id, event.get("ok").asBoolean(), message.length() > 2_000 ? message.substring(0, 2_000) + "…" : message,
                        data, now);
            }
            default -> throw new IllegalArgumentException("an agent event is \"ack\" or \"result\", got \"" + kind + "\"");
        };
        if (stored) {
            changed(List.of(id));
        } else {
            log.debug("agent event ignored (not this host's, or already finished) host={} id={} event={}", hostId, id, kind);
        }
    }

    /** Moves a hub-run command along (see {@link CommandStore#transition}) and announces it. */
    public boolean transition(String id, Collection<CommandState> from, CommandState to, String message) {
        boolean done = store.transition(id, from, to, message, clock.millis());
        if (done) {
            changed(List.of(id));
        }
        return done;
    }

    /** Stores a command the hub runs itself (a wake sent by the hub), already in {@code state}, and announces it. */
    public Command record(long hostId, String type, JsonNode args, CommandState state, String message, Duration expiry, Principal by) {
        return record(hostId, type, args, state, message, expiry, requester(by));
    }

    /** {@link #record} with {@code requestedBy} as the history shows it (the hub's own features). */
    public Command record(long hostId, String type, JsonNode args, CommandState state, String message, Duration expiry, String requestedBy) {
        long now = clock.millis();
        Command c = new Command(newId(now), hostId, type, args, state, requestedBy, now,
                state == CommandState.QUEUED ? null : now, state == CommandState.ACKED || state.finished() ? now : null,
                state.finished() ? now : null, now + expiry.toMillis(), message, null);
        store.insert(c);
        changed(List.of(c.id()));
        return c;
    }

    private void received(String body, boolean own) {
        int space = body.indexOf(' ');
        String kind = space < 0 ? body : body.substring(0, space);
        String rest = space < 0 ? "" : body.substring(space + 1);
        if (kind.equals(DELIVER)) {
            try {
                long hostId = Long.parseLong(rest);
                if (links.containsKey(hostId)) {
                    timer.execute(() -> deliverQueued(hostId));
                }
            } catch (NumberFormatException e) {
                log.warn("command delivery with a bad host id ignored: '{}'", rest.length() > 40 ? rest.substring(0, 40) : rest);
            }
        } else if (kind.equals(CHANGED)) {
            if (!own) {
                List<String> ids = List.of(rest.split(","));
                timer.execute(() -> publish(ids, false));
            }
        } else {
            log.warn("command broadcast of unknown kind ignored: '{}'", body.length() > 40 ? body.substring(0, 40) : body);
        }
    }

    /** Publishes changed commands to this replica's browsers and tells the other replicas. */
    private void changed(List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        publish(ids, true);
        for (int from = 0; from < ids.size(); from += IDS_PER_MESSAGE) {
            broadcast.send(CHANNEL, CHANGED + " " + String.join(",", ids.subList(from, Math.min(ids.size(), from + IDS_PER_MESSAGE))));
        }
    }

    private void publish(List<String> ids, boolean here) {
        for (Command c : store.findAll(ids)) {
            if (!routineTypes.contains(c.type())) {
                live.publish("command", c);
            }
            if (here && c.state().finished()) {
                for (Consumer<Command> l : onFinished) {
                    try {
                        l.accept(c);
                    } catch (RuntimeException e) {
                        log.error("a listener failed on the outcome of command {} ({})", c.id(), c.type(), e);
                    }
                }
            }
        }
    }

    /** One sweeper round: expiries, time-outs, link refresh. */
    void sweep() {
        try {
            long now = clock.millis();
            List<String> ids = new ArrayList<>(store.expire(now));
            ids.addAll(store.timeOut(CommandState.SENT, "sent_at_ms", now - ACK_TIMEOUT.toMillis(), hubRunTypes,
                    "failed: the agent did not acknowledge the command within " + ACK_TIMEOUT.toSeconds() + " s (it disconnected?)", now));
            ids.addAll(store.timeOut(CommandState.ACKED, "acked_at_ms", now - RESULT_TIMEOUT.toMillis(), hubRunTypes,
                    "failed: no result from the agent within " + RESULT_TIMEOUT.toMinutes() + " min", now));
            changed(ids);
            if (now - touchedAtMs >= TOUCH_EVERY_MS) {
                store.touch(broadcast.replicaId(), Set.copyOf(links.keySet()), now);
                touchedAtMs = now;
            }
        } catch (RuntimeException e) {
            log.error("command sweeper failed; retrying in {} ms", SWEEP_EVERY_MS, e);
        }
    }

    private void keyRevoked(long hostId) {
        AgentLink link = links.get(hostId);
        if (link != null) {
            log.info("closing the command channel of host {}: its key was revoked", hostId);
            link.close(4001, "host key revoked");
            disconnected(hostId, link, false);
        }
    }

    private void recheckKeys() {
        for (var e : Set.copyOf(links.entrySet())) {
            var id = hosts.authenticate(e.getValue().key());
            if (id.isEmpty() || id.getAsLong() != e.getKey()) {
                keyRevoked(e.getKey());
            }
        }
    }

    /**
     * A new command id shaped like a UUID (version 7): the creation time in ms, a counter, then
     * random bits, so ids sort in creation order (commands queued within one millisecond keep
     * their order) and cannot be guessed.
     */
    static String newId(long nowMs) {
        long counter = SEQUENCE.getAndIncrement() & 0xFFF;
        long high = (nowMs << 16) | 0x7000 | counter;
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** Who asked, as the history shows it: the user, {@code "name (token 7)"}, or {@code "hub"} for null. */
    public static String requester(Principal by) {
        if (by == null) {
            return "hub";
        }
        return by.viaToken() ? by.user().username() + " (token " + by.tokenId() + ")" : by.user().username();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        Set<Long> ids = new HashSet<>(links.keySet());
        for (long id : ids) {
            AgentLink link = links.remove(id);
            if (link != null) {
                link.close(1001, "the hub is stopping");
            }
        }
        try {
            store.unlinkAll(broadcast.replicaId());
        } catch (RuntimeException e) {
            log.warn("could not forget this replica's agent links on stop ({}); they go stale in {} s", e.getMessage(), LINK_FRESH_MS / 1000);
        }
    }
}
