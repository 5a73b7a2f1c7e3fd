package dev.servmon.hub.power;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

/**
 * A host's idle policy: shut it down (or suspend it) when its CPU stayed below
 * {@code cpuBelowPercent} in every minute, with nobody logged in, for {@code noUsersMinutes},
 * unless it is protected: in a maintenance window ({@code useMaintenanceWindows}) or within the
 * daily protected hours ({@code protectedFrom} to {@code protectedTo} in {@code zone}; a span
 * past midnight such as 22:00–06:00 is allowed).
 *
 * @param actedAtMs when the policy last acted; it waits for the host to be seen OFF and then ON
 *     again before it may act again (null: it may act)
 * @param offSeenAtMs after acting: when the host was first seen OFF, or null
 */
public record IdlePolicy(long hostId, boolean enabled, double cpuBelowPercent, int noUsersMinutes, String action,
                         boolean useMaintenanceWindows, LocalTime protectedFrom, LocalTime protectedTo, ZoneId zone,
                         Long actedAtMs, Long offSeenAtMs, String updatedBy, long updatedAtMs) {
    public static final Set<String> ACTIONS = Set.of("shutdown", "suspend");
    public static final int MAX_MINUTES = 24 * 60;

    public IdlePolicy {
        if (!(cpuBelowPercent > 0 && cpuBelowPercent <= 100)) {
            throw new IllegalArgumentException("cpuBelowPercent must be above 0 and at most 100, got " + cpuBelowPercent);
        }
        if (noUsersMinutes < 1 || noUsersMinutes > MAX_MINUTES) {
            throw new IllegalArgumentException("noUsersMinutes must be between 1 and " + MAX_MINUTES + ", got " + noUsersMinutes);
        }
        if (action == null || !ACTIONS.contains(action)) {
            throw new IllegalArgumentException("action must be shutdown or suspend, got '" + action + "'");
        }
        if ((protectedFrom == null) != (protectedTo == null)) {
            throw new IllegalArgumentException("protected hours need both protectedFrom and protectedTo (HH:MM), or neither");
        }
        if (protectedFrom != null && protectedFrom.equals(protectedTo)) {
            throw new IllegalArgumentException("protectedFrom and protectedTo must differ");
        }
        if (protectedFrom != null && zone == null) {
            throw new IllegalArgumentException("protected hours need timeZone, e.g. Europe/Berlin");
        }
    }

    /** A policy for a host that has none: off, with settings a person would start from. */
    public static IdlePolicy defaults(long hostId) {
        return new IdlePolicy(hostId, false, 5, 30, "shutdown", true, null, null, null, null, null, null, 0);
    }

    /** Whether {@code at} falls within the daily protected hours. */
    public boolean inProtectedHours(Instant at) {
        if (protectedFrom == null) {
            return false;
        }
        LocalTime t = at.atZone(zone).toLocalTime();
        return protectedFrom.isBefore(protectedTo)
                ? !t.isBefore(protectedFrom) && t.isBefore(protectedTo)
                : !t.isBefore(protectedFrom) || t.isBefore(protectedTo);
    }
}
