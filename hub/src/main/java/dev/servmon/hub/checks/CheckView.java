package dev.servmon.hub.checks;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A check as the API and the live stream show it: its fields (the password shown as
 * {@code ********}), what it looks at, its latest result and its uptime.
 *
 * @param uptime24h percentage of UP results in the last 24 hours, null without results
 * @param uptime30d the same over 30 days
 */
public record CheckView(
        long id,
        String name,
        String type,
        Long hostId,
        Long agentHostId,
        int intervalSeconds,
        int timeoutSeconds,
        boolean enabled,
        @JsonProperty("public") boolean publicOnStatusPage,
        CheckSettings settings,
        String target,
        long createdAtMs,
        CheckResult last,
        Double uptime24h,
        Double uptime30d) {

    static CheckView of(Check c, CheckResult last, CheckStore.Uptime uptime) {
        return new CheckView(c.id(), c.name(), c.type().label(), c.hostId(), c.agentHostId(), c.intervalSeconds(), c.timeoutSeconds(),
                c.enabled(), c.publicOnStatusPage(), c.settings().redacted(), c.target(), c.createdAtMs(), last, uptime.percent24h(),
                uptime.percent30d());
    }
}
