package dev.servmon.agent.programs;

import dev.servmon.agent.Log;
import dev.servmon.agent.outbox.AtomicFile;
import dev.servmon.agent.transport.Json;
import dev.servmon.protocol.ProgramSpec;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Supervises the programs defined for this host: starts them, restarts them by their policy with
 * exponential backoff until too many restarts within the window make it give up, restarts them
 * when their health check keeps failing, stops them with their stop signal and then KILL, and
 * re-adopts them when the agent starts again (they keep running while it is down; see
 * {@link Launcher} and docs/programs.md). A program it has no record of (the state directory was
 * lost) is looked for among the running processes by its wrapper's marks ({@link OrphanScan})
 * before a second copy is started.
 *
 * <p>One thread, {@code servmon-programs}, does all of it on a tick ({@link Options#tickMs()});
 * it sleeps without waking while nothing is defined. Health checks run on one more thread, made
 * when the first check is due. Commands from the hub (start, stop, …) and the agent's collector
 * (status for each sample) take the same lock; everything a program's state machine holds is
 * guarded by it.
 *
 * <p>Files, under {@code <state dir>}: {@value #SPECS_FILE} (the desired set, so programs
 * autostart after a reboot while the hub is unreachable) and {@code programs/<name>/}: {@code
 * out.log*} (output), {@code status} ({@link RunRecord}), {@code exit} (written by the wrapper).
 */
public final class Supervisor implements AutoCloseable {
    private static final Log log = Log.get(Supervisor.class);
    /** The desired programs and watched units, in the state directory. */
    public static final String SPECS_FILE = "programs.json";
    /** Per-program directories, in the state directory. */
    public static final String PROGRAMS_DIR = "programs";
    /** Events kept for the next samples; past this the oldest are dropped (and counted). */
    static final int MAX_EVENTS = 1_000;
    /** Exit status reported for a program ended by KILL when its wrapper could not record it. */
    static final int KILLED_STATUS = 128 + 9;

    /**
     * Tuning.
     *
     * @param tickMs how often running programs are looked at (exits of the agent's own children wake it at once)
     * @param logMaxBytes size at which {@code out.log} is rotated
     * @param logKeep rotated files kept
     * @param unitRefreshMs how often watched units' states are read
     */
    public record Options(long tickMs, long logMaxBytes, int logKeep, long unitRefreshMs) {
        public static final Options DEFAULTS = new Options(1_000, 5L << 20, 3, 10_000);
    }

    /** What to do once a stopping program has exited. */
    private enum AfterStop { NOTHING, RESTART, RESPEC, HEALTH, REMOVE }

    private final Path stateDir;
    private final Options options;
    private final LongSupplier clock;
    private final ProcInfo proc;
    private final Launcher launcher;
    private final UnitWatcher units;
    private final String bootId;
    private final String owner;
    private final OrphanScan orphans;
    /** The wrappers found by the scan of the current start() or apply(), by name; null when none ran yet. */
    private Map<String, List<OrphanScan.Wrapper>> scanned;
    private boolean scanUnsupportedLogged;
    /** Extra copies of an adopted program, sent their stop signal, KILLed if still there at their deadline. */
    private final List<Stray> strays = new ArrayList<>(0);
    /** How long a start's answer waits for the wrapper to fork the program (see {@link #awaitProgramPid}). */
    private static final long PROGRAM_PID_WAIT_MS = 500;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final ArrayDeque<QueuedEvent> events = new ArrayDeque<>();
    private long eventCount;
    private long droppedEvents;
    /**
     * The hub's revision of the set in {@link #runs} (0: unknown, or never sent); saved with it.
     * Written under the lock; volatile so the command channel reads it without waiting for it.
     */
    private volatile long revision;
    private HealthChecker checker;
    private Thread thread;
    private volatile boolean closed;

    private record QueuedEvent(long n, Sample.ProgramEvent event) {}

    private record Stray(String program, long pid, long startTicks, long killAtMs) {}

    /**
     * A supervisor for the programs of the agent whose state directory is {@code stateDir};
     * {@link #start()} adopts or starts them.
     *
     * @param owner the agent's identity, {@link #ownerOf} its host key: marked on every program's
     *     wrapper, so that the agent recognises its programs after losing its state directory,
     *     and never adopts another agent's
     */
    public Supervisor(Path stateDir, Options options, UnitWatcher units, String owner) {
        this(stateDir, options, units, owner, ProcInfo.linux(), OrphanScan.linux(), System::currentTimeMillis);
    }

    Supervisor(Path stateDir, Options options, UnitWatcher units, String owner, ProcInfo proc, OrphanScan orphans, LongSupplier clock) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("the supervisor needs the agent's identity (Supervisor.ownerOf(hostKey)); got none");
        }
        this.stateDir = stateDir;
        this.options = options;
        this.units = units;
        this.owner = owner;
        this.proc = proc;
        this.orphans = orphans;
        this.clock = clock;
        this.bootId = proc.bootId();
        this.launcher = new Launcher(System.getenv("PATH"), proc.isRoot(), owner);
    }

    /**
     * The identity an agent with {@code hostKey} marks its programs with: a hash of the key (it
     * survives a reinstall, as the key is given again; the state directory does not), never the key.
     */
    public static String ownerOf(String hostKey) {
        return WrapperMarks.owner(hostKey);
    }

    /**
     * Loads the desired programs from {@value #SPECS_FILE}, re-adopts those still running from
     * the agent's previous life, learns how the others ended, autostarts the rest (after a reboot,
     * or the first time), and starts the supervising thread.
     *
     * @throws IOException when {@value #SPECS_FILE} exists but cannot be read or is invalid (the message says which)
     */
    public void start() throws IOException {
        SavedSet saved = loadSaved();
        lock.lock();
        try {
            revision = saved.revision();
            units.watch(saved.units());
            long now = clock.getAsLong();
            for (ProgramSpec spec : saved.programs()) {
                Run r = new Run(spec);
                runs.put(spec.name(), r);
                resume(r, now);
            }
            thread = new Thread(this::loop, "servmon-programs");
            thread.setDaemon(true);
            thread.start();
        } finally {
            endScan();
            lock.unlock();
        }
    }

    // ---- commands -------------------------------------------------------------------------

    /** {@link #apply(List, long)} from a hub that sends no revision (its revision is then unknown: 0). */
    public String apply(List<ProgramSpec> specs) throws IOException {
        return apply(specs, 0);
    }

    /**
     * Makes {@code specs} the desired set: adds (and autostarts) new programs, updates changed
     * ones (restarting a running one when how it is launched changed), stops and forgets removed
     * ones; saves the set with the hub's {@code revision} of it. A program whose spec is equal to
     * the one it runs with is left alone, so the hub may send the set it already has (it does
     * when the agent reconnects with another revision) without restarting anything.
     *
     * @return a summary for people, e.g. "3 programs: 1 added, 1 changed, 1 removed"
     * @throws IOException when the set cannot be saved
     */
    public String apply(List<ProgramSpec> specs, long revision) throws IOException {
        lock.lock();
        try {
            this.revision = revision;
            long now = clock.getAsLong();
            Set<String> wanted = new HashSet<>();
            specs.forEach(s -> wanted.add(s.name()));
            int added = 0;
            int adopted = 0;
            int updated = 0;
            int removed = 0;
            for (Run r : new ArrayList<>(runs.values())) {
                if (!wanted.contains(r.spec.name()) && r.afterStop != AfterStop.REMOVE) {
                    removed++;
                    if (r.state.hasProcess()) {
                        beginStop(r, AfterStop.REMOVE, now);
                    } else {
                        forget(r);
                    }
                }
            }
            for (ProgramSpec spec : specs) {
                Run r = runs.get(spec.name());
                if (r == null) {
                    r = new Run(spec);
                    runs.put(spec.name(), r);
                    added++;
                    if (adoptOrphan(r, now)) {
                        adopted++;
                    } else if (spec.autostart()) {
                        launch(r, now, "started", "started: defined with autostart");
                    }
                } else if (r.afterStop == AfterStop.REMOVE) {
                    // Removed and defined again before it stopped: it comes back as defined now.
                    r.spec = spec;
                    r.afterStop = spec.autostart() ? AfterStop.RESPEC : AfterStop.NOTHING;
                    added++;
                } else if (!r.spec.equals(spec)) {
                    boolean relaunch = !sameLaunch(r.spec, spec);
                    r.spec = spec;
                    updated++;
                    if (relaunch && r.state.hasProcess()) {
                        beginStop(r, AfterStop.RESPEC, now);
                    }
                }
            }
            save();
            changed.signalAll();
            return runs.size() - removed + " programs: " + added + " added, " + updated + " changed, " + removed + " removed"
                    + (adopted > 0 ? ", " + adopted + " found running and adopted" : "");
        } finally {
            endScan();
            lock.unlock();
        }
    }

    /**
     * Starts a program that is not running (also one that gave up), with its restart count reset.
     *
     * @return what happened, e.g. "started, pid 1234"
     * @throws IllegalArgumentException when no program has that name
     * @throws IllegalStateException when it cannot be started (the message says why)
     */
    public String start(String name) throws InterruptedException {
        lock.lock();
        try {
            Run r = find(name);
            if (r.state.hasProcess()) {
                return name + " is already " + r.state.name().toLowerCase(java.util.Locale.ROOT) + ", pid " + r.displayPid();
            }
            r.startedByHand();
            launch(r, clock.getAsLong(), "started", "started on request");
            if (r.state == ProgramState.FAILED) {
                throw new IllegalStateException(r.message);
            }
            changed.signalAll();
            return "started " + name + ", pid " + awaitProgramPid(r);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops a program with its stop signal, then KILL after its stop timeout, and waits for it.
     *
     * @return what happened, e.g. "stopped after SIGTERM in 0.4 s"
     * @throws IllegalArgumentException when no program has that name
     * @throws InterruptedException when interrupted while waiting
     */
    public String stop(String name) throws InterruptedException {
        lock.lock();
        try {
            Run r = find(name);
            long now = clock.getAsLong();
            if (r.state == ProgramState.BACKOFF) {
                r.state = ProgramState.STOPPED;
                r.message = "stopped on request while waiting to restart";
                event(r, "stopped", r.exitCode, r.message, now);
                persist(r);
                return name + " was waiting to restart; it stays stopped";
            }
            if (!r.state.hasProcess()) {
                return name + " is not running (" + r.state.name().toLowerCase(java.util.Locale.ROOT) + ")";
            }
            beginStop(r, AfterStop.NOTHING, now);
            awaitStopped(r);
            return r.state == ProgramState.STOPPING ? name + " is still stopping" : stopSummary(r, name, now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops a running program (as {@link #stop}) and starts it again; starts one that is not running.
     *
     * @return what happened, e.g. "restarted web, pid 1240"
     * @throws IllegalArgumentException when no program has that name
     * @throws IllegalStateException when it cannot be started again
     * @throws InterruptedException when interrupted while waiting for it to stop
     */
    public String restart(String name) throws InterruptedException {
        lock.lock();
        try {
            Run r = find(name);
            if (!r.state.hasProcess()) {
                return start(name);
            }
            long now = clock.getAsLong();
            r.startedByHand();
            beginStop(r, AfterStop.RESTART, now);
            awaitStopped(r);
            if (r.state == ProgramState.FAILED) {
                throw new IllegalStateException(r.message);
            }
            if (r.state == ProgramState.STOPPING) {
                return name + " is still stopping; it starts again once it has stopped";
            }
            return "restarted " + name + ", pid " + awaitProgramPid(r);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The last {@code lines} lines of a program's output, oldest first.
     *
     * @throws IllegalArgumentException when no program has that name
     */
    public List<String> tail(String name, int lines) throws IOException {
        LogFiles logs;
        lock.lock();
        try {
            logs = find(name).logs;
        } finally {
            lock.unlock();
        }
        return logs.tail(lines);
    }

    /** Watches these systemd units / Windows services (replacing the list) and saves the list. */
    public void watchUnits(List<String> names) throws IOException {
        lock.lock();
        try {
            units.watch(names);
            save();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The hub's revision of the desired set this agent holds (as saved with it; 0 when unknown),
     * reported when the command channel connects so the hub can send the set again if it differs.
     */
    public long revision() {
        return revision;
    }

    /** The unit backend (systemd or Windows services), for the {@code unit.*} commands. */
    public UnitWatcher units() {
        return units;
    }

    /**
     * Stops every program and waits up to their stop timeouts (for an uninstall, and tests);
     * an agent that merely stops leaves them running.
     */
    public void stopAll() throws InterruptedException {
        lock.lock();
        try {
            long now = clock.getAsLong();
            for (Run r : runs.values()) {
                if (r.state == ProgramState.BACKOFF) {
                    r.state = ProgramState.STOPPED;
                    persist(r);
                } else if (r.state.hasProcess()) {
                    beginStop(r, AfterStop.NOTHING, now);
                }
            }
            for (Run r : new ArrayList<>(runs.values())) {
                awaitStopped(r);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- reporting -------------------------------------------------------------------------

    /** Every program and watched unit as it is now, with CPU since the previous call. */
    public List<Sample.Program> status() {
        List<Sample.Program> out;
        lock.lock();
        try {
            if (runs.isEmpty() && !units.any()) {
                return List.of(); // the common case, once per sample: nothing to allocate
            }
            out = new ArrayList<>();
            long now = clock.getAsLong();
            for (Run r : runs.values()) {
                out.add(r.report(now));
            }
        } finally {
            lock.unlock();
        }
        out.addAll(units.report());
        return out;
    }

    /** Events not yet acknowledged by {@link #eventsTaken}, oldest first, with the number to acknowledge them by. */
    public Pending pendingEvents() {
        lock.lock();
        try {
            if (events.isEmpty()) {
                return NO_EVENTS;
            }
            List<Sample.ProgramEvent> list = new ArrayList<>(events.size());
            events.forEach(q -> list.add(q.event()));
            return new Pending(list, events.isEmpty() ? 0 : events.peekLast().n());
        } finally {
            lock.unlock();
        }
    }

    /** Events as returned by {@link #pendingEvents}, and through which number they may be forgotten. */
    public record Pending(List<Sample.ProgramEvent> events, long through) {}

    private static final Pending NO_EVENTS = new Pending(List.of(), 0);

    /** Forgets the events through {@code through}: they are in a sample in the outbox. */
    public void eventsTaken(long through) {
        lock.lock();
        try {
            while (!events.isEmpty() && events.peekFirst().n() <= through) {
                events.pollFirst();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops supervising; the programs keep running and are re-adopted by the next start. */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (checker != null) {
            checker.close();
        }
    }

    // ---- the state machine ----------------------------------------------------------------

    private void loop() {
        lock.lock();
        try {
            while (!closed) {
                try {
                    tick(clock.getAsLong());
                } catch (RuntimeException e) {
                    log.error("servmon agent: supervising programs failed; trying again on the next tick", e);
                }
                changed.signalAll();
                if (runs.isEmpty() && !units.any()) {
                    changed.await();
                } else {
                    changed.await(options.tickMs(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void tick(long now) {
        for (Run r : new ArrayList<>(runs.values())) {
            if (r.state.hasProcess()) {
                if (!r.alive()) {
                    exited(r, now);
                    continue;
                }
                if (r.programPid <= 0) {
                    r.programPid = proc.firstChild(r.pid);
                }
                if (r.state == ProgramState.STARTING && now - r.startedAtMs >= ms(r.spec.startSeconds())) {
                    r.state = ProgramState.RUNNING;
                    r.failuresInRow = 0;
                    persist(r);
                }
                if (r.state == ProgramState.STOPPING && !r.killed && now >= r.stopDeadlineMs) {
                    log.warn("servmon agent: program {} did not stop within {} s of SIG{}; killing it", r.spec.name(),
                            r.spec.stopTimeoutSeconds(), r.spec.stopSignal());
                    signal(r, "KILL");
                    r.killed = true;
                }
                if (r.state != ProgramState.STOPPING && r.spec.healthCheck() != null && !r.checking && now >= r.nextCheckAtMs) {
                    check(r);
                }
            } else if (r.state == ProgramState.BACKOFF && now >= r.nextStartAtMs) {
                r.restartTimes.addLast(now);
                r.restarts++;
                launch(r, now, "restarted", r.message);
            }
        }
        if (!strays.isEmpty()) {
            reapStrays(now);
        }
        for (Run r : runs.values()) {
            // One stat(2) per program and tick.
            try {
                r.logs.rotateIfLarge();
            } catch (IOException e) {
                log.warn("servmon agent: cannot rotate the output of program {} in {}: {}", r.spec.name(), r.logs.current(), e.toString());
            }
        }
        units.refreshIfDue(now, options.unitRefreshMs());
    }

    /** Brings a program back after the agent started: adopt it, learn how it ended, or autostart it. */
    private void resume(Run r, long now) {
        RunRecord rec;
        try {
            rec = RunRecord.read(r.dir);
        } catch (IOException e) {
            log.warn("servmon agent: cannot read {} ({}); program {} starts afresh", r.dir.resolve(RunRecord.FILE), e.toString(), r.spec.name());
            rec = null;
        }
        boolean sameBoot = rec != null && !bootId.isEmpty() && bootId.equals(rec.bootId());
        ProgramState was = rec == null ? ProgramState.STOPPED : stateOf(rec.state());
        if (sameBoot) {
            r.restarts = rec.restarts();
            r.exitCode = rec.exitCode();
            if (rec.exitFile() != null) {
                r.exitFile = Path.of(rec.exitFile());
            }
        }
        if (sameBoot && rec.pid() > 0 && was.hasProcess()) {
            r.pid = rec.pid();
            r.startTicks = rec.startTicks();
            r.startedAtMs = rec.startedAtMs();
            r.state = was;
            r.generation++;
            if (proc.isSame(rec.pid(), rec.startTicks())) {
                r.message = "adopted after an agent restart";
                r.nextCheckAtMs = now + healthIntervalMs(r);
                if (was == ProgramState.STOPPING) {
                    // The agent died while stopping it: finish the stop.
                    r.stopDeadlineMs = now + ms(r.spec.stopTimeoutSeconds());
                }
                log.info("servmon agent: program {} (pid {}) still runs; adopted", r.spec.name(), rec.pid());
            } else {
                log.info("servmon agent: program {} (pid {}) ended while the agent was not running", r.spec.name(), rec.pid());
                exited(r, now);
            }
        } else if (sameBoot && was == ProgramState.BACKOFF) {
            r.state = ProgramState.BACKOFF;
            r.nextStartAtMs = now;
            r.message = "restarting after an agent restart";
        } else if (sameBoot && !was.hasProcess()) {
            r.state = was;
        } else if (rec == null && adoptOrphan(r, now)) {
            // Its record was lost, not the program.
        } else if (r.spec.autostart()) {
            launch(r, now, "started", "started: autostart");
        }
    }

    // ---- programs found running without a record -----------------------------------------

    /**
     * Adopts the running wrapper of {@code r}'s program that this agent's earlier life started,
     * found by its marks, when there is one: the newest, when there are more (the others are
     * stopped: two copies of a program are what supervision must prevent). A copy launched
     * with another definition is stopped and the program started again as now defined.
     *
     * @return whether one was found (then {@code r} has its process)
     */
    private boolean adoptOrphan(Run r, long now) {
        List<OrphanScan.Wrapper> copies = scan().remove(r.spec.name());
        if (copies == null) {
            return false;
        }
        copies.removeIf(w -> heldElsewhere(r, w));
        if (copies.isEmpty()) {
            return false;
        }
        OrphanScan.Wrapper w = copies.get(0);
        r.begin(null, w.pid(), w.startTicks(), w.exitFile(), ProgramState.RUNNING, proc.startedAtMs(w.startTicks(), now), now);
        // Recreates the program's directory: a wrapper of this same state directory can record its exit status again.
        persist(r);
        Path exitDir = w.exitFile().getParent();
        boolean exitKnown = exitDir != null && Files.isDirectory(exitDir);
        StringBuilder why = new StringBuilder("adopted: found running without the agent's records (state directory lost?)");
        if (!exitKnown) {
            why.append("; its exit status will not be known: ").append(exitDir).append(" no longer exists");
        }
        if (proc.outputDeleted(w.pid())) {
            why.append("; its output goes to a deleted out.log until it is restarted");
        }
        r.message = why.toString();
        log.info("servmon agent: program {} (pid {}) {}", r.spec.name(), w.pid(), r.message);
        for (int i = 1; i < copies.size(); i++) {
            stopStray(r, copies.get(i), w.pid(), now);
        }
        if (!w.launch().equals(WrapperMarks.fingerprint(r.spec))) {
            r.message = "found running without the agent's records, launched with another definition: restarting it as now defined";
            log.info("servmon agent: program {} (pid {}) {}", r.spec.name(), w.pid(), r.message);
            beginStop(r, AfterStop.RESPEC, now);
        }
        return true;
    }

    /**
     * Whether another state directory still records {@code w} (its exit file's directory has a
     * status naming its pid and start time): then it is that directory's agent's (one started with
     * the same key: a second agent, or a reinstall next to the old directory), not an orphan, and
     * is left alone. When that cannot be read, it is left alone too.
     */
    private boolean heldElsewhere(Run r, OrphanScan.Wrapper w) {
        Path wrapperDir = w.exitFile().getParent();
        if (wrapperDir == null || wrapperDir.equals(r.dir)) {
            return false;
        }
        try {
            RunRecord rec = RunRecord.read(wrapperDir);
            if (rec == null || rec.pid() != w.pid() || rec.startTicks() != w.startTicks()) {
                return false;
            }
            log.info("servmon agent: program {}: a running copy (wrapper pid {}) is recorded in {}, another state directory: left alone",
                    r.spec.name(), w.pid(), wrapperDir);
        } catch (IOException e) {
            log.warn("servmon agent: program {}: a running copy (wrapper pid {}) may be recorded in {}, which cannot be read ({}): "
                    + "left alone", r.spec.name(), w.pid(), wrapperDir, e.toString());
        }
        return true;
    }

    /** The wrappers of this agent found running, by program name; one pass over /proc per start() or apply(), when needed. */
    private Map<String, List<OrphanScan.Wrapper>> scan() {
        if (scanned != null) {
            return scanned;
        }
        scanned = new HashMap<>();
        if (!orphans.supported()) {
            if (!scanUnsupportedLogged) {
                scanUnsupportedLogged = true;
                log.info("servmon agent: no /proc on this system: programs left running by an agent that lost its records cannot be "
                        + "recognised, so they are started anew");
            }
            return scanned;
        }
        try {
            scanned = orphans.find(owner, proc);
            for (Run r : runs.values()) {
                // A wrapper this supervisor already knows is nobody's orphan.
                if (r.state.hasProcess()) {
                    List<OrphanScan.Wrapper> l = scanned.get(r.spec.name());
                    if (l != null) {
                        l.removeIf(w -> w.pid() == r.pid);
                    }
                }
            }
        } catch (IOException e) {
            log.warn("servmon agent: cannot list /proc ({}) to look for programs running without a record; they are started anew", e.toString());
        }
        return scanned;
    }

    /** Ends the scan of this start() or apply(); wrappers found for programs not (or no longer) defined are left alone, and said so. */
    private void endScan() {
        if (scanned == null) {
            return;
        }
        scanned.forEach((name, copies) -> {
            if (!copies.isEmpty() && !runs.containsKey(name)) {
                StringBuilder pids = new StringBuilder();
                copies.forEach(w -> pids.append(pids.length() == 0 ? "" : ", ").append(w.pid()));
                log.warn("servmon agent: program {} is not defined for this host but runs (wrapper pid {}), started by this agent "
                        + "before it lost its records; left alone: stop it by hand (kill -TERM -- -PID)", name, pids);
            }
        });
        scanned = null;
    }

    private void stopStray(Run r, OrphanScan.Wrapper w, long keptPid, long now) {
        log.warn("servmon agent: program {}: another copy runs (wrapper pid {}); keeping the newest (pid {}) and stopping this one "
                + "with SIG{}", r.spec.name(), w.pid(), keptPid, r.spec.stopSignal());
        try {
            launcher.signalGroup(w.pid(), r.spec.stopSignal());
        } catch (IOException e) {
            log.warn("servmon agent: cannot send SIG{} to the extra copy of program {} (process group {}): {}", r.spec.stopSignal(),
                    r.spec.name(), w.pid(), e.getMessage());
        }
        strays.add(new Stray(r.spec.name(), w.pid(), w.startTicks(), now + ms(r.spec.stopTimeoutSeconds())));
    }

    private void reapStrays(long now) {
        for (var it = strays.iterator(); it.hasNext(); ) {
            Stray s = it.next();
            if (!proc.isSame(s.pid(), s.startTicks())) {
                it.remove();
            } else if (now >= s.killAtMs()) {
                log.warn("servmon agent: the extra copy of program {} (pid {}) did not stop in time; killing it", s.program(), s.pid());
                try {
                    launcher.signalGroup(s.pid(), "KILL");
                } catch (IOException e) {
                    log.warn("servmon agent: cannot KILL the extra copy of program {} (process group {}): {}", s.program(), s.pid(),
                            e.getMessage());
                }
                it.remove();
            }
        }
    }

    private void launch(Run r, long now, String kind, String why) {
        try {
            r.logs.ensure();
            Path cwd = r.spec.cwd() != null ? Path.of(r.spec.cwd()) : r.dir;
            Launcher.Started s = launcher.start(r.spec, r.dir, r.logs.current(), cwd);
            r.begin(s.process(), s.pid(), proc.startTicks(s.pid()), r.dir.resolve(Launcher.EXIT_FILE), ProgramState.STARTING, now, now);
            r.message = why;
            s.process().onExit().thenRun(this::wake);
            event(r, kind, null, why, now);
            persist(r);
            log.info("servmon agent: program {} {} (pid {}): {}", r.spec.name(), kind, s.pid(), why);
        } catch (IOException | RuntimeException e) {
            r.state = ProgramState.FAILED;
            r.process = null;
            r.pid = 0;
            r.message = "cannot start: " + e.getMessage();
            event(r, "gave_up", null, r.message, now);
            persist(r);
            log.warn("servmon agent: program {}: {}", r.spec.name(), r.message);
        }
    }

    private void exited(Run r, long now) {
        Integer code = RunRecord.exitStatus(r.exitFile);
        long atMs = now;
        if (r.process != null) {
            if (code == null && !r.process.isAlive()) {
                code = r.process.exitValue();
            }
        } else {
            atMs = Math.min(now, RunRecord.exitTimeMs(r.exitFile, now));
        }
        if (code == null && r.killed) {
            code = KILLED_STATUS;
        }
        boolean stopping = r.state == ProgramState.STOPPING;
        r.exitCode = code;
        r.process = null;
        r.pid = 0;
        r.programPid = -1;
        r.cpuPid = -1;
        AfterStop after = r.afterStop;
        r.afterStop = AfterStop.NOTHING;
        if (stopping) {
            String how = r.killed ? "killed with SIGKILL after " + r.spec.stopTimeoutSeconds() + " s" : "stopped with SIG" + r.spec.stopSignal();
            event(r, "stopped", code, how, atMs);
            switch (after) {
                case REMOVE -> forget(r);
                case RESTART -> launch(r, now, "restarted", "restarted on request");
                case RESPEC -> launch(r, now, "restarted", "restarted: its definition changed");
                case HEALTH -> restartLater(r, now, 0, r.message);
                case NOTHING -> {
                    r.state = ProgramState.STOPPED;
                    r.message = "stopped on request";
                    persist(r);
                }
            }
            return;
        }
        String how = describeExit(code);
        event(r, "exited", code, how, atMs);
        if (RestartPolicy.of(r.spec.restart()).restartsAfter(code)) {
            r.failuresInRow++;
            restartLater(r, now, backoffMs(r.spec, r.failuresInRow), "restarting after it " + how);
        } else {
            r.state = ProgramState.EXITED;
            r.message = how;
            persist(r);
        }
    }

    /** Schedules a restart in {@code delayMs}, or gives up when the window's restarts are used up. */
    private void restartLater(Run r, long now, long delayMs, String why) {
        long windowMs = ms(r.spec.restartWindowSeconds());
        while (!r.restartTimes.isEmpty() && now - r.restartTimes.peekFirst() >= windowMs) {
            r.restartTimes.pollFirst();
        }
        if (r.restartTimes.size() >= r.spec.maxRestarts()) {
            r.state = ProgramState.FAILED;
            r.message = "gave up: " + r.restartTimes.size() + " restarts within " + trim(r.spec.restartWindowSeconds()) + " s (" + why + ")";
            event(r, "gave_up", r.exitCode, r.message, now);
            persist(r);
            log.warn("servmon agent: program {} {}", r.spec.name(), r.message);
            return;
        }
        r.state = ProgramState.BACKOFF;
        r.nextStartAtMs = now + delayMs;
        r.message = why;
        persist(r);
    }

    /**
     * The delay before restart number {@code failuresInRow} (1-based) of a run of failures:
     * {@code backoffFirstSeconds × 2^(n−1)}, at most {@code backoffMaxSeconds}.
     */
    static long backoffMs(ProgramSpec spec, int failuresInRow) {
        double first = spec.backoffFirstSeconds() * 1000;
        double delay = first * Math.pow(2, Math.max(0, Math.min(failuresInRow - 1, 40)));
        return Math.round(Math.min(delay, spec.backoffMaxSeconds() * 1000));
    }

    private void beginStop(Run r, AfterStop after, long now) {
        if (r.state == ProgramState.STOPPING) {
            if (after != AfterStop.NOTHING) {
                r.afterStop = after;
            }
            return;
        }
        r.afterStop = after;
        r.state = ProgramState.STOPPING;
        r.stopSentAtMs = now;
        r.stopDeadlineMs = now + ms(r.spec.stopTimeoutSeconds());
        r.killed = "KILL".equals(r.spec.stopSignal());
        signal(r, r.spec.stopSignal());
        persist(r);
        changed.signalAll();
    }

    private void signal(Run r, String signal) {
        try {
            launcher.signalGroup(r.pid, signal);
        } catch (IOException e) {
            log.warn("servmon agent: cannot send SIG{} to program {} (process group {}): {}", signal, r.spec.name(), r.pid, e.getMessage());
        }
    }

    /**
     * The pid an answer names: the program's own, as the status reports it, not the wrapper's.
     * The wrapper forks the program within milliseconds of its start; this waits (lock released)
     * up to {@value #PROGRAM_PID_WAIT_MS} ms for it, then names the wrapper.
     */
    private long awaitProgramPid(Run r) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROGRAM_PID_WAIT_MS);
        while (r.state.hasProcess() && r.programPid <= 0) {
            r.programPid = proc.firstChild(r.pid);
            if (r.programPid > 0 || deadline - System.nanoTime() <= 0) {
                break;
            }
            changed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return r.displayPid();
    }

    /** Waits, lock held, until {@code r} has left STOPPING (the tick thread moves it on), or its stop timeout plus 5 s. */
    private void awaitStopped(Run r) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms(r.spec.stopTimeoutSeconds()) + 5_000);
        while (r.state == ProgramState.STOPPING) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(options.tickMs())));
        }
    }

    private void check(Run r) {
        if (checker == null) {
            checker = new HealthChecker();
        }
        Run run = r;
        long generation = r.generation;
        ProgramSpec.HealthCheck hc = r.spec.healthCheck();
        if (checker.submit(() -> healthResult(run, generation, HealthProbe.run(hc)))) {
            r.checking = true;
        } else {
            r.nextCheckAtMs = clock.getAsLong() + healthIntervalMs(r);
        }
    }

    private void healthResult(Run r, long generation, String failure) {
        lock.lock();
        try {
            if (r.generation != generation || !r.state.hasProcess() || r.state == ProgramState.STOPPING) {
                // A result for an earlier run (launch() reset the flag for the new one) or a program on its way down.
                if (r.generation == generation) {
                    r.checking = false;
                }
                return;
            }
            long now = clock.getAsLong();
            r.checking = false;
            r.nextCheckAtMs = now + healthIntervalMs(r);
            ProgramSpec.HealthCheck hc = r.spec.healthCheck();
            if (failure == null || hc == null) {
                if (r.healthFails > 0) {
                    r.message = "health check passes again";
                }
                r.healthFails = 0;
                return;
            }
            r.healthFails++;
            r.message = "health check " + hc.describe() + " failed " + r.healthFails + "/" + hc.failures() + ": " + failure;
            if (r.healthFails >= hc.failures()) {
                log.warn("servmon agent: program {}: {}; restarting it", r.spec.name(), r.message);
                r.message = "restarting: health check " + hc.describe() + " failed " + r.healthFails + " times: " + failure;
                beginStop(r, AfterStop.HEALTH, now);
            }
        } finally {
            lock.unlock();
        }
    }

    private void forget(Run r) {
        runs.remove(r.spec.name());
        try {
            Files.deleteIfExists(r.dir.resolve(RunRecord.FILE));
        } catch (IOException e) {
            log.warn("servmon agent: cannot delete {}: {}", r.dir.resolve(RunRecord.FILE), e.toString());
        }
    }

    private void event(Run r, String kind, Integer exitCode, String message, long atMs) {
        if (events.size() >= MAX_EVENTS) {
            events.pollFirst();
            droppedEvents++;
            if (droppedEvents == 1 || droppedEvents % 100 == 0) {
                log.warn("servmon agent: {} program events dropped: more than {} waited for the next sample", droppedEvents, MAX_EVENTS);
            }
        }
        events.addLast(new QueuedEvent(++eventCount, new Sample.ProgramEvent(r.spec.name(), kind, atMs, exitCode, message)));
    }

    private void persist(Run r) {
        Path exitFile = r.state.hasProcess() && !r.exitFile.equals(r.dir.resolve(Launcher.EXIT_FILE)) ? r.exitFile : null;
        var rec = new RunRecord(r.state.name(), r.state.hasProcess() ? r.pid : 0, r.startTicks, r.startedAtMs, bootId, r.restarts, r.exitCode,
                exitFile == null ? null : exitFile.toString());
        try {
            Files.createDirectories(r.dir);
            rec.write(r.dir);
        } catch (IOException e) {
            log.warn("servmon agent: cannot write {} ({}); after an agent restart program {} may not be re-adopted",
                    r.dir.resolve(RunRecord.FILE), e.toString(), r.spec.name());
        }
    }

    private void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Run find(String name) {
        Run r = runs.get(name);
        if (r == null || r.afterStop == AfterStop.REMOVE) {
            throw new IllegalArgumentException("no program named '" + name + "' on this host");
        }
        return r;
    }

    private String stopSummary(Run r, String name, long since) {
        double seconds = (clock.getAsLong() - since) / 1000.0;
        String how = r.killed && !"KILL".equals(r.spec.stopSignal())
                ? "killed with SIGKILL after the " + trim(r.spec.stopTimeoutSeconds()) + " s stop timeout"
                : "stopped after SIG" + r.spec.stopSignal();
        return name + " " + how + " in " + String.format(java.util.Locale.ROOT, "%.1f", seconds) + " s";
    }

    // ---- files ----------------------------------------------------------------------------

    private record SavedSet(List<ProgramSpec> programs, List<String> units, long revision) {}

    private SavedSet loadSaved() throws IOException {
        Path file = stateDir.resolve(SPECS_FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new SavedSet(List.of(), List.of(), 0);
        }
        try {
            Object parsed = Json.parse(bytes);
            List<ProgramSpec> programs = ProgramSpecs.readAll(Json.member(parsed, "programs") == null ? List.of() : Json.member(parsed, "programs"));
            Object u = Json.member(parsed, "units");
            List<String> unitNames = new ArrayList<>();
            if (u instanceof List<?> l) {
                l.forEach(o -> unitNames.add(String.valueOf(o)));
            }
            // Written by agents before revisions existed: unknown, so the hub sends its set once.
            long rev = Json.member(parsed, "revision") instanceof Long l ? l : 0;
            return new SavedSet(programs, UnitWatcher.checkNames(unitNames), rev);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + " cannot be read (" + e.getMessage() + "); fix or delete it, then the hub sends the programs again", e);
        }
    }

    private void save() throws IOException {
        List<Object> list = new ArrayList<>();
        for (Run r : runs.values()) {
            if (r.afterStop != AfterStop.REMOVE) {
                list.add(ProgramSpecs.toMap(r.spec));
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("revision", revision);
        doc.put("programs", list);
        doc.put("units", units.names());
        AtomicFile.write(stateDir.resolve(SPECS_FILE), Json.write(doc), true);
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static boolean sameLaunch(ProgramSpec a, ProgramSpec b) {
        return a.command().equals(b.command()) && a.args().equals(b.args()) && java.util.Objects.equals(a.cwd(), b.cwd())
                && a.env().equals(b.env()) && java.util.Objects.equals(a.runAs(), b.runAs());
    }

    private static ProgramState stateOf(String name) {
        try {
            return ProgramState.valueOf(name);
        } catch (IllegalArgumentException e) {
            return ProgramState.STOPPED;
        }
    }

    static String describeExit(Integer code) {
        if (code == null) {
            return "exited (status unknown)";
        }
        if (code > 128 && code < 128 + 65) {
            return "was ended by signal " + (code - 128) + " (status " + code + ")";
        }
        return "exited with status " + code;
    }

    private static long healthIntervalMs(Run r) {
        var hc = r.spec.healthCheck();
        return hc == null ? Long.MAX_VALUE / 4 : ms(hc.intervalSeconds());
    }

    private static long ms(double seconds) {
        return Math.round(seconds * 1000);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** One program's definition and live state; guarded by the supervisor's lock. */
    private final class Run {
        ProgramSpec spec;
        final Path dir;
        final LogFiles logs;
        /** Where the running wrapper writes its exit status: {@code dir/exit}, unless adopted from another state directory. */
        Path exitFile;
        ProgramState state = ProgramState.STOPPED;
        String message;
        Process process;
        long pid;
        long startTicks;
        long programPid = -1;
        long startedAtMs;
        Integer exitCode;
        int restarts;
        int failuresInRow;
        long nextStartAtMs;
        final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
        AfterStop afterStop = AfterStop.NOTHING;
        long stopSentAtMs;
        long stopDeadlineMs;
        boolean killed;
        int healthFails;
        long nextCheckAtMs;
        boolean checking;
        long generation;
        long cpuPid = -1;
        long cpuTicks;
        long cpuAtMs;

        Run(ProgramSpec spec) {
            this.spec = spec;
            this.dir = stateDir.resolve(PROGRAMS_DIR).resolve(spec.name());
            this.exitFile = dir.resolve(Launcher.EXIT_FILE);
            this.logs = new LogFiles(dir, options.logMaxBytes(), options.logKeep());
        }

        /**
         * A new run begins: the wrapper {@code pid} (the agent's child {@code process}, or null for
         * one found running), writing its status to {@code exitFile}.
         */
        void begin(Process process, long pid, long startTicks, Path exitFile, ProgramState state, long startedAtMs, long now) {
            this.process = process;
            this.pid = pid;
            this.startTicks = startTicks;
            this.exitFile = exitFile;
            this.state = state;
            this.startedAtMs = startedAtMs;
            programPid = -1;
            cpuPid = -1;
            killed = false;
            exitCode = null;
            healthFails = 0;
            checking = false;
            nextCheckAtMs = now + healthIntervalMs(this);
            generation++;
        }

        /** A start or restart by hand: the restart count and the backoff start over. */
        void startedByHand() {
            restarts = 0;
            restartTimes.clear();
            failuresInRow = 0;
        }

        boolean alive() {
            return process != null ? process.isAlive() : proc.isSame(pid, startTicks);
        }

        long displayPid() {
            return programPid > 0 ? programPid : pid;
        }

        Sample.Program report(long now) {
            if (!state.hasProcess()) {
                return new Sample.Program(spec.name(), "program", state.name(), null, exitCode, restarts, null, null, null, message);
            }
            if (programPid <= 0) {
                programPid = proc.firstChild(pid);
            }
            long target = displayPid();
            Double cpu = null;
            long ticks = proc.cpuTicks(target);
            if (ticks >= 0) {
                if (cpuPid == target && ticks >= cpuTicks && now > cpuAtMs) {
                    cpu = 100.0 * (ticks - cpuTicks) / ProcInfo.USER_HZ / ((now - cpuAtMs) / 1000.0);
                }
                cpuPid = target;
                cpuTicks = ticks;
                cpuAtMs = now;
            }
            long rss = proc.rssBytes(target);
            return new Sample.Program(spec.name(), "program", state.name(), target, exitCode, restarts, startedAtMs, cpu,
                    rss < 0 ? null : rss, message);
        }
    }
}
