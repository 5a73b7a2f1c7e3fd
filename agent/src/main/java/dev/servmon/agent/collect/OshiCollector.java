package dev.servmon.agent.collect;

import dev.servmon.protocol.Sample;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.servmon.agent.Log;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;

/**
 * Samples this machine through OSHI: for Windows, macOS and the BSDs, and as the fallback on a
 * Linux without a readable {@code /proc}. OSHI loads JNA and costs about 30 MB of memory, so on
 * Linux {@link Collectors#forThisOs()} never loads this class.
 *
 * <p>Figures follow {@link LinuxCollector}: CPU busy share from tick deltas, memory used =
 * total - available, network rates of all non-loopback interfaces, local filesystems only
 * (used = total - free), logged-in sessions as OSHI lists them. Load averages are {@code null}
 * where the OS has none (Windows).
 */
public final class OshiCollector implements Collector {
    private static final Log log = Log.get(OshiCollector.class);

    private final HardwareAbstractionLayer hal;
    private final OperatingSystem os;
    private final SourceHealth health = new SourceHealth(log);

    private boolean primed;
    private long[] lastTicks;
    private long[][] lastCoreTicks;
    private Map<String, long[]> lastNet;
    private long lastNetAtNanos;

    /** A collector of this machine. */
    public OshiCollector() {
        SystemInfo si = new SystemInfo();
        this.hal = si.getHardware();
        this.os = si.getOperatingSystem();
    }

    @Override
    public Sample collect(long seq, long atMs) throws InterruptedException {
        CentralProcessor cpu = hal.getProcessor();
        if (!primed) {
            lastTicks = health.attempt("CPU ticks", cpu::getSystemCpuLoadTicks);
            lastCoreTicks = health.attempt("per-core CPU ticks", cpu::getProcessorCpuLoadTicks);
            lastNetAtNanos = System.nanoTime();
            lastNet = health.attempt("network counters", this::netCounters);
            primed = true;
            Thread.sleep(PRIMING_MILLIS);
        }
        long[] ticks = health.attempt("CPU ticks", cpu::getSystemCpuLoadTicks);
        long[][] coreTicks = health.attempt("per-core CPU ticks", cpu::getProcessorCpuLoadTicks);
        long netAtNanos = System.nanoTime();
        Map<String, long[]> net = health.attempt("network counters", this::netCounters);

        Double percent = ticks != null && lastTicks != null ? percent(cpu.getSystemCpuLoadBetweenTicks(lastTicks)) : null;
        List<Double> perCore = List.of();
        if (coreTicks != null && lastCoreTicks != null && coreTicks.length == lastCoreTicks.length) {
            perCore = new ArrayList<>();
            for (double load : cpu.getProcessorCpuLoadBetweenTicks(lastCoreTicks)) {
                perCore.add(Math.max(0, Math.min(100, load * 100)));
            }
        }
        double[] load = health.attempt("load average", () -> cpu.getSystemLoadAverage(3));
        Sample.Cpu cpuSample = new Sample.Cpu(percent, perCore, loadAt(load, 0), loadAt(load, 1), loadAt(load, 2));

        List<Sample.NetInterface> network = new ArrayList<>();
        if (net != null && lastNet != null && netAtNanos > lastNetAtNanos) {
            double seconds = (netAtNanos - lastNetAtNanos) / 1e9;
            net.forEach((name, now) -> {
                long[] before = lastNet.get(name);
                // New interface or counters gone backwards (re-created, wrapped): no honest rate this time.
                if (before != null && now[0] >= before[0] && now[1] >= before[1]) {
                    network.add(new Sample.NetInterface(name, (now[0] - before[0]) / seconds, (now[1] - before[1]) / seconds));
                }
            });
        }
        if (ticks != null) {
            lastTicks = ticks;
        }
        if (coreTicks != null) {
            lastCoreTicks = coreTicks;
        }
        if (net != null) {
            lastNet = net;
            lastNetAtNanos = netAtNanos;
        }
        return new Sample(seq, atMs, cpuSample,
                health.attempt("memory", this::memory),
                health.attempt("filesystems", this::filesystems),
                network,
                health.attempt("uptime", os::getSystemUptime),
                health.attempt("sessions", () -> os.getSessions().size()),
                null);
    }

    private static Double percent(double ratio) {
        return Double.isNaN(ratio) || ratio < 0 ? null : Math.min(100, ratio * 100);
    }

    private static Double loadAt(double[] load, int i) {
        return load == null || load.length <= i || load[i] < 0 ? null : load[i];
    }

    private Sample.Memory memory() {
        GlobalMemory mem = hal.getMemory();
        long total = mem.getTotal();
        long available = mem.getAvailable();
        return new Sample.Memory(total, Math.max(0, total - available), available,
                mem.getVirtualMemory().getSwapTotal(), mem.getVirtualMemory().getSwapUsed());
    }

    private List<Sample.Filesystem> filesystems() {
        List<Sample.Filesystem> result = new ArrayList<>();
        Set<String> volumes = new HashSet<>();
        for (OSFileStore store : os.getFileSystem().getFileStores(true)) {
            long total = store.getTotalSpace();
            if (total > 0 && volumes.add(store.getVolume())) {
                result.add(new Sample.Filesystem(store.getMount(), store.getType(), total, total - store.getFreeSpace()));
            }
        }
        return result;
    }

    /** Counters {rx, tx} per non-loopback interface. */
    private Map<String, long[]> netCounters() {
        Map<String, long[]> counters = new HashMap<>();
        for (NetworkIF nif : hal.getNetworkIFs(false)) {
            if (!isLoopback(nif)) {
                counters.put(nif.getName(), new long[] {nif.getBytesRecv(), nif.getBytesSent()});
            }
        }
        return counters;
    }

    private static boolean isLoopback(NetworkIF nif) {
        NetworkInterface ni = nif.queryNetworkInterface();
        try {
            return ni != null ? ni.isLoopback() : nif.getName().equals(NetDev.LOOPBACK);
        } catch (SocketException e) {
            log.debug("servmon agent: cannot tell whether {} is loopback; counting it as a network interface", nif.getName(), e);
            return false;
        }
    }
}
