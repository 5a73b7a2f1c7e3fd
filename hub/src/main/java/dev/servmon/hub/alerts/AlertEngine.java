package dev.servmon.hub.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.alerts.notify.Dispatcher;
import dev.servmon.hub.alerts.notify.Notification;
import dev.servmon.hub.alerts.notify.Notifier;
import dev.servmon.hub.alerts.notify.NotifierStore;
import dev.servmon.hub.alerts.notify.Outbox;
import dev.servmon.hub.hosts.HostStatus;
import dev.servmon.hub.hosts.HostStore;
import dev.servmon.hub.hosts.Liveness;
import dev.servmon.hub.storage.Database;
import dev.servmon.protocol.Sample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the rules and moves alerts along: pending → firing → resolved, decides who is told,
 * and queues the notifications in the {@link Outbox} in the same transaction.
 *
 * <p>Runs on the leader replica only, on a thread of its own, and writes through the leader's
 * session (see {@code cluster/Leadership}); every state it needs is in the database, so a new
 * leader carries on where the old one stopped without repeating a notification (an alert's
 * {@code notified_state} is written with the outbox rows it caused).
 *
 * <p>When: a full pass every evaluation period (15 s by default); a full pass at once when the
 * next host is due to turn OFF by the liveness rule, when a pending alert's duration is up, or
 * when a signal was raised or cleared; and a pass over just the hosts that reported, shortly
 * after they did, so a threshold crossed in a report is seen within a second or so.
 *
 * <p>A pass over the hosts that reported is cheap: it reads only their rows (without the sample
 * JSON) and their open alerts. The values of their newest samples come from what the ingest
 * parsed ({@link LatestValues}, by seq), and the rules, host dependencies, silences and
 * maintenance windows are those the last full pass read ({@link Setup}): every change to them
 * asks for a full pass ({@link #poke}), here or, through the broadcast, on another replica.
 *
 * <p>Who is told — an alert notifies when it fires unless something holds it back, recorded as
 * its {@code suppressed} reason: a maintenance window, a silence, a parent host that is down
 * ({@code held}), a parent that might still turn out to be down ({@code waiting}), or an
 * acknowledgement (which only stops repeats). Once the reason goes away and the alert still
 * fires, it notifies then. A resolved alert whose firing was notified notifies its resolution.
 */
public final class AlertEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);
    /** Disk predictions are recomputed at most this often per host (they read hours of history). */
    static final long FORECAST_EVERY_MS = 5 * 60_000L;
    /** Reports that keep coming are gathered until this long after the last pass over reported hosts began. */
    static final long REPORT_BATCH_MS = 100;
    /** Above this many reported hosts, a pass reads all open alerts rather than bind that many ids. */
    private static final int OPEN_BY_HOST_MAX = 512;

    private final Database db;
    private final RuleStore rules;
    private final AlertStore alerts;
    private final HostStore hosts;
    private final Liveness liveness;
    private final Dependencies dependencies;
    private final Silences silences;
    private final MaintenanceWindows windows;
    private final Signals signals;
    private final HostGroups groups;
    private final DiskForecast forecast;
    private final NotifierStore notifiers;
    private final Outbox outbox;
    private final Dispatcher dispatcher;
    private final ObjectMapper json;
    private final Clock clock;
    private final BooleanSupplier leader;
    private final Runnable onChange;
    private final long periodMs;
    private final java.util.function.Supplier<String> linkBase;

    private final Set<Long> reported = ConcurrentHashMap.newKeySet();
    private final Map<Long, CachedForecast> forecasts = new ConcurrentHashMap<>();
    private final LatestValues latest = new LatestValues();
    /** What the last full pass read of the settings; passes over reported hosts reuse it (only the engine's thread). */
    private Setup setup;
    private final Object signal = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean fullPassAsked = true;
    private volatile long nextDueMs;
    /** The engine waits for work with no report pending (set before it looks, so a report cannot slip by unnoticed). */
    private volatile boolean idle;
    /** When the last pass over reported hosts began ({@link System#nanoTime}). */
    private volatile long lastReportPassNanos = System.nanoTime() - REPORT_BATCH_MS * 1_000_000;

    private record CachedForecast(long atMs, DiskForecast.Prediction prediction) {}

    /**
     * The settings a pass works with, read by every full pass. Every edit of them pokes the
     * engine (here, or on another replica through {@code Alerts}' broadcast), and a poke makes
     * the next pass a full one, so a pass over reported hosts never works with settings older
     * than the last edit it was told of.
     */
    private record Setup(List<AlertRule> enabled, Map<Long, Set<Long>> parents, List<Silence> silences,
                         MaintenanceWindows.Snapshot maintenance) {}

    /** Everything the engine reads and writes; {@code db} is the leader's database. */
    public record Parts(Database db, RuleStore rules, AlertStore alerts, HostStore hosts, Liveness liveness, Dependencies dependencies,
                        Silences silences, MaintenanceWindows windows, Signals signals, HostGroups groups, DiskForecast forecast,
                        NotifierStore notifiers, Outbox outbox, Dispatcher dispatcher, ObjectMapper json) {}

    /**
     * @param leader whether this hub evaluates (it is the leader)
     * @param onChange told after a pass changed alerts (live updates)
     * @param linkBase the dashboard's address for links in notifications, e.g. {@code http://hub:8080}
     */
    public AlertEngine(Parts p, Clock clock, BooleanSupplier leader, Runnable onChange, Duration period, java.util.function.Supplier<String> linkBase) {
        this.db = p.db();
        this.rules = p.rules();
        this.alerts = p.alerts();
        this.hosts = p.hosts();
        this.liveness = p.liveness();
        this.dependencies = p.dependencies();
        this.silences = p.silences();
        this.windows = p.windows();
        this.signals = p.signals();
        this.groups = p.groups();
        this.forecast = p.forecast();
        this.notifiers = p.notifiers();
        this.outbox = p.outbox();
        this.dispatcher = p.dispatcher();
        this.json = p.json();
        this.clock = clock;
        this.leader = leader;
        this.onChange = onChange;
        this.periodMs = period.toMillis();
        this.linkBase = linkBase;
        this.thread = new Thread(this::loop, "servmon-alerts");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Ask for a full pass now (a signal changed, a rule or silence was edited). */
    public void poke() {
        fullPassAsked = true;
        wake();
    }

    /** A host's report was stored (here or on another replica): look at its metrics soon. */
    public void hostReported(long hostId) {
        if (!leader.getAsBoolean()) {
            // A follower evaluates nothing, and a new leader starts with a full pass.
            return;
        }
        reported.add(hostId);
        // Only an idle engine needs waking; a busy or gathering one finds the host in reported.
        if (idle) {
            wake();
        }
    }

    /**
     * A host's report was stored on this hub, {@code newest} its newest sample: look at its
     * metrics soon, testing the values of {@code newest} unless the host has a newer one stored.
     */
    public void hostReported(long hostId, Sample newest) {
        if (leader.getAsBoolean()) {
            latest.offer(hostId, newest);
            hostReported(hostId);
        }
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            try {
                if (leader.getAsBoolean()) {
                    tick();
                } else {
                    // A new leader starts with a full pass, and all it knew is stale.
                    fullPassAsked = true;
                    reported.clear();
                    forget();
                }
            } catch (RuntimeException e) {
                log.error("alert evaluation failed; trying again in a second", e);
            }
            try {
                await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Waits for the next thing to do: a poke, a report, or a second passing (a full pass may be
     * due). A report that finds the engine idle is looked at at once. Reports that arrived while
     * a pass ran mean they keep coming: they are gathered until {@link #REPORT_BATCH_MS} after
     * that pass began, so a busy hub runs ten passes a second over many hosts rather than one
     * pass per report, back to back, each costing about the same.
     */
    private void await() throws InterruptedException {
        synchronized (signal) {
            boolean busy = !reported.isEmpty();
            if (!busy) {
                idle = true;
                try {
                    if (!fullPassAsked && reported.isEmpty()) {
                        signal.wait(1_000);
                    }
                } finally {
                    idle = false;
                }
                return;
            }
            long until = lastReportPassNanos + REPORT_BATCH_MS * 1_000_000;
            for (long left = until - System.nanoTime(); left > 0 && !fullPassAsked && running; left = until - System.nanoTime()) {
                signal.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * Runs what is due: a full pass, or a pass over the hosts that reported. Synchronized with the
     * passes, so a caller (a test driving the clock) returns only once a pass the engine's own
     * thread began — perhaps on the very reports the caller meant — is written.
     */
    public synchronized void tick() {
        if (fullPassAsked || clock.millis() >= nextDueMs) {
            evaluateNow();
        } else if (!reported.isEmpty()) {
            Set<Long> ids = new HashSet<>();
            for (Long id : reported) {
                if (reported.remove(id)) {
                    ids.add(id);
                }
            }
            lastReportPassNanos = System.nanoTime();
            evaluate(ids);
        }
    }

    /** A full pass over every rule and host, now. */
    public synchronized void evaluateNow() {
        fullPassAsked = false;
        reported.clear();
        evaluate(null);
    }

    private synchronized void forget() {
        setup = null;
        latest.retain(null);
    }

    /** The settings: read afresh for a full pass, else those of the last full pass. */
    private Setup setup(boolean full, long now) {
        if (full || setup == null) {
            List<AlertRule> enabled = rules.enabled();
            Set<String> metrics = new HashSet<>();
            enabled.forEach(r -> {
                if (r.kind() == RuleKind.METRIC) {
                    metrics.add(r.condition().metric());
                }
            });
            setup = new Setup(enabled, dependencies.hostParents(), silences.current(now), windows.snapshot());
            latest.want(metrics);
            return setup;
        }
        return new Setup(setup.enabled(), setup.parents(), setup.silences(), setup.maintenance().again());
    }

    /** When the engine will next run a full pass by itself (for tests and the API). */
    public long nextDueMs() {
        return nextDueMs;
    }

    private synchronized void evaluate(Set<Long> onlyHosts) {
        Pass pass = new Pass(clock.millis(), onlyHosts);
        pass.run();
        if (onlyHosts == null) {
            nextDueMs = pass.nextDue;
        } else {
            nextDueMs = Math.min(nextDueMs, pass.nextDue);
        }
    }

    /** A host as one pass sees it. */
    private final class Host {
        final HostStore.Brief row;
        final HostStatus status;
        /** The values its metric rules test; set by {@link Pass#values} for the hosts a pass tests. */
        Map<String, Double> values = Map.of();

        Host(HostStore.Brief row, long now) {
            this.row = row;
            this.status = liveness.status(row.lastSeenAtMs(), row.intervalSeconds(), now);
        }
    }

    /** What to tell for one episode. */
    private record Tell(Episode episode, AlertRule rule, boolean resolved, List<String> held) {}

    /** One evaluation: loads, decides, writes in one transaction, then tells the dispatcher and browsers. */
    private final class Pass {
        final long now;
        final Set<Long> only;
        long nextDue;
        final Map<Long, Host> byId = new LinkedHashMap<>();
        final Map<Episode.Key, Episode> open = new HashMap<>();
        final Set<Episode.Key> seen = new HashSet<>();
        final Map<String, Set<Long>> tagged = new HashMap<>();
        final List<Tell> tells = new ArrayList<>();
        Setup settings;
        Map<Long, Set<Long>> parents;

        Pass(long now, Set<Long> only) {
            this.now = now;
            this.only = only;
            this.nextDue = now + periodMs;
        }

        void run() {
            settings = setup(only == null, now);
            parents = settings.parents();
            List<HostStore.Brief> rows;
            if (only == null) {
                rows = hosts.briefs();
            } else {
                Set<Long> load = new HashSet<>(only);
                only.forEach(id -> load.addAll(Dependencies.ancestors(id, parents)));
                rows = hosts.briefs(load);
            }
            for (HostStore.Brief r : rows) {
                Host h = new Host(r, now);
                byId.put(r.id(), h);
                if (h.status == HostStatus.ON && r.lastSeenAtMs() != null) {
                    nextDue = Math.min(nextDue, liveness.offAtMs(r.lastSeenAtMs(), r.intervalSeconds()));
                }
            }
            if (only == null) {
                latest.retain(byId.keySet());
            }
            for (Episode e : only == null || only.size() > OPEN_BY_HOST_MAX ? alerts.open() : alerts.open(only)) {
                if (only == null || only.contains(e.hostId)) {
                    open.put(e.key(), e);
                }
            }
            List<AlertRule> enabled = settings.enabled();
            if (latest.wanted()) {
                values();
            }
            Map<Long, AlertRule> ruleById = new HashMap<>();
            List<Signals.Signal> raised = only == null && enabled.stream().anyMatch(r -> r.kind().signal() != null) ? signals.active() : List.of();
            for (AlertRule rule : enabled) {
                ruleById.put(rule.id(), rule);
                if (only != null && rule.kind().signal() != null) {
                    continue;
                }
                for (Observation o : observe(rule, raised)) {
                    step(rule, o);
                }
            }
            if (only == null) {
                for (Episode e : List.copyOf(open.values())) {
                    if (!seen.contains(e.key()) && e.state != AlertState.RESOLVED) {
                        AlertRule rule = ruleById.get(e.ruleId);
                        boolean hostGone = e.hostId != 0 && !byId.containsKey(e.hostId);
                        boolean stale = rule == null || hostGone || rule.kind().signal() != null || rule.kind() == RuleKind.HOST_OFF;
                        if (stale) {
                            end(e, rule);
                        }
                    }
                }
            }
            // Alerts of rules disabled or deleted just ended above: their resolution is told through
            // the rule as it was, with its notifiers.
            Set<Long> gone = new HashSet<>();
            open.values().forEach(e -> {
                if (e.state == AlertState.RESOLVED && !ruleById.containsKey(e.ruleId)) {
                    gone.add(e.ruleId);
                }
            });
            rules.findAll(gone).forEach(r -> ruleById.put(r.id(), r));
            decide(ruleById);
            write();
        }

        /**
         * The values of the hosts this pass tests metrics on: those the ingest handed over, else
         * read from their stored newest samples, all in one query.
         */
        void values() {
            Map<Long, Host> unknown = new HashMap<>();
            for (Host h : byId.values()) {
                Long seq = h.row.latestSeq();
                if (seq == null || h.status != HostStatus.ON || only != null && !only.contains(h.row.id())) {
                    continue;
                }
                Map<String, Double> v = latest.get(h.row.id(), seq);
                if (v != null) {
                    h.values = v;
                } else {
                    unknown.put(h.row.id(), h);
                }
            }
            if (unknown.isEmpty()) {
                return;
            }
            for (HostStore.Latest stored : hosts.latestSamples(unknown.keySet())) {
                try {
                    Map<String, Double> all = HostValues.of(json.readValue(stored.sampleJson(), Sample.class));
                    unknown.get(stored.id()).values = latest.put(stored.id(), stored.seq(), all);
                } catch (JsonProcessingException e) {
                    log.error("latest sample of host id={} is unreadable; its metric rules are skipped", stored.id(), e);
                }
            }
        }

        List<Observation> observe(AlertRule rule, List<Signals.Signal> raised) {
            List<Observation> out = new ArrayList<>();
            if (rule.kind().signal() != null) {
                for (Signals.Signal s : raised) {
                    if (s.kind() != rule.kind().signal()) {
                        continue;
                    }
                    Host h = byId.get(s.hostId());
                    if (s.hostId() != 0 && (h == null || !inScope(rule.scope(), s.hostId()))) {
                        continue;
                    }
                    out.add(Observation.of(s.hostId(), h == null ? null : h.row.name(), s.subject(), true, null, null, s.detail()));
                }
                return out;
            }
            for (Host h : byId.values()) {
                long id = h.row.id();
                if (only != null && !only.contains(id) || !inScope(rule.scope(), id)) {
                    continue;
                }
                switch (rule.kind()) {
                    case METRIC -> {
                        if (h.status != HostStatus.ON) {
                            continue;
                        }
                        Double v = h.values.get(rule.condition().metric());
                        if (v != null) {
                            Condition c = rule.condition();
                            out.add(new Observation(id, h.row.name(), "", c.holds(v), c.recovered(v), v, c.threshold(), null));
                        }
                    }
                    case HOST_OFF -> {
                        if (h.status != HostStatus.EMPTY) {
                            double silentSeconds = Math.round((now - h.row.lastSeenAtMs()) / 100.0) / 10.0;
                            out.add(Observation.of(id, h.row.name(), "", h.status == HostStatus.OFF, silentSeconds, null, null));
                        }
                    }
                    case DISK_FULL -> {
                        if (h.status != HostStatus.ON || rule.horizonHours() == null) {
                            continue;
                        }
                        DiskForecast.Prediction p = prediction(id, rule.horizonHours());
                        boolean active = p != null && p.hoursUntilFull() <= rule.horizonHours();
                        out.add(Observation.of(id, h.row.name(), "", active, p == null ? null : Math.round(p.hoursUntilFull() * 10) / 10.0,
                                rule.horizonHours().doubleValue(), p == null ? null : p.mount()));
                    }
                    default -> throw new IllegalStateException("unhandled rule kind " + rule.kind());
                }
            }
            return out;
        }

        DiskForecast.Prediction prediction(long hostId, int horizonHours) {
            CachedForecast c = forecasts.get(hostId);
            if (c == null || now - c.atMs() >= FORECAST_EVERY_MS || now < c.atMs()) {
                c = new CachedForecast(now, forecast.predict(hostId, horizonHours, now));
                forecasts.put(hostId, c);
            }
            return c.prediction();
        }

        boolean inScope(Scope scope, long hostId) {
            if (scope.kind() != Scope.Kind.TAG) {
                return scope.covers(hostId, Set.of());
            }
            return scope.covers(hostId, tagged.computeIfAbsent(scope.tag(), groups::hostsTagged));
        }

        void step(AlertRule rule, Observation o) {
            Episode.Key key = new Episode.Key(rule.id(), o.hostId(), o.subject());
            seen.add(key);
            Episode e = open.get(key);
            if (e == null) {
                if (!o.active()) {
                    return;
                }
                e = new Episode();
                e.ruleId = rule.id();
                e.hostId = o.hostId();
                e.subject = o.subject();
                e.state = AlertState.PENDING;
                e.pendingAtMs = now;
                e.dirty = true;
                observed(e, o);
                open.put(key, e);
                log.info("alert pending rule={} host={} subject='{}' value={}", rule.name(), o.hostName(), o.subject(), o.value());
            } else {
                observed(e, o);
            }
            if (e.state == AlertState.PENDING) {
                if (!o.active()) {
                    e.cancelled = true;
                } else if (now - e.pendingAtMs >= rule.forMs()) {
                    e.state = AlertState.FIRING;
                    e.firingAtMs = now;
                    e.dirty = true;
                    log.info("alert firing rule={} host={} subject='{}' value={}", rule.name(), o.hostName(), o.subject(), o.value());
                } else {
                    nextDue = Math.min(nextDue, e.pendingAtMs + rule.forMs());
                }
            } else if (e.state == AlertState.FIRING && o.recovered()) {
                end(e, rule);
            }
        }

        void observed(Episode e, Observation o) {
            if (!java.util.Objects.equals(e.value, o.value()) || !java.util.Objects.equals(e.detail, o.detail())
                    || !java.util.Objects.equals(e.hostName, o.hostName()) || !java.util.Objects.equals(e.threshold, o.threshold())) {
                e.value = o.value();
                e.detail = o.detail();
                e.hostName = o.hostName();
                e.threshold = o.threshold();
                e.dirty = true;
            }
        }

        /** The condition is over (or can no longer be judged: rule or host gone, signal cleared). */
        void end(Episode e, AlertRule rule) {
            if (e.state == AlertState.PENDING) {
                e.cancelled = true;
                return;
            }
            e.state = AlertState.RESOLVED;
            e.resolvedAtMs = now;
            e.suppressed = null;
            e.dirty = true;
            log.info("alert resolved id={} rule={} host={} subject='{}'", e.id, rule == null ? e.ruleId : rule.name(), e.hostName, e.subject);
        }

        void decide(Map<Long, AlertRule> ruleById) {
            MaintenanceWindows.Snapshot maintenance = settings.maintenance();
            List<Silence> current = settings.silences();
            Map<String, Set<String>> subjectParents = only == null ? dependencies.subjectParents() : Map.of();
            Set<String> firingSubjects = new HashSet<>();
            open.values().forEach(e -> {
                if (e.state == AlertState.FIRING && !e.subject.isEmpty()) {
                    firingSubjects.add(e.subject);
                }
            });
            Instant at = Instant.ofEpochMilli(now);
            for (Episode e : open.values()) {
                if (e.cancelled) {
                    continue;
                }
                AlertRule rule = ruleById.get(e.ruleId);
                if (e.state == AlertState.RESOLVED) {
                    if ("firing".equals(e.notifiedState)) {
                        e.notifiedState = "resolved";
                        e.lastNotifiedAtMs = now;
                        tells.add(new Tell(e, rule, true, List.of()));
                    }
                    continue;
                }
                if (e.state != AlertState.FIRING) {
                    continue;
                }
                String reason = reason(e, rule, maintenance, current, subjectParents, firingSubjects, at);
                if (!java.util.Objects.equals(reason, e.suppressed)) {
                    e.suppressed = reason;
                    e.dirty = true;
                }
                if (reason != null || rule == null) {
                    continue;
                }
                boolean first = !"firing".equals(e.notifiedState);
                long repeatMs = rule.repeatMinutes() * 60_000L;
                boolean repeat = !first && repeatMs > 0 && e.lastNotifiedAtMs != null && now - e.lastNotifiedAtMs >= repeatMs;
                if (!first && repeatMs > 0 && e.lastNotifiedAtMs != null && !repeat) {
                    nextDue = Math.min(nextDue, e.lastNotifiedAtMs + repeatMs);
                }
                if (first || repeat) {
                    e.notifiedState = "firing";
                    e.lastNotifiedAtMs = now;
                    e.dirty = true;
                    tells.add(new Tell(e, rule, false, rule.kind() == RuleKind.HOST_OFF ? heldBy(e.hostId) : List.of()));
                }
            }
        }

        String reason(Episode e, AlertRule rule, MaintenanceWindows.Snapshot maintenance, List<Silence> current,
                      Map<String, Set<String>> subjectParents, Set<String> firingSubjects, Instant at) {
            if (e.hostId != 0 && maintenance.covers(e.hostId, at)) {
                return "maintenance";
            }
            for (Silence s : current) {
                if (s.matches(e.ruleId, e.hostId, now)) {
                    return "silenced";
                }
                if (s.startsAtMs() > now) {
                    nextDue = Math.min(nextDue, s.startsAtMs());
                }
            }
            if (e.hostId != 0) {
                Host self = byId.get(e.hostId);
                for (long p : Dependencies.ancestors(e.hostId, parents)) {
                    Host parent = byId.get(p);
                    if (parent == null) {
                        continue;
                    }
                    if (parent.status == HostStatus.OFF) {
                        return "held: " + parent.row.name();
                    }
                    // Whatever cut this host off did so before its next report was due; had it cut off the
                    // parent too, the parent would be OFF by then plus its own liveness window. Until then, wait.
                    if (rule != null && rule.kind() == RuleKind.HOST_OFF && self != null && self.row.lastSeenAtMs() != null
                            && parent.status == HostStatus.ON) {
                        long nextReportDue = self.row.lastSeenAtMs() + intervalMs(self.row.intervalSeconds());
                        long parentOffAt = liveness.offAtMs(nextReportDue, parent.row.intervalSeconds());
                        if (now < parentOffAt) {
                            nextDue = Math.min(nextDue, parentOffAt);
                            return "waiting for " + parent.row.name();
                        }
                    }
                }
            }
            for (String parent : subjectParents.getOrDefault(e.subject, Set.of())) {
                if (firingSubjects.contains(parent)) {
                    return "held: " + parent;
                }
            }
            if (e.acknowledged()) {
                return "acknowledged";
            }
            return null;
        }

        /** Names of the OFF hosts that depend on {@code hostId}, directly or through others. */
        List<String> heldBy(long hostId) {
            List<String> held = new ArrayList<>();
            for (Host h : byId.values()) {
                if (h.status == HostStatus.OFF && h.row.id() != hostId && Dependencies.ancestors(h.row.id(), parents).contains(hostId)) {
                    held.add(h.row.name());
                }
            }
            return held;
        }

        void write() {
            boolean changed = open.values().stream().anyMatch(e -> e.dirty || e.cancelled);
            if (!changed) {
                return;
            }
            Map<Long, List<Notifier>> channels = new HashMap<>();
            db.jdbi().useTransaction(h -> {
                for (Episode e : open.values()) {
                    if (e.cancelled) {
                        if (e.id != 0) {
                            alerts.delete(h, e.id);
                        }
                    } else if (e.id == 0) {
                        e.updatedAtMs = now;
                        alerts.insert(h, e);
                    } else if (e.dirty) {
                        e.updatedAtMs = now;
                        alerts.update(h, e);
                    }
                }
                for (Tell t : tells) {
                    if (t.rule() == null) {
                        continue;
                    }
                    Notification n = notification(t);
                    for (Notifier channel : channels.computeIfAbsent(t.rule().id(), id -> notifiers.findAll(t.rule().notifierIds()))) {
                        outbox.enqueue(h, channel, n, now);
                    }
                }
            });
            if (!tells.isEmpty()) {
                dispatcher.wake();
            }
            onChange.run();
        }

        Notification notification(Tell t) {
            Episode e = t.episode();
            AlertRule r = t.rule();
            return new Notification(t.resolved() ? "resolved" : "firing", e.id, r.id(), r.name(), r.kind().label(), r.severity(),
                    e.state.label(), e.hostId == 0 ? null : e.hostId, e.hostName, e.subject, r.metric(), e.value,
                    e.threshold != null ? e.threshold : r.threshold(), e.firingAtMs != null ? e.firingAtMs : e.pendingAtMs,
                    e.resolvedAtMs, linkBase.get() + "/alerts.html#alert-" + e.id, Summaries.of(r, e, t.resolved(), t.held()), t.held());
        }
    }

    private static long intervalMs(Integer intervalSeconds) {
        return (intervalSeconds == null || intervalSeconds <= 0 ? 10 : intervalSeconds) * 1000L;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
