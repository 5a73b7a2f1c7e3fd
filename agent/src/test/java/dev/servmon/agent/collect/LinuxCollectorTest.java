package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.agent.Fixtures;
import dev.servmon.agent.transport.Json;
import dev.servmon.agent.LogCapture;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxCollectorTest {
    private static final long T0 = 1_795_600_000_000L;

    @Test
    void samples_of_this_machine_have_plausible_figures_from_the_first_call() throws Exception {
        assumeTrue(LinuxCollector.isSupported(), "needs Linux /proc");
        LinuxCollector collector = new LinuxCollector();
        long now = System.currentTimeMillis();

        Sample first = collector.collect(7, now);
        Thread.sleep(300); // rates need clock ticks (10 ms each) to pass between calls
        Sample second = collector.collect(8, now + 10_000);

        for (Sample s : List.of(first, second)) {
            assertThat(s.cpu().percent()).isNotNull().isBetween(0.0, 100.0);
            assertThat(s.cpu().perCorePercent()).hasSize(Runtime.getRuntime().availableProcessors())
                    .allSatisfy(p -> assertThat(p).isBetween(0.0, 100.0));
            assertThat(List.of(s.cpu().userPercent(), s.cpu().systemPercent(), s.cpu().iowaitPercent(), s.cpu().stealPercent()))
                    .allSatisfy(p -> assertThat(p).isNotNull().isBetween(0.0, 100.0));
            assertThat(s.cpu().userPercent() + s.cpu().systemPercent() + s.cpu().iowaitPercent() + s.cpu().stealPercent())
                    .isLessThanOrEqualTo(100.0 + 1e-9);
            assertThat(s.cpu().perCore()).hasSize(Runtime.getRuntime().availableProcessors());
            assertThat(s.cpu().contextSwitchesPerSec()).isNotNull().isPositive();
            assertThat(s.cpu().load1()).isNotNull().isGreaterThanOrEqualTo(0.0);
            assertThat(s.memory().totalBytes()).isPositive();
            assertThat(s.memory().usedBytes()).isBetween(0L, s.memory().totalBytes());
            assertThat(s.memory().cachedBytes()).isNotNull().isBetween(0L, s.memory().totalBytes());
            assertThat(s.filesystems()).isNotEmpty().allSatisfy(fs -> {
                assertThat(fs.usedBytes()).isBetween(0L, fs.totalBytes());
                assertThat(fs.freeBytes()).isBetween(0L, fs.totalBytes());
                assertThat(fs.device()).isNotBlank();
                if (fs.type().equals("ext4") || fs.type().equals("xfs")) {
                    assertThat(fs.inodesTotal()).as("inodes of %s from df", fs.mount()).isNotNull().isPositive();
                    assertThat(fs.inodesUsed()).isBetween(1L, fs.inodesTotal());
                }
            });
            assertThat(s.network()).extracting(Sample.NetInterface::name).doesNotContain("lo");
            assertThat(s.network()).allSatisfy(n -> {
                assertThat(n.rxBytesPerSec()).isGreaterThanOrEqualTo(0);
                assertThat(n.rxPacketsPerSec()).isNotNull().isGreaterThanOrEqualTo(0);
            });
            assertThat(s.disks()).allSatisfy(d -> {
                assertThat(d.name()).doesNotStartWith("loop").doesNotStartWith("zram");
                assertThat(d.readBytesPerSec()).isGreaterThanOrEqualTo(0);
                assertThat(d.busyPercent()).isBetween(0.0, 100.0);
            });
            assertThat(s.uptimeSeconds()).isPositive();
            assertThat(s.bootTimeMs()).isNotNull().isLessThan(System.currentTimeMillis())
                    .isCloseTo(System.currentTimeMillis() - s.uptimeSeconds() * 1000, within(120_000L));
            assertThat(s.powerWatts() == null).isEqualTo(s.powerSource() == null);
            assertThat(s.temperatures()).allSatisfy(t -> assertThat(t.celsius()).isBetween(-60.0, 250.0));
        }
        assertThat(first.seq()).isEqualTo(7);
        assertThat(first.processes()).as("the first sample carries a process scan").isNotEmpty()
                .allSatisfy(p -> {
                    assertThat(p.pid()).isPositive();
                    assertThat(p.name()).isNotBlank();
                    assertThat(p.user()).isNotBlank();
                    assertThat(p.rssBytes()).isNotNull().isGreaterThanOrEqualTo(0);
                });
        assertThat(second.processes()).as("10 s later, no scan is due").isEmpty();
        assertThat(first.inventory()).isNotNull();
        assertThat(first.inventory().hostname()).isNotBlank();
        assertThat(first.inventory().kernel()).isEqualTo(System.getProperty("os.version"));
        assertThat(first.inventory().cpuCores()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(first.inventory().memTotalBytes()).isEqualTo(first.memory().totalBytes());
        assertThat(second.inventory()).as("unchanged, so not sent again").isNull();
        boolean hasUtmp = Files.exists(Path.of("/run/utmp")) || Files.exists(Path.of("/var/run/utmp"));
        assertThat(first.usersLoggedIn() == null).isEqualTo(!hasUtmp);
    }

    @Test
    void every_source_of_a_captured_host_ends_up_in_its_sample(@TempDir Path dir) throws Exception {
        Path root = capturedHost(dir);
        Map<String, List<String>> addresses = Map.of("eth0", List.of("192.0.2.10/24", "fe80::1/64"), "bond0", List.of("198.51.100.7/24"));
        LinuxCollector collector = new LinuxCollector(host(root, addresses), CollectSettings.DEFAULTS);

        Sample first = collector.collect(1, T0);
        Files.writeString(root.resolve("proc/stat"), Fixtures.text("this-vm/stat.2"));
        Files.writeString(root.resolve("proc/net/dev"), Fixtures.text("this-vm/net-dev.2"));
        Files.writeString(root.resolve("proc/diskstats"), Fixtures.text("this-vm/diskstats.2"));
        Fixtures.copyTree("this-vm/proc-scan.2", root.resolve("proc-next"));
        replacePids(root);
        Sample second = collector.collect(2, T0 + 10_000);
        Sample third = collector.collect(3, T0 + 30_000);

        // The priming read saw the same /proc/stat twice: no ticks, so no made-up figure.
        assertThat(first.cpu().percent()).isNull();
        assertThat(second.cpu().percent()).isCloseTo(100.0 * (771 - 37) / 771, within(1e-9));
        assertThat(second.cpu().perCorePercent()).hasSize(2);
        assertThat(second.cpu().perCore()).hasSize(2);
        assertThat(second.cpu().userPercent()).isNotNull();
        assertThat(second.cpu().contextSwitchesPerSec()).isPositive();
        assertThat(second.cpu().load1()).isEqualTo(1.12);
        assertThat(second.memory().totalBytes()).isEqualTo(24684084L * 1024);
        assertThat(second.memory().cachedBytes()).isEqualTo(975136L * 1024);
        assertThat(second.uptimeSeconds()).isEqualTo(8640);
        assertThat(second.bootTimeMs()).isEqualTo(1795513268L * 1000);
        assertThat(second.network()).extracting(Sample.NetInterface::name).containsExactly("ifb0", "ifb1", "eth0");
        assertThat(second.disks()).extracting(Sample.Disk::name).containsExactly("vda");
        assertThat(second.disks().get(0).writeBytesPerSec()).isPositive();
        assertThat(second.filesystems()).extracting(Sample.Filesystem::mount).containsExactly("/");
        assertThat(second.filesystems().get(0).device()).isEqualTo("/dev/vda");
        assertThat(second.filesystems().get(0).inodesTotal()).isEqualTo(16777216L);
        assertThat(second.filesystems().get(0).inodesUsed()).isEqualTo(424925L);

        assertThat(second.users()).extracting(Sample.UserSession::user).containsExactly("alice", "bob", "carol");
        assertThat(second.usersLoggedIn()).isEqualTo(3);
        assertThat(second.temperatures()).extracting(Sample.Temperature::sensor).contains("nvme/Composite", "thermal_zone0/cpu-thermal");
        assertThat(second.fans()).hasSize(3);
        assertThat(second.gpus()).extracting(Sample.Gpu::name).containsOnly("NVIDIA A100-SXM4-80GB").hasSize(4);
        assertThat(second.powerWatts()).as("the BMC covers the whole box, so it wins over RAPL").isEqualTo(346.0);
        assertThat(second.powerSource()).isEqualTo("ipmi");

        assertThat(first.processes()).as("scanned on the first sample").extracting(Sample.Process::pid).contains(1L, 22013L, 22031L);
        assertThat(second.processes()).as("not due 10 s later").isEmpty();
        assertThat(third.processes()).as("due 30 s later").filteredOn(p -> p.pid() == 22031)
                .singleElement().satisfies(p -> {
                    assertThat(p.name()).isEqualTo("sh");
                    assertThat(p.user()).isEqualTo("cloudsdk");
                    assertThat(p.cpuPercent()).isPositive();
                });

        Sample.Inventory inv = first.inventory();
        assertThat(inv.hostname()).isEqualTo("vm");
        assertThat(inv.os()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(inv.kernel()).isEqualTo("6.18.44-fc-v669");
        assertThat(inv.cpuModel()).isEqualTo("AMD EPYC");
        assertThat(inv.cpuCores()).isEqualTo(2);
        assertThat(inv.memTotalBytes()).isEqualTo(24684084L * 1024);
        assertThat(inv.disks()).containsExactly(new Sample.InventoryDisk("vda", null, 536870912L * 512, true));
        assertThat(inv.nics()).containsExactly(
                new Sample.Nic("bond0", "01:01:01:01:01:01", List.of("198.51.100.7/24"), null),
                new Sample.Nic("eth0", "01:01:01:01:01:01", List.of("192.0.2.10/24", "fe80::1/64"), 1000));
        assertThat(second.inventory()).isNull();
        assertThat(third.inventory()).isNull();
        for (Sample s : List.of(first, second, third)) {
            assertThat(new ObjectMapper().readValue(Json.write(s), Sample.class)).as("as the hub reads it").isEqualTo(s);
        }
    }

    @Test
    void without_ipmi_the_rapl_counters_give_the_power(@TempDir Path dir) throws Exception {
        Path root = capturedHost(dir);
        Files.delete(root.resolve("bin/ipmitool"));
        LinuxCollector collector = new LinuxCollector(host(root, Map.of()), CollectSettings.DEFAULTS);

        collector.collect(1, T0);
        Path energy = root.resolve("sys/class/powercap/intel-rapl:0/energy_uj");
        Files.writeString(energy, Long.toString(Long.parseLong(Files.readString(energy).trim()) + 30_000_000));
        Sample s = collector.collect(2, T0 + 10_000);

        assertThat(s.powerSource()).isEqualTo("rapl");
        assertThat(s.powerWatts()).isPositive();
    }

    @Test
    void a_missing_source_costs_only_its_own_figures(@TempDir Path dir) throws Exception {
        Path root = capturedHost(dir);
        Files.delete(root.resolve("proc/meminfo"));
        Files.writeString(root.resolve("proc/loadavg"), "garbage");
        Files.writeString(root.resolve("proc/diskstats"), "   8 0 sda 1 0 x 0 1 0 8 0 0 0 0\n");
        Files.delete(root.resolve("run/utmp"));
        Files.writeString(root.resolve("bin/nvidia-smi"), "#!/bin/sh\necho 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'\nexit 9\n");
        LinuxCollector collector = new LinuxCollector(host(root, Map.of()), CollectSettings.DEFAULTS);

        Sample s = collector.collect(1, T0);

        assertThat(s.memory()).isNull();
        assertThat(s.cpu().load1()).isNull();
        assertThat(s.disks()).isEmpty();
        assertThat(s.gpus()).isEmpty();
        assertThat(s.usersLoggedIn()).as("no utmp file: unknown, not 0").isNull();
        assertThat(s.inventory()).as("read without memory").isNotNull();
        assertThat(s.inventory().memTotalBytes()).isNull();
        assertThat(s.uptimeSeconds()).isEqualTo(8640);
        assertThat(s.temperatures()).isNotEmpty();
    }

    @Test
    void a_mount_that_cannot_be_statted_is_left_out_and_logged_once(@TempDir Path dir) throws Exception {
        Path root = capturedHost(dir);
        Path mountinfo = root.resolve("proc/self/mountinfo");
        Files.writeString(mountinfo, Files.readString(mountinfo)
                + "99 27 254:1 / /vanished-servmon-test rw,relatime - ext4 /dev/vdb rw\n");
        LinuxCollector collector = new LinuxCollector(host(root, Map.of()), CollectSettings.DEFAULTS);

        try (LogCapture logs = LogCapture.of(LinuxCollector.class)) {
            Sample first = collector.collect(1, T0);
            Sample second = collector.collect(2, T0 + 10_000);

            assertThat(first.filesystems()).extracting(Sample.Filesystem::mount).containsExactly("/");
            assertThat(second.filesystems()).extracting(Sample.Filesystem::mount).containsExactly("/");
            assertThat(logs.lines()).filteredOn(l -> l.contains("/vanished-servmon-test")).singleElement().asString()
                    .startsWith("WARN").contains("cannot read the size").contains("/dev/vdb");
        }
    }

    @Test
    void a_bare_host_with_only_proc_has_no_sensors_power_gpus_or_inventory_disks(@TempDir Path dir) throws Exception {
        Path root = capturedHost(dir);
        deleteTree(root.resolve("sys"));
        deleteTree(root.resolve("bin"));
        LinuxCollector collector = new LinuxCollector(host(root, Map.of()), CollectSettings.DEFAULTS);

        Sample s = collector.collect(1, T0);

        assertThat(s.temperatures()).isEmpty();
        assertThat(s.fans()).isEmpty();
        assertThat(s.gpus()).isEmpty();
        assertThat(s.powerWatts()).isNull();
        assertThat(s.powerSource()).isNull();
        assertThat(s.inventory().disks()).isEmpty();
        assertThat(s.inventory().nics()).isEmpty();
    }

    private static LinuxCollector.Host host(Path root, Map<String, List<String>> addresses) {
        return LinuxCollector.Host.under(root, root.resolve("bin").toString(), name -> addresses.getOrDefault(name, List.of()));
    }

    /**
     * This VM's /proc with its processes, node_exporter's /sys (sensors, RAPL, battery, NICs)
     * with this VM's block devices, a utmp written by utmpdump, and nvidia-smi and ipmitool
     * stand-ins that print documented output.
     */
    static Path capturedHost(Path dir) throws IOException {
        Path root = dir.resolve("host");
        Path proc = Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(proc.resolve("net"));
        Files.createDirectories(proc.resolve("self"));
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("stat"), Fixtures.text("this-vm/stat.1"));
        Files.writeString(proc.resolve("net/dev"), Fixtures.text("this-vm/net-dev.1"));
        Files.writeString(proc.resolve("diskstats"), Fixtures.text("this-vm/diskstats.1"));
        for (String f : List.of("meminfo", "loadavg", "uptime", "cpuinfo")) {
            Files.writeString(proc.resolve(f), Fixtures.text("this-vm/" + f));
        }
        Files.writeString(proc.resolve("self/mountinfo"), Fixtures.text("this-vm/mountinfo"));
        Fixtures.copyTree("this-vm/proc", proc);
        Fixtures.copyTree("this-vm/proc-scan.1", proc);

        Path sys = Fixtures.copyTree("node-exporter/sys", root.resolve("sys"));
        deleteTree(sys.resolve("block"));
        Fixtures.copyTree("this-vm/sys/block", sys.resolve("block"));

        Fixtures.copyTree("this-vm/etc", root.resolve("etc"));
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/os-release"), Fixtures.text("this-vm/os-release"));
        Files.createDirectories(root.resolve("run"));
        Files.write(root.resolve("run/utmp"), Fixtures.bytes("this-vm/utmp-utmpdump"));

        Path bin = Files.createDirectories(root.resolve("bin"));
        tool(bin.resolve("nvidia-smi"), Fixtures.path("documented/nvidia-smi-datacenter.csv"));
        tool(bin.resolve("ipmitool"), Fixtures.path("documented/ipmitool-dcmi-1.8.18"));
        tool(bin.resolve("df"), Fixtures.path("this-vm/df-P-i-l.txt"));
        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/ipmi0"));
        return root;
    }

    /** A stand-in for a vendor tool: a script printing a documented output. */
    static void tool(Path script, Path output) throws IOException {
        Files.writeString(script, "#!/bin/sh\ncat '" + output + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Moves the processes of proc-next/ over those of proc/, as a later look at /proc would see them. */
    private static void replacePids(Path root) throws IOException {
        Path next = root.resolve("proc-next");
        try (var pids = Files.list(next)) {
            for (Path pid : pids.toList()) {
                for (String f : List.of("stat", "status")) {
                    Files.copy(pid.resolve(f), root.resolve("proc").resolve(pid.getFileName()).resolve(f),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
