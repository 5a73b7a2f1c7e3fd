package dev.servmon.hub.alerts;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * A maintenance window: one-off ({@code startsAtMs} to {@code endsAtMs}) or recurring (on
 * {@code days}, from {@code startTime} local time in {@code zone}, for {@code durationMinutes}).
 *
 * <p>Recurring windows follow the zone's clock: a window at 02:00 opens at 02:00 local time in
 * summer and in winter. On the day the clocks go forward, a start time that does not exist
 * (02:30 in Europe/Berlin) opens at the first valid instant after the gap (03:30 summer time,
 * as {@link ZonedDateTime#of} shifts it); on the day they go back, an ambiguous start opens at
 * its first occurrence. The duration is elapsed time, so a 4-hour window lasts 4 hours even across
 * a change of clocks.
 */
public record MaintenanceWindow(long id, String name, Scope scope, Long startsAtMs, Long endsAtMs, Set<DayOfWeek> days,
                                LocalTime startTime, Integer durationMinutes, ZoneId zone, String createdBy, long createdAtMs) {

    /** Longest recurring window: a week. */
    public static final int MAX_DURATION_MINUTES = 7 * 24 * 60;

    public MaintenanceWindow {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("name must be 1 to 100 characters");
        }
        if (scope == null) {
            scope = Scope.ALL;
        }
        boolean oneOff = startsAtMs != null || endsAtMs != null;
        boolean recurring = days != null && !days.isEmpty() || startTime != null || durationMinutes != null;
        if (oneOff == recurring) {
            throw new IllegalArgumentException("a window is either one-off (startsAtMs and endsAtMs) or recurring "
                    + "(days, startTime, durationMinutes, timeZone), not " + (oneOff ? "both" : "neither"));
        }
        if (oneOff) {
            if (startsAtMs == null || endsAtMs == null || endsAtMs <= startsAtMs) {
                throw new IllegalArgumentException("a one-off window needs startsAtMs and endsAtMs, with endsAtMs after startsAtMs");
            }
            days = Set.of();
        } else {
            if (days == null || days.isEmpty()) {
                throw new IllegalArgumentException("a recurring window needs at least one day, e.g. [\"SAT\", \"SUN\"]");
            }
            if (startTime == null) {
                throw new IllegalArgumentException("a recurring window needs startTime as HH:MM");
            }
            if (durationMinutes == null || durationMinutes < 1 || durationMinutes > MAX_DURATION_MINUTES) {
                throw new IllegalArgumentException("durationMinutes must be between 1 and " + MAX_DURATION_MINUTES);
            }
            if (zone == null) {
                throw new IllegalArgumentException("a recurring window needs timeZone, e.g. Europe/Berlin");
            }
            days = Set.copyOf(EnumSet.copyOf(days));
        }
    }

    public boolean recurring() {
        return startsAtMs == null;
    }

    /** Whether the window is open at {@code at}. */
    public boolean covers(Instant at) {
        return openingCovering(at) != null;
    }

    /** When the occurrence open at {@code at} closes, or null when none is open. */
    public Instant endOfOccurrence(Instant at) {
        Instant start = openingCovering(at);
        if (start == null) {
            return null;
        }
        return recurring() ? start.plus(Duration.ofMinutes(durationMinutes)) : Instant.ofEpochMilli(endsAtMs);
    }

    private Instant openingCovering(Instant at) {
        if (!recurring()) {
            long t = at.toEpochMilli();
            return t >= startsAtMs && t < endsAtMs ? Instant.ofEpochMilli(startsAtMs) : null;
        }
        Duration length = Duration.ofMinutes(durationMinutes);
        LocalDate today = at.atZone(zone).toLocalDate();
        // Occurrences that started up to the window's length (at most a week) before today may still be open.
        long lookBackDays = length.toDays() + 1;
        for (long back = 0; back <= lookBackDays; back++) {
            LocalDate day = today.minusDays(back);
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            Instant start = ZonedDateTime.of(day, startTime, zone).toInstant();
            if (!at.isBefore(start) && at.isBefore(start.plus(length))) {
                return start;
            }
        }
        return null;
    }
}
