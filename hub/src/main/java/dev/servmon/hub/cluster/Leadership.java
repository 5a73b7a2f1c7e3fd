package dev.servmon.hub.cluster;

import dev.servmon.hub.storage.Database;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which hub replica runs the singleton work — packing, rollups and retention today, alert
 * evaluation later — and the threads that run it there.
 *
 * <p>On PostgreSQL the replicas elect a leader with a session-level advisory lock
 * ({@link AdvisoryLock}): a keeper thread tries to take it every lock interval, and once
 * leader, checks every interval that it still holds it. A replica that dies or loses its
 * session loses the lock at once, and another takes it at its next try, so a new leader runs
 * within two intervals. On SQLite there is one hub, always the leader.
 *
 * <p>Leader-only tasks ({@link #schedule}) run one after the other on a worker thread, only
 * while this replica leads, and must write through {@link #database()}: on PostgreSQL that is the
 * lock's own session, so nothing they do can commit once the lock is gone — a task cut off in
 * the middle rolls back, and its work must be idempotent so that the next leader simply redoes
 * it. Tasks should keep transactions short: the leader session is ended by PostgreSQL after
 * three intervals idle inside a transaction.
 */
public final class Leadership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    /** What a replica is, for {@code /healthz} and load balancers. */
    public enum Role {
        LEADER, FOLLOWER;

        /** {@code leader} or {@code follower}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final class Task {
        final String name;
        final long everyNanos;
        final Runnable body;
        volatile long dueNanos;

        Task(String name, Duration every, Runnable body) {
            this.name = name;
            this.everyNanos = every.toNanos();
            this.body = body;
        }
    }

    private final LeaderLock lock;
    private final long checkEveryMs;
    private final List<Task> tasks = new CopyOnWriteArrayList<>();
    /** Wakes the worker (a new term, a new task). */
    private final Object signal = new Object();
    /** Wakes the keeper (a task saw the session fail: check now). */
    private final Object checkNow = new Object();
    private final Thread keeper;
    private final Thread worker;
    private volatile boolean running = true;
    private volatile boolean leader;
    /** Counts terms, so the worker notices a new one even if it missed the loss in between. */
    private volatile long term;
    /** A task saw the leader session fail; no task runs until the keeper has checked. */
    private volatile boolean suspect;

    private Leadership(LeaderLock lock, Duration checkEvery) {
        this.lock = lock;
        this.checkEveryMs = checkEvery.toMillis();
        this.keeper = new Thread(this::keep, "servmon-leader-election");
        this.worker = new Thread(this::work, "servmon-leader-tasks");
        for (Thread t : List.of(keeper, worker)) {
            t.setDaemon(true);
        }
        worker.setPriority(Thread.NORM_PRIORITY - 1);
    }

    /**
     * Leadership over {@code db}: on PostgreSQL ({@link Database#isShared()}) by advisory lock,
     * tried and checked every {@code lockInterval}; on SQLite as the only hub. Nothing happens
     * before {@link #start}, so tasks can be scheduled first.
     */
    public static Leadership over(Database db, Duration lockInterval) {
        return new Leadership(db.isShared() ? new AdvisoryLock(db, lockInterval) : new SoleHub(db), lockInterval);
    }

    /** Takes part in the election; the first try happens before this returns, so a lone hub leads once it is up. */
    public void start() {
        check();
        keeper.start();
        worker.start();
    }

    /**
     * Runs {@code task} every {@code every} on the leader, first {@code every} after this replica
     * becomes leader. A failing run is logged and retried at the next interval.
     */
    public void schedule(String name, Duration every, Runnable task) {
        Task t = new Task(name, every, task);
        t.dueNanos = System.nanoTime() + t.everyNanos;
        tasks.add(t);
        wake();
    }

    /** The database leader-only tasks write through (on PostgreSQL: the lock's session). */
    public Database database() {
        return lock.database();
    }

    public boolean isLeader() {
        return leader;
    }

    public Role role() {
        return leader ? Role.LEADER : Role.FOLLOWER;
    }

    private void keep() {
        while (running) {
            synchronized (checkNow) {
                try {
                    if (!suspect) {
                        checkNow.wait(checkEveryMs);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (running) {
                check();
            }
        }
    }

    private synchronized void check() {
        suspect = false;
        if (leader) {
            if (!lock.stillHeld()) {
                leader = false;
                lock.release();
                log.warn("leadership lost: this hub stopped its leader-only tasks; another replica takes over ({})", lock.describe());
            }
        } else if (lock.tryAcquire()) {
            long now = System.nanoTime();
            tasks.forEach(t -> t.dueNanos = now + t.everyNanos);
            term++;
            leader = true;
            log.info("leadership acquired: this hub runs the leader-only tasks {} ({})",
                    tasks.stream().map(t -> t.name).toList(), lock.describe());
            wake();
        }
    }

    private void work() {
        while (running) {
            long now = System.nanoTime();
            long waitNanos = TimeUnit.MILLISECONDS.toNanos(checkEveryMs);
            if (leader && !suspect) {
                long myTerm = term;
                for (Task t : tasks) {
                    if (!running || !leader || suspect || term != myTerm) {
                        break;
                    }
                    if (now - t.dueNanos >= 0) {
                        run(t);
                        t.dueNanos = System.nanoTime() + t.everyNanos;
                    }
                    waitNanos = Math.min(waitNanos, t.dueNanos - System.nanoTime());
                }
            }
            if (waitNanos > 0) {
                synchronized (signal) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(signal, waitNanos);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private void run(Task t) {
        try {
            t.body.run();
        } catch (RuntimeException e) {
            if (Database.connectionLost(e)) {
                // Nothing of the task committed after the failure; the keeper decides at once
                // whether this hub still leads.
                log.warn("leader-only task {} stopped: the leader session failed ({}); checking leadership now", t.name,
                        rootMessage(e));
                suspect = true;
                synchronized (checkNow) {
                    checkNow.notifyAll();
                }
            } else {
                log.error("leader-only task {} failed; it runs again in {} ms", t.name, t.everyNanos / 1_000_000, e);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Stops the tasks (a run in progress is interrupted or finishes), then lets go of the lock. */
    @Override
    public void close() {
        running = false;
        keeper.interrupt();
        worker.interrupt();
        try {
            if (keeper.isAlive()) {
                keeper.join(5_000);
            }
            if (worker.isAlive()) {
                worker.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (leader) {
                leader = false;
                lock.release();
                log.info("leadership released: this hub is stopping");
            }
        }
    }
}
