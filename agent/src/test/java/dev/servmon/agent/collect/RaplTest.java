package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RaplTest {
    private static final long ONE_SECOND = 1_000_000_000L;

    @Test
    void a_desktop_counts_its_package_and_not_the_core_sub_zone_inside_it() {
        // node_exporter's sys.ttar: intel-rapl:0 "package-0" and intel-rapl:0:0 "core".
        assertThat(Rapl.countedZones(zones("intel-rapl:0", "package-0", "intel-rapl:0:0", "core")))
                .containsExactly("intel-rapl:0");
    }

    @Test
    void a_two_socket_server_counts_both_packages_and_their_dram_zones_but_not_the_mmio_copies() {
        // Documentation/power/powercap/powercap.rst layout on a server: DRAM is a sub-zone outside the package's count.
        Map<String, String> zones = zones(
                "intel-rapl-mmio:0", "package-0",
                "intel-rapl:0", "package-0", "intel-rapl:0:0", "dram", "intel-rapl:0:1", "core",
                "intel-rapl:1", "package-1", "intel-rapl:1:0", "dram");

        assertThat(Rapl.countedZones(zones)).containsExactly("intel-rapl:0", "intel-rapl:0:0", "intel-rapl:1", "intel-rapl:1:0");
    }

    @Test
    void a_laptop_with_a_platform_zone_counts_only_that_zone() {
        Map<String, String> zones = zones("intel-rapl:0", "package-0", "intel-rapl:0:0", "core", "intel-rapl:0:2", "dram",
                "intel-rapl:1", "psys");

        assertThat(Rapl.countedZones(zones)).containsExactly("intel-rapl:1");
    }

    @Test
    void watts_are_the_energy_delta_over_the_time_summed_over_zones() {
        List<Rapl.Reading> before = List.of(new Rapl.Reading("intel-rapl:0", 240422366267L, 262143328850L),
                new Rapl.Reading("intel-rapl:1", 1_000_000L, 262143328850L));
        List<Rapl.Reading> after = List.of(new Rapl.Reading("intel-rapl:0", 240422366267L + 45_000_000L, 262143328850L),
                new Rapl.Reading("intel-rapl:1", 1_000_000L + 15_000_000L, 262143328850L));

        assertThat(Rapl.wattsSince(before, after, 2 * ONE_SECOND)).isCloseTo(30.0, within(1e-9));
    }

    @Test
    void a_counter_that_wrapped_counts_from_its_range_and_one_reset_without_range_gives_nothing() {
        long max = 262143328850L;
        List<Rapl.Reading> before = List.of(new Rapl.Reading("intel-rapl:0", max - 5_000_000L, max));
        List<Rapl.Reading> after = List.of(new Rapl.Reading("intel-rapl:0", 5_000_000L, max));

        assertThat(Rapl.wattsSince(before, after, ONE_SECOND)).isCloseTo(10.0, within(1e-9));
        assertThat(Rapl.wattsSince(List.of(new Rapl.Reading("z:0", 100, 0)), List.of(new Rapl.Reading("z:0", 50, 0)), ONE_SECOND)).isNull();
        assertThat(Rapl.wattsSince(before, List.of(), ONE_SECOND)).isNull();
        assertThat(Rapl.wattsSince(before, after, 0)).isNull();
    }

    private static Map<String, String> zones(String... dirAndName) {
        Map<String, String> zones = new LinkedHashMap<>();
        for (int i = 0; i < dirAndName.length; i += 2) {
            zones.put(dirAndName[i], dirAndName[i + 1]);
        }
        return zones;
    }
}
