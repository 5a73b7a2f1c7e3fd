package dev.servmon.agent.programs;

import dev.servmon.agent.Log;
import dev.servmon.agent.collect.PidFiles;
import dev.servmon.agent.collect.ProcUptime;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the supervisor reads about processes from Linux's {@code /proc}: whether a pid is still
 * the process that was started (start time, so a reused pid is not mistaken for it), its CPU time
 * and resident memory, its first child, and the boot id (a pid file from before a reboot means
 * nothing). Reads into one reused buffer; callers hold the supervisor's lock.
 */
final class ProcInfo {
    private static final Log log = Log.get(ProcInfo.class);
    /** Clock ticks per second of {@code /proc} times (USER_HZ, 100 on every Linux port). */
    static final int USER_HZ = 100;
    private final Path proc;
    private final byte[] buf = new byte[4096];
    private final long[] stat = new long[3];

    ProcInfo(Path proc) {
        this.proc = proc;
    }

    static ProcInfo linux() {
        return new ProcInfo(Path.of("/proc"));
    }

    /** The start time of {@code pid} in clock ticks after boot; -1 when it is gone or a zombie. */
    long startTicks(long pid) {
        return readStat(pid) ? stat[PidFiles.START_TICKS] : -1;
    }

    /** Whether {@code pid} is alive and is the process that started at {@code startTicks}. */
    boolean isSame(long pid, long startTicks) {
        return pid > 0 && startTicks(pid) == startTicks;
    }

    /** User + system CPU time of {@code pid} in clock ticks; -1 when it is gone. */
    long cpuTicks(long pid) {
        return readStat(pid) ? stat[PidFiles.CPU_TICKS] : -1;
    }

    /** Resident memory of {@code pid} in bytes; -1 when it is gone. */
    long rssBytes(long pid) {
        int n = read(proc.resolve(Long.toString(pid)).resolve("status"));
        return n < 0 ? -1 : PidFiles.statusRssBytes(buf, n);
    }

    /** The first child of {@code pid} (from {@code /proc/<pid>/task/<pid>/children}); -1 when it has none. */
    long firstChild(long pid) {
        String p = Long.toString(pid);
        int n = read(proc.resolve(p).resolve("task").resolve(p).resolve("children"));
        long child = -1;
        for (int i = 0; i < n; i++) {
            byte c = buf[i];
            if (c >= '0' && c <= '9') {
                child = (child < 0 ? 0 : child * 10) + (c - '0');
            } else if (child >= 0) {
                break;
            }
        }
        return child;
    }

    /**
     * When a process that started {@code startTicks} after boot started, in epoch ms, from the
     * uptime in {@code /proc/uptime}; {@code nowMs} when that cannot be read.
     */
    long startedAtMs(long startTicks, long nowMs) {
        int n = read(proc.resolve("uptime"));
        if (n <= 0) {
            return nowMs;
        }
        try {
            long uptimeMs = ProcUptime.parseMillis(new String(buf, 0, n, StandardCharsets.US_ASCII));
            return Math.min(nowMs, nowMs - uptimeMs + startTicks * 1000 / USER_HZ);
        } catch (IllegalArgumentException e) {
            log.warn("servmon agent: {}; the start time of an adopted program is shown as now", e.getMessage());
            return nowMs;
        }
    }

    /** Whether the standard output of {@code pid} goes to a file that was deleted (its directory was removed). */
    boolean outputDeleted(long pid) {
        try {
            return Files.readSymbolicLink(proc.resolve(Long.toString(pid)).resolve("fd/1")).toString().endsWith(" (deleted)");
        } catch (IOException e) {
            // Gone, or not this user's: nothing to tell.
            return false;
        }
    }

    /** This boot's id ({@code /proc/sys/kernel/random/boot_id}), or "" when unreadable. */
    String bootId() {
        try {
            return Files.readString(proc.resolve("sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether this process runs as root (real user id 0). */
    boolean isRoot() {
        int n = read(proc.resolve("self/status"));
        String status = n < 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
        int at = status.indexOf("\nUid:");
        return at >= 0 && status.substring(at + 5).stripLeading().startsWith("0\t");
    }

    /** Reads the stat of a live, non-zombie process into {@link #stat}. */
    private boolean readStat(long pid) {
        int n = read(proc.resolve(Long.toString(pid)).resolve("stat"));
        if (n < 0) {
            return false;
        }
        int close = n - 1;
        while (close >= 0 && buf[close] != ')') {
            close--;
        }
        // The state letter follows ") ": a zombie has exited and only waits to be reaped.
        if (close < 0 || close + 2 >= n || buf[close + 2] == 'Z' || buf[close + 2] == 'X') {
            return false;
        }
        return PidFiles.parseStat(buf, n, stat);
    }

    private int read(Path file) {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            return Math.max(0, in.read(buf));
        } catch (IOException e) {
            // Gone (the process exited) or not readable: both mean "no such process" here.
            return -1;
        }
    }
}
