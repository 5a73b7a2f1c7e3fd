package dev.servmon.hub.auth;

import dev.servmon.hub.api.RateLimiter;
import dev.servmon.hub.api.RequestLimits;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down password and code guessing: each failed sign-in takes a token from the bucket of
 * the client address and from the bucket of the username; while either is empty, every
 * attempt for that address or username is refused with 429 before the password is even
 * checked. Successful sign-ins take nothing, so people who type their password right are never
 * slowed down by their own earlier sign-ins.
 */
public final class LoginThrottle {
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final RateLimiter byAddress;
    private final RateLimiter byUsername;

    /** @param failuresPerMinute failures allowed per address and per username; 0 turns the throttle off */
    public LoginThrottle(int failuresPerMinute) {
        this.byAddress = failuresPerMinute == 0 ? null : RateLimiter.perMinute(failuresPerMinute);
        this.byUsername = failuresPerMinute == 0 ? null : RateLimiter.perMinute(failuresPerMinute);
    }

    /** Throws 429 with {@code Retry-After} while the address or the username is blocked. */
    public void check(String address, String username) {
        if (byAddress == null) {
            return;
        }
        long wait = Math.max(byAddress.waitNanos(address), byUsername.waitNanos(key(username)));
        if (wait > 0) {
            long seconds = RateLimiter.retryAfterSeconds(wait);
            log.info("audit event=login.throttled username={} ip={} retry_after_s={}", clip(username), address, seconds);
            throw RequestLimits.tooMany("too many failed sign-ins; wait " + seconds + " s before trying again", seconds);
        }
    }

    /** Counts a failed attempt against the address and the username. */
    public void failed(String address, String username) {
        if (byAddress == null) {
            return;
        }
        byAddress.tryTake(address);
        byUsername.tryTake(key(username));
    }

    private static String key(String username) {
        return username == null ? "" : clip(username).toLowerCase(Locale.ROOT);
    }

    static String clip(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) : s;
    }
}
