package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.agent.Fixtures;
import org.junit.jupiter.api.Test;

class CpuInfoTest {

    @Test
    void an_intel_laptop_has_eight_threads_on_four_cores() {
        assertThat(CpuInfo.parse(Fixtures.text("node-exporter/cpuinfo")))
                .isEqualTo(new CpuInfo("Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz", 8, 4));
    }

    @Test
    void this_vm_has_two_amd_cores() {
        assertThat(CpuInfo.parse(Fixtures.text("this-vm/cpuinfo"))).isEqualTo(new CpuInfo("AMD EPYC", 2, 2));
    }

    @Test
    void an_arm64_server_is_named_from_its_implementer_and_part_and_has_no_topology() {
        assertThat(CpuInfo.parse(Fixtures.text("documented/cpuinfo-aarch64"))).isEqualTo(new CpuInfo("ARM Neoverse-N1", 2, null));
    }

    @Test
    void boards_power_cpus_and_unknown_arm_parts_still_get_a_name() {
        assertThat(CpuInfo.parse("processor\t: 0\nCPU implementer\t: 0x41\nCPU part\t: 0xd08\n\nHardware\t: BCM2835\n"
                + "Model\t\t: Raspberry Pi 4 Model B Rev 1.1\n").model()).isEqualTo("Raspberry Pi 4 Model B Rev 1.1");
        assertThat(CpuInfo.parse("processor\t: 0\ncpu\t\t: POWER9 (architected), altivec supported\n").model())
                .isEqualTo("POWER9 (architected), altivec supported");
        assertThat(CpuInfo.parse("processor\t: 0\nCPU implementer\t: 0xc0\nCPU part\t: 0xac3\n").model()).isEqualTo("Ampere part 0xac3");
        assertThat(CpuInfo.parse("")).isEqualTo(new CpuInfo(null, 0, null));
    }
}
