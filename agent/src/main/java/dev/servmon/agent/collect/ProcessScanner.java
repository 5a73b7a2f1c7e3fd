package dev.servmon.agent.collect;

import dev.servmon.agent.Log;
import dev.servmon.protocol.Sample;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The top processes by CPU and by memory, from {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/status}.
 *
 * <p>The most expensive source, hence run at a slower cadence than samples and written to
 * allocate little: every process costs one {@code read(2)} of its {@code stat} into a reused
 * buffer, parsed in place, and numbers kept in primitive arrays that two scans swap. Only the
 * processes that make a top list have their {@code status} read (name, owner, resident bytes)
 * and get objects.
 *
 * <p>CPU share is the process's user + system time between two scans over the time between
 * them; one busy core is 100 %. A process not seen by the previous scan (or a pid reused by a
 * new process, told apart by its start time) started within the window, so all its CPU time
 * counts. The first scan has no window: its processes carry no CPU figure.
 */
final class ProcessScanner {
    /**
     * Clock ticks per second of {@code /proc} times ({@code sysconf(_SC_CLK_TCK)}): 100 on every
     * Linux architecture this agent runs on; the JDK cannot ask for it without native code.
     */
    static final int USER_HZ = 100;
    /** Largest top-N accepted: twice it stays within the hub's limit of 200 processes a sample. */
    static final int MAX_TOP = 100;
    private static final Log log = Log.get(ProcessScanner.class);

    private final File procDir;
    private final Path passwdFile;
    private final LongSupplier nanoClock;
    private final SmallFile file = new SmallFile(4096);
    private final StringBuilder path = new StringBuilder(32);
    private final long[] stat = new long[3];

    private Scan current = new Scan();
    private Scan previous = new Scan();
    private boolean hasPrevious;
    private long[] cpuDelta = new long[256];
    private final int[] byCpu;
    private final int[] byMemory;

    private Map<Long, String> users = Map.of();
    private FileTime passwdModified;
    private boolean passwdFailing;

    /** One scan's processes in ascending pid order; arrays grow as needed and are reused. */
    private static final class Scan {
        int count;
        int[] pids = new int[256];
        long[] cpuTicks = new long[256];
        long[] startTicks = new long[256];
        long[] rssPages = new long[256];
        long atNanos;

        void ensure(int n) {
            if (pids.length < n) {
                int size = Math.max(n, pids.length * 2);
                pids = Arrays.copyOf(pids, size);
                cpuTicks = Arrays.copyOf(cpuTicks, size);
                startTicks = Arrays.copyOf(startTicks, size);
                rssPages = Arrays.copyOf(rssPages, size);
            }
        }
    }

    /**
     * @param proc the directory standing for {@code /proc}
     * @param passwdFile {@code /etc/passwd}, for user names
     * @param top how many processes each top list holds, 1..{@value #MAX_TOP}
     */
    ProcessScanner(Path proc, Path passwdFile, int top) {
        this(proc, passwdFile, top, System::nanoTime);
    }

    /** A scanner timing its scans with {@code nanoClock}; tests pass a clock they move. */
    ProcessScanner(Path proc, Path passwdFile, int top, LongSupplier nanoClock) {
        if (top < 1 || top > MAX_TOP) {
            throw new IllegalArgumentException("top processes must be between 1 and " + MAX_TOP + ", got " + top);
        }
        this.procDir = proc.toFile();
        this.passwdFile = passwdFile;
        this.nanoClock = nanoClock;
        this.byCpu = new int[top];
        this.byMemory = new int[top];
    }

    /**
     * Scans all processes.
     *
     * @return the union of the top processes by CPU since the previous scan and by resident
     *     memory, CPU leaders first
     * @throws IOException when {@code /proc} cannot be listed
     */
    List<Sample.Process> scan() throws IOException {
        String[] entries = procDir.list();
        if (entries == null) {
            throw new IOException("cannot list " + procDir);
        }
        Scan s = current;
        s.count = 0;
        s.atNanos = nanoClock.getAsLong();
        s.ensure(entries.length);
        for (String e : entries) {
            int pid = PidFiles.pidOf(e);
            if (pid > 0) {
                s.pids[s.count++] = pid;
            }
        }
        // /proc lists pids in ascending order already; sorting makes it a guarantee for the lookups below.
        Arrays.sort(s.pids, 0, s.count);
        int kept = 0;
        for (int i = 0; i < s.count; i++) {
            int pid = s.pids[i];
            if (!readStat(pid)) {
                continue;
            }
            s.pids[kept] = pid;
            s.cpuTicks[kept] = stat[PidFiles.CPU_TICKS];
            s.startTicks[kept] = stat[PidFiles.START_TICKS];
            s.rssPages[kept] = stat[PidFiles.RSS_PAGES];
            kept++;
        }
        s.count = kept;
        double seconds = hasPrevious ? (s.atNanos - previous.atNanos) / 1e9 : 0;
        fillCpuDeltas(s);
        int cpuLeaders = seconds > 0 ? largest(cpuDelta, s.count, byCpu) : 0;
        int memoryLeaders = largest(s.rssPages, s.count, byMemory);

        refreshUsers();
        List<Sample.Process> result = new ArrayList<>(cpuLeaders + memoryLeaders);
        for (int i = 0; i < cpuLeaders; i++) {
            describe(s, byCpu[i], seconds, result);
        }
        for (int i = 0; i < memoryLeaders; i++) {
            if (!contains(byCpu, cpuLeaders, byMemory[i])) {
                describe(s, byMemory[i], seconds, result);
            }
        }
        current = previous;
        previous = s;
        hasPrevious = true;
        return result;
    }

    /** Reads one process's stat into {@link #stat}; false when it exited meanwhile or the line is malformed. */
    private boolean readStat(int pid) {
        try {
            file.read(pidPath(pid, "/stat"));
        } catch (IOException e) {
            // The process exited between the listing and this read: it is simply not in this scan.
            return false;
        }
        return PidFiles.parseStat(file.bytes(), file.length(), stat);
    }

    private String pidPath(int pid, String name) {
        path.setLength(0);
        return path.append(procDir.getPath()).append('/').append(pid).append(name).toString();
    }

    /**
     * CPU ticks each process used since the previous scan, or -1 when unknown (first scan).
     * A process the previous scan did not have, under its pid and start time, is new: all its
     * ticks fall in the window.
     */
    private void fillCpuDeltas(Scan s) {
        if (cpuDelta.length < s.count) {
            cpuDelta = new long[Math.max(s.count, cpuDelta.length * 2)];
        }
        for (int i = 0; i < s.count; i++) {
            if (!hasPrevious) {
                cpuDelta[i] = -1;
                continue;
            }
            int at = Arrays.binarySearch(previous.pids, 0, previous.count, s.pids[i]);
            boolean same = at >= 0 && previous.startTicks[at] == s.startTicks[i];
            cpuDelta[i] = same ? Math.max(0, s.cpuTicks[i] - previous.cpuTicks[at]) : s.cpuTicks[i];
        }
    }

    /**
     * Indices of the up to {@code out.length} largest positive values of {@code values[0..count)},
     * largest first.
     *
     * @return how many indices were written
     */
    static int largest(long[] values, int count, int[] out) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            long v = values[i];
            if (v <= 0 || (n == out.length && v <= values[out[n - 1]])) {
                continue;
            }
            int at = n < out.length ? n++ : n - 1;
            while (at > 0 && values[out[at - 1]] < v) {
                out[at] = out[at - 1];
                at--;
            }
            out[at] = i;
        }
        return n;
    }

    private static boolean contains(int[] indices, int n, int index) {
        for (int i = 0; i < n; i++) {
            if (indices[i] == index) {
                return true;
            }
        }
        return false;
    }

    /** Adds the process at {@code index} with its name, owner and resident bytes from its status file. */
    private void describe(Scan s, int index, double seconds, List<Sample.Process> out) {
        int pid = s.pids[index];
        try {
            file.read(pidPath(pid, "/status"));
        } catch (IOException e) {
            // Exited since its stat was read: it no longer belongs in the list.
            return;
        }
        byte[] b = file.bytes();
        int len = file.length();
        long uid = PidFiles.statusEffectiveUid(b, len);
        long rss = PidFiles.statusRssBytes(b, len);
        Double cpuPercent = cpuDelta[index] < 0 || seconds <= 0 ? null : 100.0 * cpuDelta[index] / USER_HZ / seconds;
        out.add(new Sample.Process(pid, PidFiles.statusName(b, len),
                uid < 0 ? null : users.getOrDefault(uid, Long.toString(uid)),
                cpuPercent,
                // Kernel threads have no VmRSS line: they hold no user memory.
                rss >= 0 ? Long.valueOf(rss) : s.rssPages[index] == 0 ? Long.valueOf(0) : null));
    }

    /** Reads /etc/passwd again when it changed since the last scan (a stat per scan). */
    private void refreshUsers() {
        try {
            FileTime modified = Files.getLastModifiedTime(passwdFile);
            if (!modified.equals(passwdModified)) {
                users = Passwd.parse(new String(Files.readAllBytes(passwdFile), StandardCharsets.UTF_8));
                passwdModified = modified;
            }
            passwdFailing = false;
        } catch (IOException e) {
            if (!passwdFailing) {
                log.warn("servmon agent: cannot read {} ({}); processes show numeric user ids until it can be read",
                        passwdFile, e.toString());
                passwdFailing = true;
            }
            users = Map.of();
            passwdModified = null;
        }
    }
}
