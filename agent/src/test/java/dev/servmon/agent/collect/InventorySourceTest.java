package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.agent.Fixtures;
import dev.servmon.protocol.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventorySourceTest {

    @Test
    void disks_with_hardware_behind_them_are_listed_not_md_or_dm_volumes(@TempDir Path dir) throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Files.writeString(proc.resolve("cpuinfo"), Fixtures.text("node-exporter/cpuinfo"));
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("os-release"), Fixtures.text("node-exporter/os-release"));

        Sample.Inventory inv = new InventorySource(proc, Fixtures.path("node-exporter/sys"), etc, name -> List.of()).read(8L << 30);

        assertThat(inv.disks()).containsExactly(
                new Sample.InventoryDisk("nvme0n1", "Samsung SSD 970 PRO 512GB", 3906250000L * 512, false));
        assertThat(inv.os()).isEqualTo("Ubuntu 20.04.2 LTS");
        assertThat(inv.cpuModel()).isEqualTo("Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz");
        assertThat(inv.cpuCores()).isEqualTo(8);
        assertThat(inv.cpuPhysicalCores()).isEqualTo(4);
        assertThat(inv.memTotalBytes()).isEqualTo(8L << 30);
        assertThat(inv.hostname()).as("no /proc/sys/kernel/hostname in this tree").isNull();
        assertThat(inv.nics()).extracting(Sample.Nic::name).containsExactly("eth0");
    }

    @Test
    void the_vm_has_one_virtio_disk_and_one_nic_and_loop_and_empty_zram_devices_are_left_out(@TempDir Path dir) throws Exception {
        Path proc = Fixtures.copyTree("this-vm/proc", dir.resolve("proc"));
        Files.writeString(proc.resolve("cpuinfo"), Fixtures.text("this-vm/cpuinfo"));

        Sample.Inventory inv = new InventorySource(proc, Fixtures.path("this-vm/sys"), dir.resolve("etc"),
                name -> name.equals("ifb0") ? List.of("fe80::f411:e4ff:fef6:83fe/64") : List.of()).read(null);

        assertThat(inv.disks()).containsExactly(new Sample.InventoryDisk("vda", null, 536870912L * 512, true));
        assertThat(inv.nics()).as("ifb0 is virtual with only a link-local address")
                .containsExactly(new Sample.Nic("eth0", "02:fc:00:00:00:01", List.of(), null));
        assertThat(inv.hostname()).isEqualTo("vm");
        assertThat(inv.kernel()).isEqualTo("6.18.44-fc-v669");
        assertThat(inv.os()).as("no os-release anywhere").isNull();
    }

    @Test
    void the_jdk_lists_the_loopback_addresses_with_their_prefix() throws Exception {
        assertThat(InventorySource.jdkAddresses("lo")).contains("127.0.0.1/8");
        assertThat(InventorySource.jdkAddresses("no-such-interface")).isEmpty();
    }
}
