package dev.servmon.hub.power;

import dev.servmon.hub.alerts.MaintenanceWindows;
import dev.servmon.hub.hosts.HostTags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due {@link PowerSchedule schedules}, on the leader every {@value #EVERY_SECONDS} s. Each
 * occurrence is claimed in the database before it acts ({@link ScheduleStore#claim}), so it fires
 * at most once however many hubs evaluate it and across a leader fail-over; a hub that dies
 * between the claim and the command loses that occurrence rather than repeating it (a power
 * action twice is worse than once missed). A shutdown or suspend due while the host is in a
 * maintenance window (a protected window) is skipped with that reason; a wake still runs.
 * An occurrence found more than {@link #MISSED_AFTER} late (the hub was down) is recorded as
 * missed, not fired hours late.
 */
public final class ScheduleRunner {
    private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);
    public static final int EVERY_SECONDS = 30;
    static final Duration MISSED_AFTER = Duration.ofMinutes(15);

    private final ScheduleStore store;
    private final HostTags tags;
    private final MaintenanceWindows maintenance;
    private final PowerActions actions;
    private final Clock clock;

    public ScheduleRunner(ScheduleStore store, HostTags tags, MaintenanceWindows maintenance, PowerActions actions, Clock clock) {
        this.store = store;
        this.tags = tags;
        this.maintenance = maintenance;
        this.actions = actions;
        this.clock = clock;
    }

    /** One evaluation; returns the number of occurrences this call claimed. */
    public int runOnce() {
        Instant now = clock.instant();
        int claimed = 0;
        for (PowerSchedule s : store.list()) {
            if (!s.enabled()) {
                continue;
            }
            Instant due = s.latestOccurrence(now);
            if (due == null || due.toEpochMilli() <= s.lastRunAtMs() || !store.claim(s.id(), due.toEpochMilli())) {
                continue;
            }
            claimed++;
            String outcome;
            try {
                outcome = Duration.between(due, now).compareTo(MISSED_AFTER) > 0
                        ? "missed: the hub was not running at " + due + " (found " + Duration.between(due, now).toMinutes() + " min late)"
                        : fire(s, now);
            } catch (RuntimeException e) {
                log.error("schedule #{} failed at {}", s.id(), due, e);
                outcome = "failed: " + e.getMessage();
            }
            store.outcome(s.id(), outcome);
        }
        return claimed;
    }

    /** Scheduled on the leader; a failure is logged and the next run tries again. */
    public void runScheduled() {
        runOnce();
    }

    private String fire(PowerSchedule s, Instant now) {
        List<Long> hosts = s.hostId() != null ? List.of(s.hostId()) : tags.hostsWithAny(Set.of(s.tag())).stream().sorted().toList();
        if (hosts.isEmpty()) {
            return "no host carries tag " + s.tag();
        }
        MaintenanceWindows.Snapshot windows = maintenance.snapshot();
        StringBuilder out = new StringBuilder();
        for (long host : hosts) {
            String one = s.turnsOff() && windows.covers(host, now)
                    ? actions.skip(host, s.action(), s.requestedBy(), "host is in a maintenance window (a protected window)")
                    : actions.act(host, s.action(), s.requestedBy());
            out.append(out.length() == 0 ? "" : "; ").append(hosts.size() > 1 ? "host " + host + " " : "").append(one);
        }
        return out.toString();
    }
}
