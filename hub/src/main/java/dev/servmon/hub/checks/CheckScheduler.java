package dev.servmon.hub.checks;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enabled checks at their intervals, on the leader replica only.
 *
 * <p>A ticker looks every {@value #TICK_MS} ms at which checks are due (times from the hub's
 * clock) and hands each to a small bounded pool; a check still running is not started again.
 * When the scheduler starts, or this replica becomes leader, each check's first run is spread
 * over its interval (at most {@value #MAX_JITTER_SECONDS} s) so a restart does not fire
 * them all at once; a check just created or changed runs at once. The list of checks is reloaded
 * every {@value #RELOAD_MS} ms, and at once when one changes (here, or on another replica via
 * {@link Checks#CHANNEL}). Push checks are not run; their deadline is looked at every
 * {@value #PUSH_EVERY_SECONDS} s (see {@link Checks#checkPushDeadline}). A check with an
 * {@code agentHostId} is sent to that agent ({@link AgentChecks}); its pool thread waits for the
 * answer at most the check's timeout plus a few seconds, as long as a probe the hub runs itself.
 *
 * <p>The ticker has its own thread rather than being a {@code Leadership} task: the leader's
 * task thread runs maintenance passes that can take seconds, and checks must not wait for them.
 * It asks {@code isLeader} at every tick, so it stops dispatching as soon as leadership is lost.
 */
public final class CheckScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CheckScheduler.class);
    static final long TICK_MS = 500;
    static final long RELOAD_MS = 5_000;
    static final int MAX_JITTER_SECONDS = 30;
    static final int PUSH_EVERY_SECONDS = 10;
    private static final int QUEUE = 256;

    private final Checks checks;
    private final BooleanSupplier isLeader;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService ticker;
    /** Check id → when it is due next (hub clock, ms). */
    private final Map<Long, Long> due = new ConcurrentHashMap<>();
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    /** Changed checks: due at once, and the list is reloaded. */
    private final Set<Long> changed = ConcurrentHashMap.newKeySet();
    private final AtomicLong rejected = new AtomicLong();
    private volatile List<Check> loaded = List.of();
    private volatile long loadedAtNanos;
    private volatile boolean reload = true;
    private boolean wasLeader;

    /**
     * @param threads how many checks may run at the same time
     */
    public CheckScheduler(Checks checks, BooleanSupplier isLeader, int threads) {
        this.checks = checks;
        this.isLeader = isLeader;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "servmon-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "servmon-check-timer");
            t.setDaemon(true);
            return t;
        });
        checks.onChanged(id -> {
            changed.add(id);
            reload = true;
        });
    }

    public void start() {
        ticker.scheduleWithFixedDelay(this::safeTick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.error("check scheduling failed; trying again in {} ms", TICK_MS, e);
        }
    }

    /** One look at what is due (tests call it to skip waiting for the ticker). */
    synchronized void tick() {
        boolean leader = isLeader.getAsBoolean();
        if (!leader) {
            if (wasLeader) {
                log.info("checks paused: this hub is no longer the leader");
                due.clear();
            }
            wasLeader = false;
            return;
        }
        if (!wasLeader) {
            log.info("checks scheduled on this hub (leader)");
            wasLeader = true;
            reload = true;
        }
        if (reload || System.nanoTime() - loadedAtNanos > RELOAD_MS * 1_000_000L) {
            reload = false;
            loaded = checks.store().list();
            loadedAtNanos = System.nanoTime();
        }
        long now = checks.clock().millis();
        Set<Long> present = new HashSet<>();
        for (Check c : loaded) {
            if (!c.enabled()) {
                continue;
            }
            present.add(c.id());
            Long at = due.get(c.id());
            if (changed.remove(c.id())) {
                at = now;
                due.put(c.id(), at);
            } else if (at == null) {
                at = now + jitterMs(c);
                due.put(c.id(), at);
            }
            if (now >= at && !running.contains(c.id())) {
                long every = c.type() == CheckType.PUSH ? Math.min(c.intervalSeconds(), PUSH_EVERY_SECONDS) * 1000L : c.intervalSeconds() * 1000L;
                due.put(c.id(), now + every);
                submit(c);
            }
        }
        due.keySet().retainAll(present);
        changed.retainAll(present);
    }

    private void submit(Check c) {
        running.add(c.id());
        try {
            pool.execute(() -> {
                try {
                    if (c.type() == CheckType.PUSH) {
                        checks.checkPushDeadline(c);
                    } else {
                        checks.run(c);
                    }
                } catch (RuntimeException e) {
                    log.error("check id={} name={} could not be run or stored", c.id(), c.name(), e);
                } finally {
                    running.remove(c.id());
                }
            });
        } catch (RejectedExecutionException e) {
            running.remove(c.id());
            long n = rejected.incrementAndGet();
            if (n == 1 || n % 100 == 0) {
                log.warn("checks skipped because {} are already waiting to run; skipped={} (fewer checks, or longer intervals)", QUEUE, n);
            }
        }
    }

    private static long jitterMs(Check c) {
        long bound = Math.min(c.intervalSeconds(), MAX_JITTER_SECONDS) * 1000L;
        return ThreadLocalRandom.current().nextLong(bound + 1);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
