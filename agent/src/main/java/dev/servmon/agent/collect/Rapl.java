package dev.servmon.agent.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Power from the RAPL energy counters of {@code /sys/class/powercap} (Intel, and AMD since
 * Linux 5.8, both under the {@code intel-rapl} control type).
 *
 * <p>Zones are directories {@code intel-rapl:<n>} (top level: a CPU package, or {@code psys},
 * the whole platform on recent laptops) and {@code intel-rapl:<n>:<m>} (sub-zones: {@code core}
 * and {@code uncore}, which the package already counts, and {@code dram}, which it does not).
 * Counted: {@code psys} alone when there is one (it covers the rest); otherwise every package
 * plus every {@code dram} zone. {@code intel-rapl-mmio} zones repeat the package counters
 * through another interface and are never counted.
 */
final class Rapl {
    private Rapl() {}

    /**
     * One zone's counter.
     *
     * @param dir the zone's directory name, e.g. {@code intel-rapl:0}
     * @param energyMicrojoules {@code energy_uj}
     * @param maxEnergyRangeMicrojoules {@code max_energy_range_uj}, where the counter wraps to 0;
     *     0 when unknown
     */
    record Reading(String dir, long energyMicrojoules, long maxEnergyRangeMicrojoules) {}

    /**
     * The zones to add up.
     *
     * @param zoneNames each zone directory's name ({@code intel-rapl:0}) and the content of its
     *     {@code name} file ({@code package-0})
     * @return the directories to read, in the order given
     */
    static List<String> countedZones(Map<String, String> zoneNames) {
        List<String> psys = new ArrayList<>();
        List<String> packagesAndDram = new ArrayList<>();
        for (Map.Entry<String, String> e : zoneNames.entrySet()) {
            String dir = e.getKey();
            String name = e.getValue() == null ? "" : e.getValue();
            int colon = dir.indexOf(':');
            if (colon < 0 || dir.substring(0, colon).contains("mmio")) {
                continue;
            }
            boolean topLevel = dir.indexOf(':', colon + 1) < 0;
            if (topLevel && name.equals("psys")) {
                psys.add(dir);
            } else if ((topLevel && name.startsWith("package")) || name.equals("dram")) {
                packagesAndDram.add(dir);
            }
        }
        return psys.isEmpty() ? packagesAndDram : psys;
    }

    /**
     * Average power between two readings of the same zones, {@code elapsedNanos} apart; a
     * counter that wrapped counts from its range. {@code null} when the zones differ, no time
     * passed, or a counter went back without a known range (the zone was reset).
     */
    static Double wattsSince(List<Reading> earlier, List<Reading> now, long elapsedNanos) {
        if (elapsedNanos <= 0 || earlier.size() != now.size() || now.isEmpty()) {
            return null;
        }
        long microjoules = 0;
        for (int i = 0; i < now.size(); i++) {
            Reading before = earlier.get(i);
            Reading after = now.get(i);
            if (!before.dir().equals(after.dir())) {
                return null;
            }
            long delta = after.energyMicrojoules() - before.energyMicrojoules();
            if (delta < 0) {
                if (after.maxEnergyRangeMicrojoules() <= 0) {
                    return null;
                }
                delta += after.maxEnergyRangeMicrojoules();
            }
            microjoules += delta;
        }
        return microjoules / 1e6 / (elapsedNanos / 1e9);
    }
}
