package dev.servmon.hub.checks;

import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.cluster.Broadcast;
import dev.servmon.hub.control.CommandChannel;
import dev.servmon.hub.live.LiveBus;
import dev.servmon.protocol.checks.Durations;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health checks of this hub: create, change, delete, run now, accept pushes, and record
 * results — stored, told to the {@link CheckListener}s, and sent to browsers as {@code check}
 * events (on every replica: the check's id is broadcast and each replica reloads it).
 */
public final class Checks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Checks.class);
    /** The channel replicas tell each other about changed checks on. */
    public static final String CHANNEL = "servmon_checks";
    /** Longest message a push may carry. */
    static final int MAX_PUSH_MESSAGE = 200;

    private final CheckStore store;
    private final Probes probes;
    private final AgentChecks agents;
    private final Clock clock;
    private final LiveBus live;
    private final Broadcast broadcast;
    private final LongPredicate hostExists;
    private final List<CheckListener> listeners = new CopyOnWriteArrayList<>();
    /** Told the id of a check created, changed or deleted here or elsewhere (the scheduler). */
    private volatile LongConsumer onChanged = id -> { };

    /**
     * @param commands runs checks that have an {@code agentHostId} on that host's agent
     * @param hostName a host's name for messages
     */
    public Checks(CheckStore store, Clock clock, LiveBus live, Broadcast broadcast, LongPredicate hostExists, CommandChannel commands,
                  LongFunction<String> hostName) {
        this.store = store;
        this.probes = new Probes(clock);
        this.agents = new AgentChecks(commands, hostName);
        this.clock = clock;
        this.live = live;
        this.broadcast = broadcast;
        this.hostExists = hostExists;
        broadcast.subscribe(CHANNEL, new Broadcast.Listener() {
            @Override
            public void onMessage(String body, boolean own) {
                if (!own) {
                    received(body);
                }
            }

            @Override
            public void onGap() {
                // Browsers reload on resync (HostUpdates sends it); the scheduler reloads its list regularly.
            }
        });
    }

    /** Adds a listener for every result recorded on this replica (see {@link CheckListener}). */
    public void addListener(CheckListener listener) {
        listeners.add(listener);
    }

    void onChanged(LongConsumer c) {
        this.onChanged = c;
    }

    CheckStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- reading

    /** Every check, or those of one host, with latest result and uptime. */
    public List<CheckView> list(Long hostId) {
        List<Check> checks = hostId == null ? store.list() : store.listByHost(hostId);
        Map<Long, CheckResult> last = store.latest(checks.stream().map(Check::id).toList());
        Map<Long, CheckStore.Uptime> uptime = store.uptime(clock.millis());
        return checks.stream().map(c -> CheckView.of(c, last.get(c.id()), uptime.getOrDefault(c.id(), CheckStore.Uptime.NONE))).toList();
    }

    public CheckView view(long id) {
        return view(check(id));
    }

    private CheckView view(Check c) {
        return CheckView.of(c, store.latest(List.of(c.id())).get(c.id()), store.uptime(c.id(), clock.millis()));
    }

    /** The stored check, or 404. */
    public Check check(long id) {
        return store.find(id).orElseThrow(() -> ApiException.notFound("no check with id " + id));
    }

    // ---------------------------------------------------------------- changing

    public CheckView create(CheckInput in) {
        Check valid = CheckValidator.validate(in, null, 0, clock.millis(), hostExists);
        long id = store.insert(valid);
        log.info("check created id={} name={} type={} target={}", id, valid.name(), valid.type().label(), valid.target());
        changed(id);
        return view(id);
    }

    public CheckView update(long id, CheckInput in) {
        Check old = check(id);
        Check valid = CheckValidator.validate(in, old, id, old.createdAtMs(), hostExists);
        if (!store.update(valid)) {
            throw ApiException.notFound("no check with id " + id);
        }
        log.info("check changed id={} name={} type={} target={}", id, valid.name(), valid.type().label(), valid.target());
        changed(id);
        return view(id);
    }

    public void delete(long id) {
        if (!store.delete(id)) {
            throw ApiException.notFound("no check with id " + id);
        }
        log.info("check deleted id={}", id);
        live.publish("check-deleted", Map.of("id", id));
        onChanged.accept(id);
        broadcast.send(CHANNEL, "deleted " + id);
    }

    private void changed(long id) {
        onChanged.accept(id);
        publish(id);
        broadcast.send(CHANNEL, "changed " + id);
    }

    // ---------------------------------------------------------------- results

    /**
     * Runs a check now on the calling thread (on its agent, if it has one) and records the result
     * (push checks: 422).
     */
    public CheckResult runNow(long id) {
        Check c = check(id);
        if (c.type() == CheckType.PUSH) {
            throw new ApiException(422, "push checks are not run: they wait for POST /api/v1/push (docs/checks.md)");
        }
        return run(c);
    }

    /** Probes and records; the scheduler's unit of work. */
    CheckResult run(Check c) {
        Outcome o;
        if (c.agentHostId() != null) {
            o = agents.run(c);
        } else if (c.type() == CheckType.COMMAND) {
            // agent_host_id is set to NULL when the host is deleted; the hub never runs commands itself.
            o = Outcome.down(null, "the host whose agent ran this command was deleted; choose another host for the check")
                    .withMethod(AgentChecks.METHOD);
        } else {
            o = probes.run(c);
        }
        return record(c, CheckResult.of(c.id(), clock.millis(), o));
    }

    /** A push to the check named {@code name}, authenticated by the key of host {@code hostId}. */
    public CheckResult push(long hostId, String name, Double value, String status, String message) {
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest("name the check: {\"check\":\"backup\"} or ?check=backup");
        }
        Check c = store.findByName(name.strip()).orElseThrow(() ->
                ApiException.notFound("no check named '" + shorten(name.strip()) + "'; create a push check with that name first"));
        if (c.type() != CheckType.PUSH) {
            throw new ApiException(409, "check '" + c.name() + "' is a " + c.type().label() + " check; only push checks accept pushes");
        }
        if (c.hostId() != null && c.hostId() != hostId) {
            throw new ApiException(403, "check '" + c.name() + "' belongs to host " + c.hostId() + "; push with that host's key");
        }
        if (value != null && !Double.isFinite(value)) {
            throw ApiException.badRequest("value must be a finite number");
        }
        boolean up;
        String s = status == null || status.isBlank() ? "up" : status.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("up")) {
            up = true;
        } else if (s.equals("down")) {
            up = false;
        } else {
            throw ApiException.badRequest("status must be up or down, got '" + shorten(status) + "'");
        }
        if (message != null && message.length() > MAX_PUSH_MESSAGE) {
            throw ApiException.badRequest("message must be at most " + MAX_PUSH_MESSAGE + " characters");
        }
        if (!c.enabled()) {
            throw new ApiException(409, "check '" + c.name() + "' is paused; enable it to accept pushes");
        }
        String text = message == null || message.isBlank() ? (up ? "pushed up" : "pushed down") : message;
        return record(c, new CheckResult(c.id(), clock.millis(), up, null, value, null, "push", CheckResult.cut(text)));
    }

    /**
     * A push check whose push is overdue gets a DOWN result, once per interval while it stays
     * overdue; empty when it is on time (or already told).
     */
    Optional<CheckResult> checkPushDeadline(Check c) {
        long now = clock.millis();
        Optional<Long> lastPush = store.lastPushAtMs(c.id());
        long since = lastPush.orElse(c.createdAtMs());
        if (now - since <= c.pushDeadlineMs()) {
            return Optional.empty();
        }
        CheckResult latest = store.latest(List.of(c.id())).get(c.id());
        if (latest != null && !latest.up() && !"push".equals(latest.method()) && now - latest.atMs() < c.intervalSeconds() * 1000L) {
            return Optional.empty();
        }
        String ago = Durations.text((now - since) / 1000);
        String text = lastPush.isPresent() ? "no push for " + ago : "no push since the check was created " + ago + " ago";
        return Optional.of(record(c, new CheckResult(c.id(), now, false, null, null, null, "deadline", text)));
    }

    /** Stores a result, tells the listeners, publishes it. */
    CheckResult record(Check c, CheckResult result) {
        CheckResult previous = store.latest(List.of(c.id())).get(c.id());
        store.insertResult(result);
        if (previous == null || previous.up() != result.up()) {
            log.info("check {} id={} name={} message={}", result.up() ? "UP" : "DOWN", c.id(), c.name(), result.message());
        }
        for (CheckListener l : listeners) {
            try {
                l.onResult(c, result, previous);
            } catch (RuntimeException e) {
                log.error("check listener {} failed on check id={}", l.getClass().getName(), c.id(), e);
            }
        }
        publish(c.id());
        broadcast.send(CHANNEL, "changed " + c.id());
        return result;
    }

    private void publish(long id) {
        if (live.clientCount() == 0) {
            return;
        }
        store.find(id).ifPresentOrElse(c -> live.publish("check", view(c)), () -> live.publish("check-deleted", Map.of("id", id)));
    }

    private void received(String body) {
        int space = body.indexOf(' ');
        try {
            long id = Long.parseLong(body.substring(space + 1));
            onChanged.accept(id);
            if (body.startsWith("deleted ")) {
                live.publish("check-deleted", Map.of("id", id));
            } else {
                publish(id);
            }
        } catch (RuntimeException e) {
            log.warn("check update ignored: '{}' ({})", shorten(body), e.getMessage());
        }
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    @Override
    public void close() {
        probes.close();
    }
}
