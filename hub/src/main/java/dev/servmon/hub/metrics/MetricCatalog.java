package dev.servmon.hub.metrics;

import dev.servmon.protocol.Sample;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metric names the hub stores and serves, and how a {@link Sample} becomes a set of named
 * numbers. A series name is a metric name, optionally followed by {@code :} and an instance
 * (a core number, a mount point, a device, an interface, a sensor):
 * {@code cpu}, {@code cpu_core:3}, {@code fs_used:/data}, {@code net_rx:eth0}.
 *
 * <p>Each metric has a fixed decimal precision: stored values are rounded to it (0.01 % for
 * percentages, whole bytes, whole bytes per second), which is far below what the sources can
 * measure and is what lets the raw tier be stored as small integers.
 */
public final class MetricCatalog {
    private MetricCatalog() {}

    /** Separates a metric name from its instance in a series name. */
    public static final char INSTANCE_SEPARATOR = ':';

    /**
     * One metric.
     *
     * @param name the metric name, without instance
     * @param unit {@code percent}, {@code bytes}, {@code bytes_per_second}, {@code celsius},
     *     {@code watts}, {@code rpm}, {@code count}, {@code per_second} or {@code load}
     * @param decimals decimal digits kept when storing
     * @param instance what the instance names, or null for a host-wide metric
     * @param description one line for people
     */
    public record Metric(String name, String unit, int decimals, String instance, String description) {}

    private static final Map<String, Metric> METRICS = new LinkedHashMap<>();

    private static void define(String name, String unit, int decimals, String instance, String description) {
        METRICS.put(name, new Metric(name, unit, decimals, instance, description));
    }

    static {
        define("cpu", "percent", 2, null, "busy share of all cores");
        define("cpu_user", "percent", 2, null, "share of all cores in user mode (including nice)");
        define("cpu_system", "percent", 2, null, "share of all cores in kernel mode (including irq, softirq)");
        define("cpu_iowait", "percent", 2, null, "share of all cores idle while waiting for IO");
        define("cpu_steal", "percent", 2, null, "share taken by the hypervisor for other guests");
        define("cpu_core", "percent", 2, "logical core number", "busy share of one logical core");
        define("context_switches", "per_second", 0, null, "context switches per second");
        define("load1", "load", 2, null, "1-minute load average");
        define("load5", "load", 2, null, "5-minute load average");
        define("load15", "load", 2, null, "15-minute load average");
        define("mem_used", "bytes", 0, null, "memory in use (total minus available)");
        define("mem_available", "bytes", 0, null, "memory available to new work without swapping");
        define("mem_total", "bytes", 0, null, "physical memory");
        define("mem_cached", "bytes", 0, null, "page cache");
        define("swap_used", "bytes", 0, null, "swap in use");
        define("swap_total", "bytes", 0, null, "swap space");
        define("fs_used", "bytes", 0, "mount point", "used space; without instance: all real filesystems");
        define("fs_total", "bytes", 0, "mount point", "size; without instance: all real filesystems");
        define("disk_read", "bytes_per_second", 0, "block device", "bytes read per second; without instance: all disks");
        define("disk_write", "bytes_per_second", 0, "block device", "bytes written per second; without instance: all disks");
        define("disk_busy", "percent", 2, "block device", "share of time with IO in flight");
        define("net_rx", "bytes_per_second", 0, "interface", "bytes received per second; without instance: all but loopback");
        define("net_tx", "bytes_per_second", 0, "interface", "bytes sent per second; without instance: all but loopback");
        define("temp", "celsius", 2, "sensor", "temperature");
        define("fan", "rpm", 0, "sensor", "fan speed");
        define("gpu_util", "percent", 2, "GPU index", "GPU busy share");
        define("gpu_mem_used", "bytes", 0, "GPU index", "GPU memory in use");
        define("gpu_power", "watts", 2, "GPU index", "GPU power draw");
        define("gpu_temp", "celsius", 2, "GPU index", "GPU temperature");
        define("power_watts", "watts", 2, null, "measured power draw of the host");
        define("users", "count", 0, null, "logged-in user sessions");
        define("prog_cpu", "percent", 2, "program", "a supervised program's CPU, share of one core");
        define("prog_rss", "bytes", 0, "program", "a supervised program's resident memory");
        define("prog_restarts", "count", 0, "program", "restarts of a supervised program by the agent");
    }

    /** Every metric, in catalogue order. */
    public static List<Metric> all() {
        return List.copyOf(METRICS.values());
    }

    /** The metric of a series name ({@code fs_used:/data} → {@code fs_used}), or null if unknown. */
    public static Metric of(String seriesName) {
        int sep = seriesName.indexOf(INSTANCE_SEPARATOR);
        return METRICS.get(sep < 0 ? seriesName : seriesName.substring(0, sep));
    }

    /** Decimal digits kept for a series; 2 for names this hub does not know. */
    public static int decimals(String seriesName) {
        Metric m = of(seriesName);
        return m == null ? 2 : m.decimals();
    }

    /** A series name: {@code metric:instance}. */
    public static String series(String metric, String instance) {
        return metric + INSTANCE_SEPARATOR + instance;
    }

    /** The sample's figures as named numbers; figures the agent could not read are left out. */
    public static RawSample flatten(Sample s) {
        var out = new Builder(s.seq(), s.atMs());
        var cpu = s.cpu();
        if (cpu != null) {
            out.putUnique("cpu", cpu.percent());
            out.putUnique("cpu_user", cpu.userPercent());
            out.putUnique("cpu_system", cpu.systemPercent());
            out.putUnique("cpu_iowait", cpu.iowaitPercent());
            out.putUnique("cpu_steal", cpu.stealPercent());
            for (int i = 0; i < cpu.perCorePercent().size(); i++) {
                out.putUnique(CPU_CORE.of(i), cpu.perCorePercent().get(i));
            }
            out.putUnique("context_switches", cpu.contextSwitchesPerSec());
            out.putUnique("load1", cpu.load1());
            out.putUnique("load5", cpu.load5());
            out.putUnique("load15", cpu.load15());
        }
        var mem = s.memory();
        if (mem != null) {
            out.putUnique("mem_used", mem.usedBytes());
            out.putUnique("mem_available", mem.availableBytes());
            out.putUnique("mem_total", mem.totalBytes());
            out.putUnique("mem_cached", mem.cachedBytes());
            out.putUnique("swap_used", mem.swapUsedBytes());
            out.putUnique("swap_total", mem.swapTotalBytes());
        }
        if (!s.filesystems().isEmpty()) {
            long used = 0;
            long total = 0;
            for (var fs : s.filesystems()) {
                out.put(FS_USED.of(fs.mount()), (double) fs.usedBytes());
                out.put(FS_TOTAL.of(fs.mount()), (double) fs.totalBytes());
                used += fs.usedBytes();
                total += fs.totalBytes();
            }
            out.putUnique("fs_used", (double) used);
            out.putUnique("fs_total", (double) total);
        }
        if (!s.disks().isEmpty()) {
            double read = 0;
            double write = 0;
            for (var d : s.disks()) {
                out.put(DISK_READ.of(d.name()), d.readBytesPerSec());
                out.put(DISK_WRITE.of(d.name()), d.writeBytesPerSec());
                out.put(DISK_BUSY.of(d.name()), d.busyPercent());
                read += d.readBytesPerSec();
                write += d.writeBytesPerSec();
            }
            out.putUnique("disk_read", read);
            out.putUnique("disk_write", write);
        }
        Double rx = null;
        Double tx = null;
        for (var nic : s.network()) {
            out.put(NET_RX.of(nic.name()), nic.rxBytesPerSec());
            out.put(NET_TX.of(nic.name()), nic.txBytesPerSec());
            if (!isLoopback(nic.name())) {
                rx = (rx == null ? 0 : rx) + nic.rxBytesPerSec();
                tx = (tx == null ? 0 : tx) + nic.txBytesPerSec();
            }
        }
        out.putUnique("net_rx", rx);
        out.putUnique("net_tx", tx);
        for (var t : s.temperatures()) {
            out.put(TEMP.of(t.sensor()), t.celsius());
        }
        for (var f : s.fans()) {
            out.put(FAN.of(f.sensor()), f.rpm());
        }
        for (var g : s.gpus()) {
            // GPU indexes come from the agent: two GPUs may claim one.
            out.put(GPU_UTIL.of(g.index()), g.utilPercent());
            out.put(GPU_MEM_USED.of(g.index()), g.memUsedBytes());
            out.put(GPU_POWER.of(g.index()), g.powerWatts());
            out.put(GPU_TEMP.of(g.index()), g.celsius());
        }
        out.putUnique("power_watts", s.powerWatts());
        out.putUnique("users", s.usersLoggedIn() == null ? null : s.usersLoggedIn().doubleValue());
        for (var p : s.programs()) {
            // Supervised programs only: watched units are the OS's, and their names are not ours to key series by.
            if ("program".equals(p.kind()) && p.name() != null) {
                out.put(PROG_CPU.of(p.name()), p.cpuPercent());
                out.put(PROG_RSS.of(p.name()), p.rssBytes());
                out.put(PROG_RESTARTS.of(p.name()), (double) p.restarts());
            }
        }
        return out.build();
    }

    /** Loopback interfaces are left out of the host-wide network totals. */
    public static boolean isLoopback(String name) {
        return name == null || name.equals("lo") || name.startsWith("Loopback");
    }

    private static final Instances CPU_CORE = new Instances("cpu_core");
    private static final Instances FS_USED = new Instances("fs_used");
    private static final Instances FS_TOTAL = new Instances("fs_total");
    private static final Instances DISK_READ = new Instances("disk_read");
    private static final Instances DISK_WRITE = new Instances("disk_write");
    private static final Instances DISK_BUSY = new Instances("disk_busy");
    private static final Instances NET_RX = new Instances("net_rx");
    private static final Instances NET_TX = new Instances("net_tx");
    private static final Instances TEMP = new Instances("temp");
    private static final Instances FAN = new Instances("fan");
    private static final Instances GPU_UTIL = new Instances("gpu_util");
    private static final Instances GPU_MEM_USED = new Instances("gpu_mem_used");
    private static final Instances GPU_POWER = new Instances("gpu_power");
    private static final Instances GPU_TEMP = new Instances("gpu_temp");
    private static final Instances PROG_CPU = new Instances("prog_cpu");
    private static final Instances PROG_RSS = new Instances("prog_rss");
    private static final Instances PROG_RESTARTS = new Instances("prog_restarts");

    /**
     * The series names of one metric's instances, made once: every report names the same
     * cores, mounts and interfaces, and one shared string (with its hash) is cheaper than a
     * new one per value. Bounded, so an agent inventing names cannot grow it without limit;
     * past the bound, names are made per call as before.
     */
    private static final class Instances {
        private static final int MAX_NAMES = 1024;
        private static final int INDEXED = 256;

        private final String prefix;
        private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();
        private final String[] indexed = new String[INDEXED];

        Instances(String metric) {
            this.prefix = metric + INSTANCE_SEPARATOR;
        }

        String of(String instance) {
            if (instance == null) {
                return prefix + "null";
            }
            String name = names.get(instance);
            if (name == null) {
                name = prefix + instance;
                if (names.size() < MAX_NAMES && name.length() <= RawSample.MAX_NAME_LENGTH) {
                    names.putIfAbsent(instance, name);
                }
            }
            return name;
        }

        String of(int index) {
            if (index < 0 || index >= INDEXED) {
                return prefix + index;
            }
            String name = indexed[index];
            if (name == null) {
                // A benign race: two threads may both make it; the names are equal.
                indexed[index] = name = prefix + index;
            }
            return name;
        }
    }

    private static final class Builder {
        private final long seq;
        private final long atMs;
        private String[] names = new String[48];
        private double[] values = new double[48];
        private int size;

        Builder(long seq, long atMs) {
            this.seq = seq;
            this.atMs = atMs;
        }

        /** A name that the agent chose part of (a mount, a device): it may repeat one already put. */
        void put(String name, Double value) {
            if (value != null && name.length() <= RawSample.MAX_NAME_LENGTH && !contains(name)) {
                add(name, value);
            }
        }

        void put(String name, Long value) {
            put(name, value == null ? null : value.doubleValue());
        }

        /** A name that this class alone makes, once per sample (host-wide metrics, core numbers). */
        void putUnique(String name, Double value) {
            if (value != null) {
                add(name, value);
            }
        }

        void putUnique(String name, Long value) {
            putUnique(name, value == null ? null : value.doubleValue());
        }

        private void add(String name, double value) {
            if (!Double.isFinite(value)) {
                return;
            }
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            names[size] = name;
            values[size++] = value;
        }

        private boolean contains(String name) {
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    return true;
                }
            }
            return false;
        }

        RawSample build() {
            return new RawSample(seq, atMs, Arrays.copyOf(names, size), Arrays.copyOf(values, size));
        }
    }
}
