package dev.servmon.agent.collect;

import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * CPU time counters from Linux {@code /proc/stat}: the {@code cpu} line (all cores) and one
 * {@code cpuN} line per online logical core, in clock ticks since boot.
 *
 * <p>Percentages come from the difference between two readings: see {@link #busyPercentSince}.
 *
 * @param total ticks summed over all cores
 * @param cores ticks per online core, keyed by core number, in file order
 * @param contextSwitches the {@code ctxt} line: context switches since boot, all cores, or
 *     {@code null} when the file has none
 * @param bootTimeSeconds the {@code btime} line: when the host booted, epoch seconds, or
 *     {@code null} when the file has none
 */
public record ProcStat(Ticks total, Map<Integer, Ticks> cores, Long contextSwitches, Long bootTimeSeconds) {

    public ProcStat {
        cores = Collections.unmodifiableMap(new LinkedHashMap<>(cores));
    }

    /**
     * Time counters of one {@code cpu} line. Fields a kernel does not print (old kernels stop
     * after {@code idle} or {@code iowait}) are 0. {@code guest} and {@code guest_nice} are left
     * out on purpose: the kernel already counts them inside {@code user} and {@code nice}.
     */
    public record Ticks(long user, long nice, long system, long idle, long iowait, long irq, long softirq, long steal) {
        /** All ticks, busy or not. */
        public long totalTicks() {
            return user + nice + system + idle + iowait + irq + softirq + steal;
        }

        /** Ticks the core had nothing to run: idle, and idle while waiting for I/O. */
        public long idleTicks() {
            return idle + iowait;
        }

        /** Ticks in user mode, {@code nice} included. */
        long userTicks() {
            return user + nice;
        }

        /** Ticks in the kernel, interrupt handling included. */
        long systemTicks() {
            return system + irq + softirq;
        }
    }

    /**
     * Parses the text of {@code /proc/stat}.
     *
     * @throws IllegalArgumentException when there is no aggregate {@code cpu} line or a number is malformed
     */
    public static ProcStat parse(String text) {
        Ticks total = null;
        Map<Integer, Ticks> cores = new LinkedHashMap<>();
        Long contextSwitches = null;
        Long bootTimeSeconds = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("ctxt ")) {
                contextSwitches = single(line);
                continue;
            }
            if (line.startsWith("btime ")) {
                bootTimeSeconds = single(line);
                continue;
            }
            if (!line.startsWith("cpu")) {
                continue;
            }
            String[] f = Fields.split(line);
            if (f[0].equals("cpu")) {
                total = ticks(f, line);
            } else {
                int core = parseCore(f[0], line);
                cores.put(core, ticks(f, line));
            }
        }
        if (total == null) {
            throw new IllegalArgumentException("no 'cpu' line in /proc/stat text");
        }
        return new ProcStat(total, cores, contextSwitches, bootTimeSeconds);
    }

    /**
     * Busy share of all cores between {@code earlier} and this reading, 0..100, or {@code null}
     * when no tick elapsed (readings too close together) or the counters went backwards.
     */
    public Double busyPercentSince(ProcStat earlier) {
        return busyPercent(earlier.total, total);
    }

    /**
     * Busy share of each core between {@code earlier} and this reading, in core order. Empty when
     * the set of online cores changed in between (hotplug) or a core's figure cannot be computed:
     * a partial list would put figures under the wrong core numbers.
     */
    public List<Double> perCoreBusyPercentSince(ProcStat earlier) {
        return perCore(earlier, ProcStat::busyPercent);
    }

    /**
     * How all cores spent the time between {@code earlier} and this reading, or {@code null}
     * when no tick elapsed.
     */
    public Sample.CoreTimes timesSince(ProcStat earlier) {
        return times(earlier.total, total);
    }

    /** {@link #timesSince} per core, in core order; empty on the same terms as {@link #perCoreBusyPercentSince}. */
    public List<Sample.CoreTimes> perCoreTimesSince(ProcStat earlier) {
        return perCore(earlier, ProcStat::times);
    }

    /**
     * Context switches per second between {@code earlier} and this reading, taken
     * {@code elapsedNanos} apart; {@code null} when either lacks the counter, no time passed or
     * the counter went backwards.
     */
    public Double contextSwitchesPerSecSince(ProcStat earlier, long elapsedNanos) {
        if (contextSwitches == null || earlier.contextSwitches == null || elapsedNanos <= 0
                || contextSwitches < earlier.contextSwitches) {
            return null;
        }
        return (contextSwitches - earlier.contextSwitches) * 1e9 / elapsedNanos;
    }

    /**
     * The wire CPU figures between {@code earlier} and {@code now}, taken {@code elapsedNanos}
     * apart, with the load averages given. Without both readings (first sample, failed read)
     * only the load averages are there.
     */
    static Sample.Cpu cpu(ProcStat now, ProcStat earlier, long elapsedNanos, Double load1, Double load5, Double load15) {
        boolean rates = now != null && earlier != null;
        Sample.CoreTimes times = rates ? now.timesSince(earlier) : null;
        return new Sample.Cpu(
                rates ? now.busyPercentSince(earlier) : null,
                rates ? now.perCoreBusyPercentSince(earlier) : List.of(),
                load1, load5, load15,
                times == null ? null : times.userPercent(),
                times == null ? null : times.systemPercent(),
                times == null ? null : times.iowaitPercent(),
                times == null ? null : times.stealPercent(),
                rates ? now.perCoreTimesSince(earlier) : List.of(),
                rates ? now.contextSwitchesPerSecSince(earlier, elapsedNanos) : null);
    }

    private <T> List<T> perCore(ProcStat earlier, BiFunction<Ticks, Ticks, T> figure) {
        if (!earlier.cores.keySet().equals(cores.keySet())) {
            return List.of();
        }
        List<T> figures = new ArrayList<>(cores.size());
        for (Map.Entry<Integer, Ticks> e : cores.entrySet()) {
            T f = figure.apply(earlier.cores.get(e.getKey()), e.getValue());
            if (f == null) {
                return List.of();
            }
            figures.add(f);
        }
        return figures;
    }

    private static Sample.CoreTimes times(Ticks before, Ticks after) {
        long totalDelta = after.totalTicks() - before.totalTicks();
        if (totalDelta <= 0) {
            return null;
        }
        return new Sample.CoreTimes(
                share(after.userTicks() - before.userTicks(), totalDelta),
                share(after.systemTicks() - before.systemTicks(), totalDelta),
                share(after.iowait - before.iowait, totalDelta),
                share(after.steal - before.steal, totalDelta));
    }

    /** {@code part} of {@code total} as 0..100; a counter that went backwards counts as 0. */
    private static double share(long part, long total) {
        return Math.min(100.0, 100.0 * Math.max(0, part) / total);
    }

    private static Double busyPercent(Ticks before, Ticks after) {
        long totalDelta = after.totalTicks() - before.totalTicks();
        if (totalDelta <= 0) {
            return null;
        }
        // iowait is known to go backwards on some kernels; clamp instead of reporting < 0 or > 100 %.
        long idleDelta = Math.max(0, after.idleTicks() - before.idleTicks());
        double percent = 100.0 * (totalDelta - idleDelta) / totalDelta;
        return Math.max(0.0, Math.min(100.0, percent));
    }

    private static Ticks ticks(String[] f, String line) {
        if (f.length < 5) {
            throw new IllegalArgumentException("too few fields in /proc/stat line: " + line);
        }
        return new Ticks(field(f, 1, line), field(f, 2, line), field(f, 3, line), field(f, 4, line),
                field(f, 5, line), field(f, 6, line), field(f, 7, line), field(f, 8, line));
    }

    private static long field(String[] f, int index, String line) {
        if (index >= f.length) {
            return 0;
        }
        try {
            return Long.parseLong(f[index]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed number '" + f[index] + "' in /proc/stat line: " + line, e);
        }
    }

    private static long single(String line) {
        String value = line.substring(line.indexOf(' ') + 1).trim();
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed number '" + value + "' in /proc/stat line: " + line, e);
        }
    }

    private static int parseCore(String name, String line) {
        try {
            return Integer.parseInt(name.substring(3));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed core name in /proc/stat line: " + line, e);
        }
    }
}
