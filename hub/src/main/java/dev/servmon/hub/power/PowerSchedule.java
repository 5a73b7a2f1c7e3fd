package dev.servmon.hub.power;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * A cron-like power action: on {@code days} at {@code time} local time in {@code zone}, wake,
 * shut down or suspend one host ({@code hostId}) or every host carrying {@code tag}.
 *
 * <p>Occurrences follow the zone's clock ({@link ZonedDateTime#of}): on the day the clocks go
 * forward a time in the gap (02:30 in Europe/Berlin) fires at the first valid instant after it
 * (03:30 summer time); on the day they go back an ambiguous time fires once, at its first
 * occurrence.
 *
 * @param lastRunAtMs the latest occurrence handled (fired, skipped or missed), or when the
 *     schedule was created or edited: occurrences at or before it never fire
 * @param lastOutcome one line about the latest occurrence handled, or null
 */
public record PowerSchedule(long id, Long hostId, String tag, String action, Set<DayOfWeek> days, LocalTime time, ZoneId zone,
                            boolean enabled, long lastRunAtMs, String lastOutcome, String createdBy, long createdAtMs) {
    /** What a schedule may do. */
    public static final Set<String> ACTIONS = Set.of("wake", "shutdown", "suspend");

    public PowerSchedule {
        if ((hostId == null) == (tag == null || tag.isBlank())) {
            throw new IllegalArgumentException("a schedule applies to one host (hostId) or to the hosts with a tag (tag), not "
                    + (hostId == null ? "neither" : "both"));
        }
        if (action == null || !ACTIONS.contains(action)) {
            throw new IllegalArgumentException("action must be wake, shutdown or suspend, got '" + action + "'");
        }
        if (days == null || days.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one day, e.g. [\"MON\", \"TUE\", \"WED\", \"THU\", \"FRI\"]");
        }
        if (time == null) {
            throw new IllegalArgumentException("a schedule needs time as HH:MM");
        }
        if (zone == null) {
            throw new IllegalArgumentException("a schedule needs timeZone, e.g. Europe/Berlin");
        }
        days = Set.copyOf(EnumSet.copyOf(days));
    }

    /** Whether the schedule turns hosts off (shutdown, suspend) rather than on. */
    public boolean turnsOff() {
        return !action.equals("wake");
    }

    /** The latest occurrence at or before {@code now}, or null when there was none in the last eight days. */
    public Instant latestOccurrence(Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        for (int back = 0; back <= 7; back++) {
            LocalDate day = today.minusDays(back);
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            Instant at = ZonedDateTime.of(day, time, zone).toInstant();
            if (!at.isAfter(now)) {
                return at;
            }
        }
        return null;
    }

    /** The first occurrence after {@code now}. */
    public Instant nextOccurrence(Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        for (int ahead = 0; ahead <= 8; ahead++) {
            LocalDate day = today.plusDays(ahead);
            if (days.contains(day.getDayOfWeek())) {
                Instant at = ZonedDateTime.of(day, time, zone).toInstant();
                if (at.isAfter(now)) {
                    return at;
                }
            }
        }
        throw new IllegalStateException("schedule #" + id + " has no occurrence in the next eight days");
    }

    /** Who the schedule acts as in the command history. */
    public String requestedBy() {
        return "schedule #" + id;
    }
}
