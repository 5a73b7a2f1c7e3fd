package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servmon.agent.Fixtures;
import dev.servmon.protocol.Sample;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiskStatsTest {
    private static final long ONE_SECOND = 1_000_000_000L;

    @Test
    void lines_with_11_15_and_17_statistics_parse_alike() {
        DiskStats stats = DiskStats.parse(Fixtures.text("node-exporter/diskstats"));

        // sda: 11 statistics (before Linux 4.18); sdb: 15 (discards); sdc: 17 (flushes).
        assertThat(stats.devices().get("sda")).isEqualTo(new DiskStats.Counters(25354637, 1003346126L * 512, 28444756,
                505697032L * 512, 9653880));
        assertThat(stats.devices().get("sdb")).isEqualTo(new DiskStats.Counters(326552, 9657779L * 512, 41822, 1972905L * 512, 60730));
        assertThat(stats.devices().get("sdc")).isEqualTo(new DiskStats.Counters(126552, 1657779L * 512, 11822, 172905L * 512, 10730));
        assertThat(stats.devices()).containsKeys("nvme0n1", "nvme0n1p1", "dm-0", "mmcblk0", "vda", "sr0", "loop0", "ram0");
    }

    @Test
    void the_four_field_partition_lines_of_kernels_before_2_6_25_are_skipped() {
        DiskStats stats = DiskStats.parse(Fixtures.text("documented/diskstats-2.6.18"));

        assertThat(stats.devices()).containsOnlyKeys("hda", "sda");
        assertThat(stats.devices().get("hda").writtenBytes()).isEqualTo(5922052L * 512);
    }

    @Test
    void rates_of_the_vm_disk_during_a_20_mib_write() {
        DiskStats before = DiskStats.parse(Fixtures.text("this-vm/diskstats.1"));
        DiskStats after = DiskStats.parse(Fixtures.text("this-vm/diskstats.2"));

        List<Sample.Disk> rates = after.ratesSince(before, 2 * ONE_SECOND, name -> DiskStats.isReported(name, Set.of("vda", "zram0", "loop0")));

        assertThat(rates).extracting(Sample.Disk::name).containsExactly("vda");
        Sample.Disk vda = rates.get(0);
        assertThat(vda.writeBytesPerSec()).isEqualTo((20232776L - 20076840L) * 512 / 2.0);
        assertThat(vda.writeBytesPerSec() * 2).as("at least the 20 MiB written").isGreaterThanOrEqualTo(20 * 1024 * 1024);
        assertThat(vda.readBytesPerSec()).isEqualTo((17275234L - 17274802L) * 512 / 2.0);
        assertThat(vda.readOpsPerSec()).isEqualTo((160428 - 160408) / 2.0);
        assertThat(vda.writeOpsPerSec()).isEqualTo((335802 - 335664) / 2.0);
        assertThat(vda.busyPercent()).isCloseTo(100.0 * (37496 - 37428) / 2000, within(1e-9));
    }

    @Test
    void whole_disks_are_kept_and_partitions_loop_ram_zram_and_floppies_are_not() {
        Set<String> sysBlock = Set.of("sda", "nvme0n1", "md0", "dm-0", "mmcblk0", "vda", "sr0", "loop0", "ram0", "zram0", "fd0");

        for (String disk : List.of("sda", "nvme0n1", "md0", "dm-0", "mmcblk0", "vda", "sr0")) {
            assertThat(DiskStats.isReported(disk, sysBlock)).as(disk).isTrue();
            assertThat(DiskStats.isReported(disk, null)).as(disk + " by name").isTrue();
        }
        for (String other : List.of("sda1", "nvme0n1p2", "mmcblk0p1", "vda2", "loop0", "ram15", "zram0", "fd0")) {
            assertThat(DiskStats.isReported(other, sysBlock)).as(other).isFalse();
            assertThat(DiskStats.isReported(other, null)).as(other + " by name").isFalse();
        }
        assertThat(DiskStats.isReported("xvda1", null)).isFalse();
        assertThat(DiskStats.isReported("nbd0p1", null)).isFalse();
    }

    @Test
    void a_device_whose_counters_went_back_or_that_is_new_gets_no_rate_this_time() {
        DiskStats before = DiskStats.parse("   8 0 sda 100 0 800 0 100 0 800 0 0 50 0\n");
        DiskStats after = DiskStats.parse("   8 0 sda 10 0 80 0 200 0 1600 0 0 60 0\n   8 16 sdb 1 0 8 0 1 0 8 0 0 1 0\n");

        assertThat(after.ratesSince(before, ONE_SECOND, name -> true)).isEmpty();
    }

    @Test
    void busy_share_is_capped_at_100_percent() {
        DiskStats before = DiskStats.parse("   8 0 sda 1 0 8 0 1 0 8 0 0 0 0\n");
        DiskStats after = DiskStats.parse("   8 0 sda 2 0 16 0 2 0 16 0 0 1500 0\n");

        assertThat(after.ratesSince(before, ONE_SECOND, name -> true).get(0).busyPercent()).isEqualTo(100.0);
    }

    @Test
    void a_malformed_counter_is_rejected_with_its_line() {
        assertThatThrownBy(() -> DiskStats.parse("   8 0 sda 1 0 x 0 1 0 8 0 0 0 0\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sda 1 0 x");
    }
}
