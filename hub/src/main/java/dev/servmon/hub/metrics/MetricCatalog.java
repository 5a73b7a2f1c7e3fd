package dev.servmon.hub.metrics;

import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
            out.put("cpu", cpu.percent());
            out.put("cpu_user", cpu.userPercent());
            out.put("cpu_system", cpu.systemPercent());
            out.put("cpu_iowait", cpu.iowaitPercent());
            out.put("cpu_steal", cpu.stealPercent());
            for (int i = 0; i < cpu.perCorePercent().size(); i++) {
                out.put(series("cpu_core", Integer.toString(i)), cpu.perCorePercent().get(i));
            }
            out.put("context_switches", cpu.contextSwitchesPerSec());
            out.put("load1", cpu.load1());
            out.put("load5", cpu.load5());
            out.put("load15", cpu.load15());
        }
        var mem = s.memory();
        if (mem != null) {
            out.put("mem_used", mem.usedBytes());
            out.put("mem_available", mem.availableBytes());
            out.put("mem_total", mem.totalBytes());
            out.put("mem_cached", mem.cachedBytes());
            out.put("swap_used", mem.swapUsedBytes());
            out.put("swap_total", mem.swapTotalBytes());
        }
        if (!s.filesystems().isEmpty()) {
            long used = 0;
            long total = 0;
            for (var fs : s.filesystems()) {
                out.put(series("fs_used", fs.mount()), (double) fs.usedBytes());
                out.put(series("fs_total", fs.mount()), (double) fs.totalBytes());
                used += fs.usedBytes();
                total += fs.totalBytes();
            }
            out.put("fs_used", (double) used);
            out.put("fs_total", (double) total);
        }
        if (!s.disks().isEmpty()) {
            double read = 0;
            double write = 0;
            for (var d : s.disks()) {
                out.put(series("disk_read", d.name()), d.readBytesPerSec());
                out.put(series("disk_write", d.name()), d.writeBytesPerSec());
                out.put(series("disk_busy", d.name()), d.busyPercent());
                read += d.readBytesPerSec();
                write += d.writeBytesPerSec();
            }
            out.put("disk_read", read);
            out.put("disk_write", write);
        }
        Double rx = null;
        Double tx = null;
        for (var nic : s.network()) {
            out.put(series("net_rx", nic.name()), nic.rxBytesPerSec());
            out.put(series("net_tx", nic.name()), nic.txBytesPerSec());
            if (!isLoopback(nic.name())) {
                rx = (rx == null ? 0 : rx) + nic.rxBytesPerSec();
                tx = (tx == null ? 0 : tx) + nic.txBytesPerSec();
            }
        }
        out.put("net_rx", rx);
        out.put("net_tx", tx);
        for (var t : s.temperatures()) {
            out.put(series("temp", t.sensor()), t.celsius());
        }
        for (var f : s.fans()) {
            out.put(series("fan", f.sensor()), f.rpm());
        }
        for (var g : s.gpus()) {
            String i = Integer.toString(g.index());
            out.put(series("gpu_util", i), g.utilPercent());
            out.put(series("gpu_mem_used", i), g.memUsedBytes());
            out.put(series("gpu_power", i), g.powerWatts());
            out.put(series("gpu_temp", i), g.celsius());
        }
        out.put("power_watts", s.powerWatts());
        out.put("users", s.usersLoggedIn() == null ? null : s.usersLoggedIn().doubleValue());
        for (var p : s.programs()) {
            // Supervised programs only: watched units are the OS's, and their names are not ours to key series by.
            if ("program".equals(p.kind()) && p.name() != null) {
                out.put(series("prog_cpu", p.name()), p.cpuPercent());
                out.put(series("prog_rss", p.name()), p.rssBytes());
                out.put(series("prog_restarts", p.name()), (double) p.restarts());
            }
        }
        return out.build();
    }

    /** Loopback interfaces are left out of the host-wide network totals. */
    public static boolean isLoopback(String name) {
        return name == null || name.equals("lo") || name.startsWith("Loopback");
    }

    private static final class Builder {
        private final long seq;
        private final long atMs;
        private final List<String> names = new ArrayList<>(48);
        private final List<Double> values = new ArrayList<>(48);

        Builder(long seq, long atMs) {
            this.seq = seq;
            this.atMs = atMs;
        }

        void put(String name, Double value) {
            if (value != null && Double.isFinite(value) && name.length() <= RawSample.MAX_NAME_LENGTH && !names.contains(name)) {
                names.add(name);
                values.add(value);
            }
        }

        void put(String name, Long value) {
            put(name, value == null ? null : value.doubleValue());
        }

        RawSample build() {
            double[] v = new double[values.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = values.get(i);
            }
            return new RawSample(seq, atMs, names.toArray(String[]::new), v);
        }
    }
}
