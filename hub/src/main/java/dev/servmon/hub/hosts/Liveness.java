package dev.servmon.hub.hosts;

/**
 * Whether a host is reporting. ON while the last report is at most {@code 3 × interval + grace}
 * old, OFF once it is older, EMPTY when the host never reported.
 */
public final class Liveness {
    /** Missed intervals tolerated before a host counts as OFF. */
    public static final int MISSED_INTERVALS = 3;

    private final long graceMs;

    public Liveness(long graceMs) {
        if (graceMs < 0) {
            throw new IllegalArgumentException("liveness grace must be >= 0 ms, got " + graceMs);
        }
        this.graceMs = graceMs;
    }

    public HostStatus status(Long lastSeenAtMs, Integer intervalSeconds, long nowMs) {
        if (lastSeenAtMs == null) {
            return HostStatus.EMPTY;
        }
        return nowMs - lastSeenAtMs <= windowMs(intervalSeconds) ? HostStatus.ON : HostStatus.OFF;
    }

    /** When a host last seen at {@code lastSeenAtMs} turns OFF if nothing more arrives. */
    public long offAtMs(long lastSeenAtMs, Integer intervalSeconds) {
        return lastSeenAtMs + windowMs(intervalSeconds) + 1;
    }

    private long windowMs(Integer intervalSeconds) {
        int interval = intervalSeconds == null || intervalSeconds <= 0 ? 10 : intervalSeconds;
        return MISSED_INTERVALS * interval * 1000L + graceMs;
    }
}
