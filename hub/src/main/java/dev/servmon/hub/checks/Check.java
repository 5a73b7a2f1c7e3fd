package dev.servmon.hub.checks;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A stored, validated check.
 *
 * @param hostId the host whose page shows the check, or null
 * @param agentHostId the host whose agent runs the check (the {@code check.run} command), or null
 *     for the hub
 * @param publicOnStatusPage shown (name, up/down, uptime only) on the public status page
 */
public record Check(
        long id,
        String name,
        CheckType type,
        Long hostId,
        Long agentHostId,
        int intervalSeconds,
        int timeoutSeconds,
        boolean enabled,
        @JsonProperty("public") boolean publicOnStatusPage,
        CheckSettings settings,
        long createdAtMs) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_GRACE_SECONDS = 60;

    /**
     * What the check looks at, for tables: a URL, {@code host:port}, a name, a JDBC URL without
     * its parameters (they may hold a password), a path; never a secret.
     */
    public String target() {
        var s = settings;
        return switch (type) {
            case HTTP -> s.url();
            case TCP -> HostPort.format(s.host(), s.port());
            case DNS -> s.dnsName() + " " + (s.recordType() == null ? "A" : s.recordType()) + (s.dnsServer() == null ? "" : " @" + s.dnsServer());
            case PING -> s.host();
            case DATABASE -> withoutParameters(s.jdbcUrl());
            case DIRECTORY -> s.path() + (s.glob() == null ? "" : "/" + s.glob());
            case PUSH -> "push";
            case COMMAND -> s.command();
        };
    }

    /** The push deadline: interval + grace, in ms. */
    long pushDeadlineMs() {
        int grace = settings.graceSeconds() == null ? DEFAULT_GRACE_SECONDS : settings.graceSeconds();
        return (intervalSeconds + (long) grace) * 1000L;
    }

    static String withoutParameters(String jdbcUrl) {
        if (jdbcUrl == null) {
            return null;
        }
        int cut = jdbcUrl.length();
        for (char c : new char[] {'?', ';'}) {
            int i = jdbcUrl.indexOf(c);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        // jdbc:postgresql://user:secret@host/db: drop user info too.
        String url = jdbcUrl.substring(0, cut);
        int scheme = url.indexOf("//");
        int at = url.indexOf('@');
        if (scheme >= 0 && at > scheme) {
            url = url.substring(0, scheme + 2) + url.substring(at + 1);
        }
        return url;
    }
}
