package dev.servmon.agent.collect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time counters from Linux {@code /proc/stat}: the {@code cpu} line (all cores) and one
 * {@code cpuN} line per online logical core, in clock ticks since boot.
 *
 * <p>Percentages come from the difference between two readings: see {@link #busyPercentSince}.
 *
 * @param total ticks summed over all cores
 * @param cores ticks per online core, keyed by core number, in file order
 */
public record ProcStat(Ticks total, Map<Integer, Ticks> cores) {

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
    }

    /**
     * Parses the text of {@code /proc/stat}.
     *
     * @throws IllegalArgumentException when there is no aggregate {@code cpu} line or a number is malformed
     */
    public static ProcStat parse(String text) {
        Ticks total = null;
        Map<Integer, Ticks> cores = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("cpu")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
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
        return new ProcStat(total, cores);
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
        if (!earlier.cores.keySet().equals(cores.keySet())) {
            return List.of();
        }
        List<Double> percents = new ArrayList<>(cores.size());
        for (Map.Entry<Integer, Ticks> e : cores.entrySet()) {
            Double p = busyPercent(earlier.cores.get(e.getKey()), e.getValue());
            if (p == null) {
                return List.of();
            }
            percents.add(p);
        }
        return percents;
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

    private static int parseCore(String name, String line) {
        try {
            return Integer.parseInt(name.substring(3));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed core name in /proc/stat line: " + line, e);
        }
    }
}
