package dev.servmon.agent.collect;

import dev.servmon.agent.AgentVersion;
import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import oshi.hardware.CentralProcessor;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OperatingSystem;

/**
 * The inventory as OSHI sees it, for {@link OshiCollector}. The kernel field carries the OS
 * build number (Windows has no separate kernel release); disks' rotational flag is unknown.
 */
final class OshiInventory {
    private final HardwareAbstractionLayer hal;
    private final OperatingSystem os;

    OshiInventory(HardwareAbstractionLayer hal, OperatingSystem os) {
        this.hal = hal;
        this.os = os;
    }

    Sample.Inventory read(Long memTotalBytes) {
        CentralProcessor cpu = hal.getProcessor();
        List<Sample.InventoryDisk> disks = new ArrayList<>();
        for (HWDiskStore d : hal.getDiskStores()) {
            disks.add(new Sample.InventoryDisk(d.getName(), blankToNull(d.getModel()), d.getSize() > 0 ? d.getSize() : null, null));
        }
        List<Sample.Nic> nics = new ArrayList<>();
        for (NetworkIF nif : hal.getNetworkIFs(false)) {
            List<String> addresses = new ArrayList<>();
            String[] v4 = nif.getIPv4addr();
            Short[] masks = nif.getSubnetMasks();
            for (int i = 0; i < v4.length; i++) {
                addresses.add(v4[i] + (i < masks.length ? "/" + masks[i] : ""));
            }
            String[] v6 = nif.getIPv6addr();
            Short[] prefixes = nif.getPrefixLengths();
            for (int i = 0; i < v6.length; i++) {
                String a = v6[i];
                int scope = a.indexOf('%');
                addresses.add((scope < 0 ? a : a.substring(0, scope)) + (i < prefixes.length ? "/" + prefixes[i] : ""));
            }
            long speedMbps = nif.getSpeed() / 1_000_000;
            nics.add(new Sample.Nic(nif.getName(), blankToNull(nif.getMacaddr() == null ? null : nif.getMacaddr().toLowerCase(Locale.ROOT)),
                    addresses, speedMbps > 0 && speedMbps <= Integer.MAX_VALUE ? (int) speedMbps : null));
        }
        OperatingSystem.OSVersionInfo version = os.getVersionInfo();
        int logical = cpu.getLogicalProcessorCount();
        int physical = cpu.getPhysicalProcessorCount();
        return new Sample.Inventory(
                blankToNull(os.getNetworkParams().getHostName()),
                os.toString(),
                version == null ? null : blankToNull(version.getBuildNumber()),
                System.getProperty("os.arch"),
                blankToNull(cpu.getProcessorIdentifier().getName()),
                logical > 0 ? logical : null,
                physical > 0 ? physical : null,
                memTotalBytes,
                disks,
                nics,
                AgentVersion.current());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() || s.equals("unknown") ? null : s.strip();
    }
}
