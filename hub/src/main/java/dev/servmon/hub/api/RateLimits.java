package dev.servmon.hub.api;

/**
 * How fast callers may go, per key (docs/security.md, "Rate limits"). A value of 0 turns that
 * limit off.
 *
 * @param loginFailuresPerMinute failed sign-ins allowed per client address and, separately, per
 *     username, refilled evenly over a minute; further attempts get 429 until the bucket refills
 * @param apiPerSecond sustained API requests per principal (session user or API token;
 *     anonymous callers per address)
 * @param apiBurst API requests a principal may make at once before the sustained rate applies
 * @param ingestPerSecond sustained ingest requests per host key
 * @param ingestBurst ingest requests one host key may make at once
 */
public record RateLimits(int loginFailuresPerMinute, int apiPerSecond, int apiBurst, int ingestPerSecond, int ingestBurst) {
    /**
     * The defaults. An agent sends one request per interval (1 s at the fastest) and replays a
     * backlog in batches paced to one request per second at the default replay rate, so 10/s
     * with a burst of 60 never touches a working agent.
     */
    public static final RateLimits DEFAULTS = new RateLimits(5, 50, 200, 10, 60);
    /** No limits at all (benchmarks, tests of other things). */
    public static final RateLimits OFF = new RateLimits(0, 0, 0, 0, 0);

    /** Throws IllegalArgumentException naming the flag to fix. */
    public RateLimits validate() {
        check("--login-limit-per-minute", loginFailuresPerMinute, 1_000);
        check("--api-limit-per-second", apiPerSecond, 1_000_000);
        check("--api-limit-burst", apiBurst, 1_000_000);
        check("--ingest-limit-per-second", ingestPerSecond, 1_000_000);
        check("--ingest-limit-burst", ingestBurst, 1_000_000);
        return this;
    }

    private static void check(String flag, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("servmon: " + flag + " must be between 0 (off) and " + max + ", got " + value);
        }
    }
}
