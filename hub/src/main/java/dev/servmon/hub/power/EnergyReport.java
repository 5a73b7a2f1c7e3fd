package dev.servmon.hub.power;

import dev.servmon.hub.metrics.Rollups;
import dev.servmon.hub.metrics.Rollups.Agg;
import dev.servmon.hub.metrics.Rollups.Tier;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Energy per host and day, from the hourly rollups (docs/control.md "Energy").
 *
 * <p>An hour with power samples counts {@code avg W × covered h}, where covered time is
 * {@code min(samples × interval, 1 h)}: a host that reported power for 20 minutes of an hour used
 * its average draw for those 20 minutes, not for the hour. An hour without power samples counts
 * the host's nominal watts × its hours ON, from the {@code cpu} series' samples the same way, or
 * nothing when it has no nominal watts. Hours belong to the day (in the report's zone) in which
 * they start.
 *
 * <p>The saving of the power policy: after each shutdown or suspend a schedule or idle policy
 * sent, the host's OFF time (from its last sample after the command to its next sample, from the
 * 1-minute rollups) × its average watts while ON in the period (or nominal watts).
 */
public final class EnergyReport {
    static final String POWER = "power_watts";
    static final String CPU = "cpu";
    private static final long HOUR_MS = 3_600_000L;
    private static final long MINUTE_MS = 60_000L;

    private final Rollups rollups;
    private final Decisions decisions;

    public EnergyReport(Rollups rollups, Decisions decisions) {
        this.rollups = rollups;
        this.decisions = decisions;
    }

    /** One day (YYYY-MM-DD in the report's zone) of one host. {@code source}: sensor, nominal, mixed, or none (ON, but no sensor and no nominal watts). */
    public record Day(String date, double kwh, String source, double cost, double hoursOn) {}

    /** What the power policy saved: OFF time after its shutdowns, and that time's energy at the host's ON draw. */
    public record Saved(int shutdowns, double hoursOff, double kwh, double cost) {}

    /** One host over the period. {@code averageWatts}: while ON (sensor hours), else its nominal watts, else null. */
    public record HostEnergy(long hostId, String name, Double nominalWatts, Double averageWatts, double kwh, double cost, double hoursOn,
                             Saved saved, List<Day> days) {}

    /**
     * @param intervalSeconds the host's reporting interval, to turn sample counts into covered time
     * @param nominalWatts null when the host has none
     */
    public HostEnergy host(long hostId, String name, int intervalSeconds, Double nominalWatts, long fromMs, long toMs, long nowMs,
                           ZoneId zone, double price) {
        var rows = rollups.read(Tier.H1, hostId, List.of(POWER, CPU), Tier.H1.bucketOf(fromMs), toMs);
        Map<Long, Agg> power = new HashMap<>();
        Map<Long, Agg> cpu = new HashMap<>();
        for (var r : rows) {
            if (r.bucketMs() >= fromMs) {
                (r.series().equals(POWER) ? power : cpu).put(r.bucketMs(), r.agg());
            }
        }
        Map<LocalDate, double[]> perDay = new TreeMap<>(); // kWh, hours ON, sensor hours, nominal hours, hours without either
        double sensorWh = 0;
        double sensorHours = 0;
        var hours = new java.util.TreeSet<Long>(power.keySet());
        hours.addAll(cpu.keySet());
        for (long hour : hours) {
            double[] d = perDay.computeIfAbsent(Instant.ofEpochMilli(hour).atZone(zone).toLocalDate(), k -> new double[5]);
            Agg p = power.get(hour);
            Agg c = cpu.get(hour);
            double onHours = covered(c != null ? c : p, intervalSeconds);
            d[1] += onHours;
            if (p != null) {
                double h = covered(p, intervalSeconds);
                double wh = p.avg() * h;
                d[0] += wh / 1000;
                d[2] += h;
                sensorWh += wh;
                sensorHours += h;
            } else if (nominalWatts != null) {
                d[0] += nominalWatts * onHours / 1000;
                d[3] += onHours;
            } else {
                d[4] += onHours;
            }
        }
        Double average = sensorHours > 0 ? Double.valueOf(sensorWh / sensorHours) : nominalWatts;
        List<Day> days = new ArrayList<>();
        double kwh = 0;
        double hoursOn = 0;
        for (var e : perDay.entrySet()) {
            double[] d = e.getValue();
            days.add(new Day(e.getKey().toString(), d[0], source(d), d[0] * price, d[1]));
            kwh += d[0];
            hoursOn += d[1];
        }
        return new HostEnergy(hostId, name, nominalWatts, average, kwh, kwh * price, hoursOn,
                saved(hostId, intervalSeconds, average, fromMs, Math.min(toMs, nowMs), price), days);
    }

    /** Hours of an hour bucket the samples cover: count × interval, at most the hour. */
    static double covered(Agg agg, int intervalSeconds) {
        return Math.min((double) agg.count() * intervalSeconds, 3600.0) / 3600.0;
    }

    private static String source(double[] d) {
        boolean sensor = d[2] > 0;
        boolean other = d[3] > 0 || d[4] > 0;
        if (sensor) {
            return other ? "mixed" : "sensor";
        }
        return d[3] > 0 ? (d[4] > 0 ? "mixed" : "nominal") : "none";
    }

    private Saved saved(long hostId, int intervalSeconds, Double watts, long fromMs, long endMs, double price) {
        List<Decisions.Decision> offs = decisions.turnedOff(hostId, fromMs, endMs);
        if (offs.isEmpty()) {
            return new Saved(0, 0, 0, 0);
        }
        // Minutes without a sample count as OFF only beyond the usual gap between samples.
        long tolerance = Math.max(2 * MINUTE_MS, 2_000L * intervalSeconds);
        var minutes = rollups.read(Tier.M1, hostId, List.of(CPU), Tier.M1.bucketOf(offs.get(0).atMs()), endMs).stream()
                .map(Rollups.Row::bucketMs).toList();
        long offMs = 0;
        long coveredUntil = Long.MIN_VALUE;
        int counted = 0;
        for (var d : offs) {
            if (d.atMs() < coveredUntil) {
                continue; // sent while the host was already off after an earlier one
            }
            long prev = Tier.M1.bucketOf(d.atMs());
            long offStart = -1;
            long offEnd = endMs;
            for (long m : minutes) {
                if (m <= prev) {
                    continue;
                }
                if (m - prev > tolerance) {
                    offStart = prev + MINUTE_MS;
                    offEnd = m;
                    break;
                }
                prev = m;
            }
            if (offStart < 0 && endMs - prev > tolerance) {
                offStart = prev + MINUTE_MS;
            }
            if (offStart >= 0 && offEnd > offStart) {
                offMs += offEnd - offStart;
                coveredUntil = offEnd;
                counted++;
            }
        }
        double hoursOff = offMs / (double) HOUR_MS;
        double kwh = watts == null ? 0 : hoursOff * watts / 1000;
        return new Saved(counted, hoursOff, kwh, kwh * price);
    }
}
