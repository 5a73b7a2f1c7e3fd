package dev.servmon.agent.collect;

import dev.servmon.agent.AgentVersion;
import dev.servmon.agent.Log;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What this Linux host is made of: OS ({@code /etc/os-release}), kernel, CPU
 * ({@code /proc/cpuinfo}), memory, disks ({@code /sys/block}) and network interfaces
 * ({@code /sys/class/net} and the JDK's view of their addresses).
 *
 * <p>Disks are block devices backed by hardware (a {@code device} link: SATA, SAS, NVMe,
 * virtio, MMC), not loop, RAM, zram, device-mapper or md devices. Interfaces are the physical
 * ones (a {@code device} link) plus any other that holds a routable address (a bridge or bond
 * carrying the host's IP, a VPN), so that dozens of container {@code veth} pairs, which come
 * and go, do not make the inventory change all the time.
 */
final class InventorySource {
    private static final Log log = Log.get(InventorySource.class);

    /** The addresses of an interface, as {@code address/prefix}. */
    interface NicAddresses {
        List<String> of(String interfaceName) throws IOException;
    }

    private final Path proc;
    private final Path sys;
    private final Path etc;
    private final NicAddresses addresses;

    /**
     * @param proc the directory standing for {@code /proc}
     * @param sys the directory standing for {@code /sys}
     * @param etc the directory standing for {@code /etc} ({@code ../usr/lib/os-release} is its fallback)
     * @param addresses where interface addresses come from ({@link #jdkAddresses} on a real host)
     */
    InventorySource(Path proc, Path sys, Path etc, NicAddresses addresses) {
        this.proc = proc;
        this.sys = sys;
        this.etc = etc;
        this.addresses = addresses;
    }

    /**
     * The inventory now.
     *
     * @param memTotalBytes physical memory, from this sample's {@code /proc/meminfo}, or {@code null}
     */
    Sample.Inventory read(Long memTotalBytes) throws IOException {
        CpuInfo cpu = CpuInfo.parse(read(proc.resolve("cpuinfo")));
        String osRelease = SmallFile.readTrimmed(etc.resolve("os-release"));
        if (osRelease == null) {
            osRelease = SmallFile.readTrimmed(etc.resolveSibling("usr/lib/os-release"));
        }
        return new Sample.Inventory(
                SmallFile.readTrimmed(proc.resolve("sys/kernel/hostname")),
                osRelease == null ? null : OsRelease.prettyName(osRelease),
                SmallFile.readTrimmed(proc.resolve("sys/kernel/osrelease")),
                System.getProperty("os.arch"),
                cpu.model(),
                cpu.logicalCores() > 0 ? cpu.logicalCores() : null,
                cpu.physicalCores(),
                memTotalBytes,
                disks(),
                nics(),
                AgentVersion.current());
    }

    private List<Sample.InventoryDisk> disks() throws IOException {
        List<Sample.InventoryDisk> disks = new ArrayList<>();
        for (Path dev : DirEntries.sorted(sys.resolve("block"))) {
            if (!Files.exists(dev.resolve("device"))) {
                continue;
            }
            Long sectors = number(dev.resolve("size"));
            if (sectors == null || sectors == 0) {
                // An empty card reader or optical drive: no disk to list.
                continue;
            }
            String model = SmallFile.readTrimmed(dev.resolve("device/model"));
            Long rotational = number(dev.resolve("queue/rotational"));
            disks.add(new Sample.InventoryDisk(dev.getFileName().toString(),
                    model == null || model.isEmpty() ? null : model,
                    sectors * 512, rotational == null ? null : rotational == 1));
        }
        return disks;
    }

    private List<Sample.Nic> nics() throws IOException {
        List<Sample.Nic> nics = new ArrayList<>();
        for (Path dir : DirEntries.sorted(sys.resolve("class/net"))) {
            String name = dir.getFileName().toString();
            if (name.equals(NetDev.LOOPBACK) || !Files.isDirectory(dir)) {
                continue;
            }
            List<String> addrs = addresses.of(name);
            if (!Files.exists(dir.resolve("device")) && !anyRoutable(addrs)) {
                continue;
            }
            String mac = SmallFile.readTrimmed(dir.resolve("address"));
            nics.add(new Sample.Nic(name,
                    mac == null || mac.isEmpty() || mac.equals("00:00:00:00:00:00") ? null : mac.toLowerCase(Locale.ROOT),
                    addrs, speedMbps(dir)));
        }
        return nics;
    }

    /** The link speed, or {@code null} when the link is down or the driver has none (it answers -1 or EINVAL). */
    private static Integer speedMbps(Path nic) {
        try {
            Long speed = number(nic.resolve("speed"));
            return speed == null || speed <= 0 || speed > Integer.MAX_VALUE ? null : speed.intValue();
        } catch (IOException e) {
            // EINVAL from a link that is down: no speed, as documented in sysfs-class-net.
            log.debug("servmon agent: no link speed for {}: {}", nic.getFileName(), e.toString());
            return null;
        }
    }

    private static boolean anyRoutable(List<String> addresses) {
        for (String a : addresses) {
            if (!a.startsWith("fe80:") && !a.startsWith("169.254.")) {
                return true;
            }
        }
        return false;
    }

    /** Interface addresses as the JDK sees them, {@code 192.168.1.5/24}, {@code 2001:db8::1/64}. */
    static List<String> jdkAddresses(String name) throws SocketException {
        NetworkInterface nif = NetworkInterface.getByName(name);
        if (nif == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
            InetAddress ip = a.getAddress();
            String text = ip.getHostAddress();
            int scope = text.indexOf('%');
            out.add((scope < 0 ? text : text.substring(0, scope)) + "/" + a.getNetworkPrefixLength());
        }
        return out;
    }

    private static Long number(Path file) throws IOException {
        String text = SmallFile.readTrimmed(file);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException("not a number in " + file + ": " + text, e);
        }
    }


    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
