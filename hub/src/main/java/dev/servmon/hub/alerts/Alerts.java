package dev.servmon.hub.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.alerts.notify.Dispatcher;
import dev.servmon.hub.alerts.notify.HttpTransport;
import dev.servmon.hub.alerts.notify.MailTransport;
import dev.servmon.hub.alerts.notify.NotifierHandlers;
import dev.servmon.hub.alerts.notify.NotifierStore;
import dev.servmon.hub.alerts.notify.Outbox;
import dev.servmon.hub.cluster.Broadcast;
import dev.servmon.hub.cluster.Leadership;
import dev.servmon.hub.hosts.HostStore;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.hosts.Liveness;
import dev.servmon.hub.live.HostUpdates;
import dev.servmon.hub.live.LiveBus;
import dev.servmon.hub.metrics.MetricsQuery;
import dev.servmon.hub.storage.Database;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerting, wired: the stores, the engine and the dispatcher (both leader-only), the intake for
 * other features ({@link #signals()}, {@link #maintenanceWindows()}) and the route handlers.
 *
 * <p>Browsers hear of changes as an {@code alerts} event carrying the counts of
 * {@code GET /api/v1/alerts/summary}; changes made on one replica reach the others' browsers
 * through the broadcast channel {@value #CHANNEL}.
 */
public final class Alerts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Alerts.class);
    public static final String CHANNEL = "servmon_alerts";
    /** Messages on {@link #CHANNEL}: a pass changed alerts (browsers reload); settings changed (the leader evaluates). */
    private static final String CHANGED = "changed";
    private static final String EDITED = "edited";

    private final AlertStore alerts;
    private final Dependencies dependencies;
    private final Signals signals;
    private final MaintenanceWindows maintenanceWindows;
    private final Dispatcher dispatcher;
    private final AlertEngine engine;
    private final RuleHandlers ruleHandlers;
    private final AlertHandlers alertHandlers;
    private final MaintenanceHandlers maintenanceHandlers;
    private final NotifierHandlers notifierHandlers;
    private final LiveBus live;
    private final Broadcast broadcast;
    private final Clock clock;

    /**
     * @param db the pool, for the API
     * @param leadership who evaluates and sends; its {@link Leadership#database()} is written through
     * @param linkBase the dashboard's address for notification links
     */
    public Alerts(Database db, Leadership leadership, Hosts hosts, Liveness liveness, MetricsQuery metrics, LiveBus live, Broadcast broadcast,
                  ObjectMapper json, Clock clock, AlertSettings settings, HostGroups groups, Supplier<String> linkBase) {
        this.live = live;
        this.broadcast = broadcast;
        this.clock = clock;
        Database leaderDb = leadership.database();
        this.alerts = new AlertStore(db);
        var rules = new RuleStore(db);
        var notifiers = new NotifierStore(db, json);
        var outbox = new Outbox(db, json);
        this.maintenanceWindows = new MaintenanceWindows(db, groups);
        var silences = new Silences(db);
        this.dependencies = new Dependencies(db);
        this.dispatcher = new Dispatcher(new Outbox(leaderDb, json), new NotifierStore(leaderDb, json), new HttpTransport(clock),
                new MailTransport(json), clock, leadership::isLeader);
        this.signals = new Signals(db, json, clock, this::edited);
        var parts = new AlertEngine.Parts(leaderDb, new RuleStore(leaderDb), new AlertStore(leaderDb), new HostStore(leaderDb), liveness,
                new Dependencies(leaderDb), new Silences(leaderDb), new MaintenanceWindows(leaderDb, groups),
                new Signals(leaderDb, json, clock, () -> { }), groups, new DiskForecast(metrics), new NotifierStore(leaderDb, json),
                new Outbox(leaderDb, json), dispatcher, json);
        this.engine = new AlertEngine(parts, clock, leadership::isLeader, this::changed, settings.evaluateEvery(), linkBase);
        Runnable edited = this::edited;
        this.ruleHandlers = new RuleHandlers(rules, notifiers, hosts, json, clock, edited);
        this.alertHandlers = new AlertHandlers(alerts, silences, dependencies, rules, hosts, json, clock, () -> {
            edited();
            publish();
        });
        this.maintenanceHandlers = new MaintenanceHandlers(maintenanceWindows, json, clock, edited);
        this.notifierHandlers = new NotifierHandlers(notifiers, outbox, dispatcher, json, clock, linkBase);
        // Reports stored on other replicas: the leader looks at those hosts as soon as it hears of them,
        // not only at its next full pass.
        broadcast.subscribe(HostUpdates.CHANNEL, new Broadcast.Listener() {
            @Override
            public void onMessage(String body, boolean own) {
                if (!own && leadership.isLeader()) {
                    HostUpdates.ids(body).forEach(engine::hostReported);
                }
            }

            @Override
            public void onGap() {
                engine.poke();
            }
        });
        broadcast.subscribe(CHANNEL, new Broadcast.Listener() {
            @Override
            public void onMessage(String body, boolean own) {
                if (own) {
                    return;
                }
                if (EDITED.equals(body) && leadership.isLeader()) {
                    engine.poke();
                }
                publish();
            }

            @Override
            public void onGap() {
                publish();
            }
        });
    }

    /** Starts the engine and the dispatcher (they work only while this hub leads). */
    public void start() {
        dispatcher.start();
        engine.start();
    }

    /** Rules, silences, windows, signals or acknowledgements changed here: the leader evaluates now, wherever it runs. */
    private void edited() {
        if (engine != null) {
            engine.poke();
        }
        tellReplicas(EDITED, "the leader evaluates them at its next full pass");
    }

    /** A pass changed alerts: this hub's browsers and the other replicas' hear of it. */
    private void changed() {
        publish();
        tellReplicas(CHANGED, "their pages update at their next reload");
    }

    private void tellReplicas(String message, String otherwise) {
        try {
            broadcast.send(CHANNEL, message);
        } catch (RuntimeException e) {
            log.warn("telling other replicas that alerts were {} failed; {}", message, otherwise, e);
        }
    }

    private void publish() {
        try {
            live.publish("alerts", alerts.summary(clock.millis() - 24 * 3_600_000L));
        } catch (RuntimeException e) {
            log.warn("alert counts for the live stream could not be read", e);
        }
    }

    /** A report of {@code hostId} was stored here; {@code newest} is its newest sample. */
    public void hostReported(long hostId, dev.servmon.protocol.Sample newest) {
        engine.hostReported(hostId, newest);
    }

    /** Where checks and programs raise and clear their signals. */
    public Signals signals() {
        return signals;
    }

    /** Maintenance windows, for the power policy and schedules. */
    public MaintenanceWindows maintenanceWindows() {
        return maintenanceWindows;
    }

    /** Dependencies between hosts and between other subjects (the checks feature records its own). */
    public Dependencies dependencies() {
        return dependencies;
    }

    public AlertEngine engine() {
        return engine;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public RuleHandlers rules() {
        return ruleHandlers;
    }

    public AlertHandlers alerts() {
        return alertHandlers;
    }

    public MaintenanceHandlers maintenance() {
        return maintenanceHandlers;
    }

    public NotifierHandlers notifiers() {
        return notifierHandlers;
    }

    @Override
    public void close() {
        engine.close();
        dispatcher.close();
    }
}
