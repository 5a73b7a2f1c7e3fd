package dev.servmon.hub.alerts;

import dev.servmon.hub.metrics.MetricCatalog;
import dev.servmon.hub.metrics.RawSample;
import dev.servmon.protocol.Sample;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numbers a rule can test on one host's latest sample: every series of {@link MetricCatalog}
 * ({@code cpu}, {@code load1}, {@code fs_used:/data}, {@code temp:cpu0}, …) plus a few derived
 * ones people reach for first ({@link #DERIVED}).
 */
public final class HostValues {
    private HostValues() {}

    /** Derived metrics, name → what it is. */
    public static final Map<String, String> DERIVED = new LinkedHashMap<>();

    static {
        DERIVED.put("cpuPercent", "busy share of all cores, %");
        DERIVED.put("memPercent", "memory in use, % of physical memory");
        DERIVED.put("swapPercent", "swap in use, % of swap space");
        DERIVED.put("diskUsedPercent", "used space of the fullest filesystem, %");
        DERIVED.put("load1", "1-minute load average");
        DERIVED.put("loadPerCore", "1-minute load average per logical core");
        DERIVED.put("powerWatts", "measured power draw, W");
        DERIVED.put("tempMaxCelsius", "hottest temperature sensor, °C");
        DERIVED.put("usersLoggedIn", "logged-in user sessions");
    }

    /** Whether rules may name {@code metric}: derived, a catalogue metric, or a catalogue series with instance. */
    public static boolean known(String metric) {
        if (DERIVED.containsKey(metric) || metric.startsWith("diskUsedPercent:")) {
            return true;
        }
        return MetricCatalog.of(metric) != null;
    }

    /** Every value of the sample, by name. */
    public static Map<String, Double> of(Sample s) {
        RawSample raw = MetricCatalog.flatten(s);
        Map<String, Double> v = new HashMap<>(raw.names().length * 2 + 16);
        for (int i = 0; i < raw.names().length; i++) {
            v.put(raw.names()[i], raw.values()[i]);
        }
        put(v, "cpuPercent", v.get("cpu"));
        put(v, "memPercent", percent(v.get("mem_used"), v.get("mem_total")));
        put(v, "swapPercent", percent(v.get("swap_used"), v.get("swap_total")));
        put(v, "powerWatts", v.get("power_watts"));
        put(v, "usersLoggedIn", v.get("users"));
        var cpu = s.cpu();
        if (cpu != null && cpu.load1() != null && !cpu.perCorePercent().isEmpty()) {
            put(v, "loadPerCore", cpu.load1() / cpu.perCorePercent().size());
        }
        Double fullest = null;
        for (var fs : s.filesystems()) {
            Double p = percent((double) fs.usedBytes(), (double) fs.totalBytes());
            if (p != null) {
                v.put("diskUsedPercent:" + fs.mount(), p);
                fullest = fullest == null ? p : Math.max(fullest, p);
            }
        }
        put(v, "diskUsedPercent", fullest);
        Double hottest = null;
        for (var t : s.temperatures()) {
            hottest = hottest == null ? t.celsius() : Math.max(hottest, t.celsius());
        }
        put(v, "tempMaxCelsius", hottest);
        return v;
    }

    private static Double percent(Double used, Double total) {
        return used == null || total == null || total <= 0 ? null : 100.0 * used / total;
    }

    private static void put(Map<String, Double> v, String name, Double value) {
        if (value != null && Double.isFinite(value)) {
            v.put(name, value);
        }
    }
}
