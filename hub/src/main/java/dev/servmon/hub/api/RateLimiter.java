package dev.servmon.hub.api;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets (bucket4j) per key, in memory, with a bound on how many keys are kept: a flood
 * of new keys (random usernames, random addresses) cannot grow the map without limit. When the
 * map is full, buckets idle for longer than it takes them to refill completely are dropped
 * first (dropping such a bucket loses nothing: a new one starts full), then the least recently
 * used ones.
 */
public final class RateLimiter {
    /** Keys kept at most; a sweep runs when the map grows past it. */
    public static final int DEFAULT_MAX_KEYS = 10_000;

    private final long capacity;
    private final long refillTokens;
    private final Duration refillPeriod;
    private final int maxKeys;
    private final TimeMeter time;
    private final long fullAfterNanos;
    private final Map<String, Entry> buckets = new ConcurrentHashMap<>();

    private static final class Entry {
        final Bucket bucket;
        volatile long lastUsedNanos;

        Entry(Bucket bucket, long now) {
            this.bucket = bucket;
            this.lastUsedNanos = now;
        }
    }

    /**
     * @param capacity tokens a bucket holds (the burst)
     * @param refillTokens tokens added back every {@code refillPeriod}, spread evenly over it
     */
    public RateLimiter(long capacity, long refillTokens, Duration refillPeriod, int maxKeys, TimeMeter time) {
        if (capacity < 1 || refillTokens < 1) {
            throw new IllegalArgumentException("a rate limit needs a capacity and a refill of at least 1, got " + capacity + "/" + refillTokens);
        }
        this.capacity = capacity;
        this.refillTokens = refillTokens;
        this.refillPeriod = refillPeriod;
        this.maxKeys = maxKeys;
        this.time = time;
        this.fullAfterNanos = refillPeriod.toNanos() * ((capacity + refillTokens - 1) / refillTokens);
    }

    /** {@code perSecond} sustained, {@code burst} at once, on the system clock. */
    public static RateLimiter perSecond(int perSecond, int burst) {
        return new RateLimiter(Math.max(burst, perSecond), perSecond, Duration.ofSeconds(1), DEFAULT_MAX_KEYS, TimeMeter.SYSTEM_NANOTIME);
    }

    /** {@code perMinute} in a burst, refilled evenly over a minute, on the system clock. */
    public static RateLimiter perMinute(int perMinute) {
        return new RateLimiter(perMinute, perMinute, Duration.ofMinutes(1), DEFAULT_MAX_KEYS, TimeMeter.SYSTEM_NANOTIME);
    }

    /**
     * Takes a token from {@code key}'s bucket.
     *
     * @return 0 when the request may go ahead, else nanoseconds until a token is back
     */
    public long tryTake(String key) {
        var probe = entry(key).bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /** Like {@link #tryTake} but takes nothing: nanoseconds until a token would be there (0: now). */
    public long waitNanos(String key) {
        Entry e = buckets.get(key);
        if (e == null) {
            return 0;
        }
        var probe = e.bucket.estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /** How many keys have a bucket now. */
    public int size() {
        return buckets.size();
    }

    private Entry entry(String key) {
        long now = time.currentTimeNanos();
        Entry e = buckets.get(key);
        if (e == null) {
            if (buckets.size() >= maxKeys) {
                sweep(now);
            }
            e = buckets.computeIfAbsent(key, k -> new Entry(Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(refillTokens, refillPeriod).build())
                    .withCustomTimePrecision(time)
                    .build(), now));
        }
        e.lastUsedNanos = now;
        return e;
    }

    /** Drops full (idle) buckets; if that is not enough, the least recently used half. */
    private synchronized void sweep(long now) {
        if (buckets.size() < maxKeys) {
            return;
        }
        buckets.values().removeIf(e -> now - e.lastUsedNanos >= fullAfterNanos);
        if (buckets.size() >= maxKeys * 3 / 4) {
            var byAge = buckets.entrySet().stream()
                    .sorted(Comparator.comparingLong(en -> en.getValue().lastUsedNanos))
                    .limit(buckets.size() - maxKeys / 2)
                    .map(Map.Entry::getKey)
                    .toList();
            byAge.forEach(buckets::remove);
        }
    }

    /** Whole seconds, rounded up, for a {@code Retry-After} header. */
    public static long retryAfterSeconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
