package dev.servmon.hub.power;

import dev.servmon.hub.alerts.MaintenanceWindows;
import dev.servmon.hub.hosts.HostStatus;
import dev.servmon.hub.hosts.HostView;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.metrics.Rollups;
import dev.servmon.hub.metrics.Rollups.Tier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link IdlePolicy idle policies}, on the leader every minute. A host is idle when
 * its latest sample and every minute of the last {@code noUsersMinutes} (from the 1-minute
 * rollups) show CPU below the threshold and nobody logged in, with no minute missing beyond the
 * host's reporting interval (it was ON the whole time). An idle host that is protected now gets
 * a "skipped" decision (again at most hourly while the reason stays the same); otherwise the
 * policy sends the command once, and waits until the host was seen OFF and then ON again.
 */
public final class IdleEvaluator {
    private static final Logger log = LoggerFactory.getLogger(IdleEvaluator.class);
    public static final String SOURCE = "idle policy";
    static final String CPU = "cpu";
    static final String USERS = "users";
    private static final long MINUTE_MS = 60_000L;
    /** A protected idle host's "skipped" decision is repeated at most this often. */
    private static final Duration SKIP_REPEAT = Duration.ofHours(1);

    private final IdlePolicyStore store;
    private final Hosts hosts;
    private final Rollups rollups;
    private final MaintenanceWindows maintenance;
    private final PowerActions actions;
    private final Clock clock;

    public IdleEvaluator(IdlePolicyStore store, Hosts hosts, Rollups rollups, MaintenanceWindows maintenance, PowerActions actions, Clock clock) {
        this.store = store;
        this.hosts = hosts;
        this.rollups = rollups;
        this.maintenance = maintenance;
        this.actions = actions;
        this.clock = clock;
    }

    /** One evaluation; returns the number of commands sent. */
    public int runOnce() {
        long now = clock.millis();
        int sent = 0;
        MaintenanceWindows.Snapshot windows = null;
        for (IdlePolicy p : store.enabled()) {
            Optional<HostView> found = hosts.find(p.hostId(), false);
            if (found.isEmpty()) {
                continue;
            }
            HostView host = found.get();
            boolean on = host.status() == HostStatus.ON;
            if (p.actedAtMs() != null) {
                if (!on) {
                    if (p.offSeenAtMs() == null) {
                        store.offSeen(p.hostId(), p.actedAtMs(), now);
                    }
                    continue;
                }
                if (p.offSeenAtMs() == null) {
                    continue; // acted; the host has not gone OFF yet
                }
                store.rearm(p.hostId());
                log.info("idle policy of host {} armed again: the host is back ON", p.hostId());
            }
            if (!on || notIdle(p, host, now) != null) {
                continue;
            }
            if (windows == null) {
                windows = maintenance.snapshot();
            }
            String protectedBy = p.useMaintenanceWindows() && windows.covers(p.hostId(), Instant.ofEpochMilli(now))
                    ? "idle, but the host is in a maintenance window (protected)"
                    : p.inProtectedHours(Instant.ofEpochMilli(now))
                    ? "idle, but within the protected hours " + p.protectedFrom() + "–" + p.protectedTo() + " " + p.zone().getId()
                    : null;
            if (protectedBy != null) {
                noteSkip(p, protectedBy, now);
                continue;
            }
            actions.act(p.hostId(), p.action(), SOURCE);
            store.acted(p.hostId(), now);
            sent++;
        }
        return sent;
    }

    /** Scheduled on the leader; a failure is logged and the next run tries again. */
    public void runScheduled() {
        runOnce();
    }

    private void noteSkip(IdlePolicy p, String reason, long now) {
        var last = actions.decisions().latest(p.hostId(), SOURCE);
        boolean repeated = last.isPresent() && last.get().outcome().equals(Decisions.SKIPPED) && last.get().reason().equals(reason)
                && now - last.get().atMs() < SKIP_REPEAT.toMillis();
        if (!repeated) {
            actions.decisions().add(p.hostId(), SOURCE, p.action(), Decisions.SKIPPED, reason, null, now);
        }
    }

    /**
     * Why the host is not idle by the policy, or null when it is: the latest sample, then every
     * minute of the last {@code noUsersMinutes} that ended before the current one.
     */
    String notIdle(IdlePolicy p, HostView host, long now) {
        var latest = host.latest();
        if (latest == null || latest.cpuPercent() == null) {
            return "no CPU figures";
        }
        if (latest.cpuPercent() >= p.cpuBelowPercent()) {
            return "CPU " + latest.cpuPercent() + " %";
        }
        if (latest.usersLoggedIn() == null) {
            return "its agent does not report logged-in users";
        }
        if (latest.usersLoggedIn() > 0) {
            return latest.usersLoggedIn() + " users logged in";
        }
        long end = Tier.M1.bucketOf(now);
        long start = end - p.noUsersMinutes() * MINUTE_MS;
        Map<Long, Rollups.Agg> cpu = new HashMap<>();
        Map<Long, Rollups.Agg> users = new HashMap<>();
        for (var r : rollups.read(Tier.M1, p.hostId(), List.of(CPU, USERS), start, end)) {
            (r.series().equals(CPU) ? cpu : users).put(r.bucketMs(), r.agg());
        }
        int interval = host.intervalSeconds() == null ? 60 : host.intervalSeconds();
        // A host reporting every 5 minutes has 4 empty minutes between samples; one more is slack.
        long allowedMissing = interval <= 60 ? 0 : (interval + 59) / 60;
        long missing = 0;
        for (long m = start; m < end; m += MINUTE_MS) {
            var c = cpu.get(m);
            var u = users.get(m);
            if (c == null) {
                if (++missing > allowedMissing) {
                    return "no samples in the minute of " + Instant.ofEpochMilli(m) + " (not ON the whole time)";
                }
                continue;
            }
            missing = 0;
            if (c.avg() >= p.cpuBelowPercent()) {
                return "CPU " + Math.round(c.avg()) + " % in the minute of " + Instant.ofEpochMilli(m);
            }
            if (u == null || u.max() > 0) {
                return "users logged in in the minute of " + Instant.ofEpochMilli(m);
            }
        }
        return null;
    }
}
