package dev.servmon.agent.collect;

import java.nio.charset.StandardCharsets;

/**
 * Parsers of {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}, working on the bytes as
 * read (see proc(5)): a scan reads these files for every process, so nothing here allocates
 * except the one name asked for.
 */
public final class PidFiles {
    /** Index in {@link #parseStat}'s result: user + system CPU time, clock ticks. */
    public static final int CPU_TICKS = 0;
    /** Index in {@link #parseStat}'s result: start time after boot, clock ticks (tells a reused pid). */
    public static final int START_TICKS = 1;
    /** Index in {@link #parseStat}'s result: resident set, pages. */
    public static final int RSS_PAGES = 2;

    // Positions counted from the state field, which follows the ")" closing the command name:
    // proc(5) numbers state 3, utime 14, stime 15, starttime 22, rss 24.
    private static final int UTIME = 14 - 3;
    private static final int STIME = 15 - 3;
    private static final int STARTTIME = 22 - 3;
    private static final int RSS = 24 - 3;
    private static final byte[] NAME = "Name:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UID = "Uid:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VM_RSS = "VmRSS:".getBytes(StandardCharsets.US_ASCII);

    private PidFiles() {}

    /** The pid a {@code /proc} entry's name is, or -1 when it is not a process's (self, sys, …). */
    public static int pidOf(String name) {
        int pid = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9' || i > 9) {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return name.isEmpty() ? -1 : pid;
    }

    /**
     * Reads CPU ticks, start time and resident pages from a {@code stat} line into {@code out}
     * (indices {@link #CPU_TICKS}, {@link #START_TICKS}, {@link #RSS_PAGES}).
     *
     * <p>The fields are counted from the last {@code ')'}: the command name between the
     * parentheses may itself hold spaces and parentheses ({@code (tmux: server)}, {@code (a) b)}).
     *
     * @return false when the line is cut short or malformed
     */
    public static boolean parseStat(byte[] b, int len, long[] out) {
        int close = Bytes.lastIndexOf(b, len, (byte) ')');
        if (close < 0) {
            return false;
        }
        int from = close + 1;
        long utime = Bytes.digitsAt(b, Bytes.field(b, from, len, UTIME), len);
        long stime = Bytes.digitsAt(b, Bytes.field(b, from, len, STIME), len);
        long start = Bytes.digitsAt(b, Bytes.field(b, from, len, STARTTIME), len);
        long rss = Bytes.digitsAt(b, Bytes.field(b, from, len, RSS), len);
        if (utime < 0 || stime < 0 || start < 0 || rss < 0) {
            return false;
        }
        out[CPU_TICKS] = utime + stime;
        out[START_TICKS] = start;
        out[RSS_PAGES] = rss;
        return true;
    }

    /** The {@code Name:} of a {@code status} file (the command name), or {@code null} when absent. */
    static String statusName(byte[] b, int len) {
        int at = Bytes.valueOfLine(b, len, NAME);
        if (at < 0) {
            return null;
        }
        while (at < len && (b[at] == '\t' || b[at] == ' ')) {
            at++;
        }
        int end = at;
        while (end < len && b[end] != '\n') {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.UTF_8);
    }

    /**
     * The effective user id from the {@code Uid:} line ({@code real effective saved fs}) of a
     * {@code status} file, the owner {@code ps} and {@code top} show; -1 when absent.
     */
    static long statusEffectiveUid(byte[] b, int len) {
        int at = Bytes.valueOfLine(b, len, UID);
        return at < 0 ? -1 : Bytes.digitsAt(b, Bytes.field(b, at, len, 1), len);
    }

    /** {@code VmRSS:} of a {@code status} file in bytes (it is printed in kB); -1 when absent, as for kernel threads. */
    public static long statusRssBytes(byte[] b, int len) {
        int at = Bytes.valueOfLine(b, len, VM_RSS);
        long kib = at < 0 ? -1 : Bytes.digitsAt(b, at, len);
        return kib < 0 ? -1 : kib * 1024;
    }
}
