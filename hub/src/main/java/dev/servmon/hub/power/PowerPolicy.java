package dev.servmon.hub.power;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.alerts.MaintenanceWindows;
import dev.servmon.hub.cluster.Leadership;
import dev.servmon.hub.control.CommandChannel;
import dev.servmon.hub.hosts.HostScope;
import dev.servmon.hub.hosts.HostTags;
import dev.servmon.hub.metrics.Rollups;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.storage.Database;
import java.time.Clock;
import java.time.Duration;

/**
 * The power policy (docs/control.md): schedules, idle policies and the energy report. Wires their
 * stores, evaluators and route handlers; the evaluators run on the leader only.
 */
public final class PowerPolicy {
    private final Database db;
    private final CommandChannel channel;
    private final Wakes wakes;
    private final MaintenanceWindows maintenance;
    private final ObjectMapper json;
    private final Clock clock;
    private final ScheduleHandlers scheduleHandlers;
    private final DecisionHandlers decisionHandlers;
    private final EnergyHandlers energyHandlers;
    private final IdlePolicyHandlers idleHandlers;
    private final Hosts hosts;

    public PowerPolicy(Database db, Hosts hosts, HostTags tags, CommandChannel channel, Wakes wakes, MaintenanceWindows maintenance,
                       PowerSettings settings, ObjectMapper json, Clock clock) {
        this.db = db;
        this.hosts = hosts;
        this.idleHandlers = new IdlePolicyHandlers(new IdlePolicyStore(db), hosts, json, clock);
        this.channel = channel;
        this.wakes = wakes;
        this.maintenance = maintenance;
        this.json = json;
        this.clock = clock;
        this.scheduleHandlers = new ScheduleHandlers(new ScheduleStore(db), hosts, tags, json, clock);
        var decisions = new Decisions(db);
        this.decisionHandlers = new DecisionHandlers(decisions);
        this.energyHandlers = new EnergyHandlers(new EnergyReport(new Rollups(db), decisions), new EnergyStore(db), hosts, new HostScope(tags),
                settings, json, clock);
    }

    /** Schedules the evaluators on the leader, writing through its database. */
    public void scheduleOn(Leadership leadership) {
        Database leaderDb = leadership.database();
        leadership.schedule("power-schedules", Duration.ofSeconds(ScheduleRunner.EVERY_SECONDS), scheduleRunner(leaderDb)::runScheduled);
        leadership.schedule("idle-policies", Duration.ofMinutes(1), idleEvaluator(leaderDb)::runScheduled);
    }

    /** A schedule evaluator over {@code database} (the leader's; tests make two over one database). */
    public ScheduleRunner scheduleRunner(Database database) {
        return new ScheduleRunner(new ScheduleStore(database), new HostTags(database), maintenance, actions(database), clock);
    }

    /** An idle-policy evaluator over {@code database}. */
    public IdleEvaluator idleEvaluator(Database database) {
        return new IdleEvaluator(new IdlePolicyStore(database), hosts, new Rollups(database), maintenance, actions(database), clock);
    }

    /** An idle-policy evaluator over the hub's database. */
    public IdleEvaluator idleEvaluator() {
        return idleEvaluator(db);
    }

    /** A schedule evaluator over the hub's database. */
    public ScheduleRunner scheduleRunner() {
        return scheduleRunner(db);
    }

    private PowerActions actions(Database database) {
        return new PowerActions(channel, wakes, new Decisions(database), json, clock);
    }

    public ScheduleHandlers schedules() {
        return scheduleHandlers;
    }

    public IdlePolicyHandlers idle() {
        return idleHandlers;
    }

    public EnergyHandlers energy() {
        return energyHandlers;
    }

    public DecisionHandlers decisions() {
        return decisionHandlers;
    }
}
