package dev.servmon.agent.collect;

import dev.servmon.agent.Log;
import dev.servmon.protocol.Sample;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.hardware.PowerSource;
import oshi.software.os.OSFileStore;
import oshi.software.os.OSProcess;
import oshi.software.os.OSSession;
import oshi.software.os.OperatingSystem;

/**
 * Samples this machine through OSHI: for Windows, macOS and the BSDs, and as the fallback on a
 * Linux without a readable {@code /proc}. OSHI loads JNA and costs about 30 MB of memory, so on
 * Linux {@link Collectors#forThisOs()} never loads this class.
 *
 * <p>Figures follow {@link LinuxCollector} and are computed by the same code where the raw
 * counters match ({@link ProcStat} for CPU from OSHI's ticks, {@link NetDev} and
 * {@link DiskStats} for rates, {@link InventorySchedule}, {@link GpuSource} for
 * {@code nvidia-smi}, which Windows drivers install too). What OSHI cannot give is
 * {@code null}: page cache and buffers, transmit drops, per-sensor temperatures (one CPU
 * figure at most, and on Windows only where WMI or LibreHardwareMonitor provide it), RAPL and
 * IPMI power. docs/agent-collectors.md has the field-by-field list.
 */
public final class OshiCollector implements Collector {
    private static final Log log = Log.get(OshiCollector.class);

    private final HardwareAbstractionLayer hal;
    private final OperatingSystem os;
    private final CollectSettings settings;
    private final SourceHealth health = new SourceHealth(log);
    private final GpuSource gpu;
    private final OshiInventory inventorySource;
    private final InventorySchedule inventorySchedule = new InventorySchedule();
    private final Cadence processScans;

    private boolean primed;
    private ProcStat lastStat;
    private long lastStatAtNanos;
    private NetDev lastNet;
    private long lastNetAtNanos;
    private DiskStats lastDisks;
    private long lastDisksAtNanos;
    private Map<Integer, OSProcess> lastProcesses;
    private Sample.Inventory inventory;

    /** A collector of this machine, with default settings. */
    public OshiCollector() {
        this(CollectSettings.DEFAULTS);
    }

    /** A collector of this machine. */
    public OshiCollector(CollectSettings settings) {
        SystemInfo si = new SystemInfo();
        this.hal = si.getHardware();
        this.os = si.getOperatingSystem();
        this.settings = settings;
        this.processScans = new Cadence(settings.processEvery().toMillis());
        this.gpu = GpuSource.find(System.getenv("PATH"));
        this.inventorySource = new OshiInventory(hal, os);
    }

    @Override
    public Sample collect(long seq, long atMs) throws InterruptedException {
        if (!primed) {
            lastStatAtNanos = System.nanoTime();
            lastStat = health.attempt("CPU ticks", this::cpuTicks);
            lastNetAtNanos = System.nanoTime();
            lastNet = health.attempt("network counters", this::netCounters);
            lastDisksAtNanos = System.nanoTime();
            lastDisks = health.attempt("disk counters", this::diskCounters);
            lastProcesses = health.attempt("processes", this::allProcesses);
            primed = true;
            Thread.sleep(PRIMING_MILLIS);
        }
        long statAtNanos = System.nanoTime();
        ProcStat stat = health.attempt("CPU ticks", this::cpuTicks);
        long netAtNanos = System.nanoTime();
        NetDev net = health.attempt("network counters", this::netCounters);
        long disksAtNanos = System.nanoTime();
        DiskStats disks = health.attempt("disk counters", this::diskCounters);

        double[] load = health.attempt("load average", () -> hal.getProcessor().getSystemLoadAverage(3));
        Sample.Cpu cpu = ProcStat.cpu(stat, lastStat, statAtNanos - lastStatAtNanos, loadAt(load, 0), loadAt(load, 1), loadAt(load, 2));
        List<Sample.NetInterface> network = new ArrayList<>();
        if (net != null && lastNet != null) {
            for (Sample.NetInterface n : net.ratesSince(lastNet, netAtNanos - lastNetAtNanos)) {
                // OSHI has no transmit drop counter: null, not the 0 NetDev computed from a 0 placeholder.
                network.add(new Sample.NetInterface(n.name(), n.rxBytesPerSec(), n.txBytesPerSec(), n.rxPacketsPerSec(),
                        n.txPacketsPerSec(), n.rxErrorsPerSec(), n.txErrorsPerSec(), n.rxDropsPerSec(), null));
            }
        }
        List<Sample.Disk> diskRates = disks != null && lastDisks != null
                ? disks.ratesSince(lastDisks, disksAtNanos - lastDisksAtNanos, name -> true)
                : List.of();
        if (stat != null) {
            lastStat = stat;
            lastStatAtNanos = statAtNanos;
        }
        if (net != null) {
            lastNet = net;
            lastNetAtNanos = netAtNanos;
        }
        if (disks != null) {
            lastDisks = disks;
            lastDisksAtNanos = disksAtNanos;
        }
        Sample.Memory memory = health.attempt("memory", this::memory);
        List<Sample.UserSession> users = health.attempt("sessions", this::sessions);
        List<Sample.Gpu> gpus = gpu == null ? null : health.attempt("nvidia-smi", () -> gpu.read(atMs));
        PowerMeter.Reading power = power(gpus);
        Sample.Inventory sentInventory = inventory(atMs, memory);
        Long bootTime = health.attempt("boot time", os::getSystemBootTime);
        return new Sample(seq, atMs, cpu, memory,
                health.attempt("filesystems", this::filesystems),
                network,
                health.attempt("uptime", os::getSystemUptime),
                users == null ? null : users.size(),
                power == null ? null : power.watts(), power == null ? null : power.source(),
                diskRates,
                health.attempt("CPU temperature", this::temperatures),
                health.attempt("fans", this::fans),
                gpus, users,
                processScans.due(atMs) ? health.attempt("processes", this::topProcesses) : null,
                bootTime == null || bootTime <= 0 ? null : bootTime * 1000,
                sentInventory);
    }

    /** OSHI's tick counters in the shape of {@code /proc/stat}, so one piece of code computes the shares. */
    private ProcStat cpuTicks() {
        CentralProcessor cpu = hal.getProcessor();
        Map<Integer, ProcStat.Ticks> cores = new LinkedHashMap<>();
        long[][] perCore = cpu.getProcessorCpuLoadTicks();
        for (int i = 0; i < perCore.length; i++) {
            cores.put(i, ticks(perCore[i]));
        }
        long switches = cpu.getContextSwitches();
        return new ProcStat(ticks(cpu.getSystemCpuLoadTicks()), cores, switches > 0 ? switches : null, null);
    }

    private static ProcStat.Ticks ticks(long[] t) {
        return new ProcStat.Ticks(t[TickType.USER.getIndex()], t[TickType.NICE.getIndex()], t[TickType.SYSTEM.getIndex()],
                t[TickType.IDLE.getIndex()], t[TickType.IOWAIT.getIndex()], t[TickType.IRQ.getIndex()],
                t[TickType.SOFTIRQ.getIndex()], t[TickType.STEAL.getIndex()]);
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
                long inodes = store.getTotalInodes();
                result.add(new Sample.Filesystem(store.getMount(), store.getType(), total, total - store.getFreeSpace(),
                        store.getVolume(), store.getUsableSpace(),
                        inodes > 0 ? inodes : null, inodes > 0 ? inodes - store.getFreeInodes() : null));
            }
        }
        return result;
    }

    /** Counters of every non-loopback interface; OSHI has no transmit drops (0 here, null in samples). */
    private NetDev netCounters() {
        Map<String, NetDev.Counters> counters = new LinkedHashMap<>();
        for (NetworkIF nif : hal.getNetworkIFs(false)) {
            if (!isLoopback(nif)) {
                counters.put(nif.getName(), new NetDev.Counters(nif.getBytesRecv(), nif.getPacketsRecv(), nif.getInErrors(),
                        nif.getInDrops(), nif.getBytesSent(), nif.getPacketsSent(), nif.getOutErrors(), 0));
            }
        }
        return new NetDev(counters);
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

    private DiskStats diskCounters() {
        Map<String, DiskStats.Counters> counters = new LinkedHashMap<>();
        for (HWDiskStore d : hal.getDiskStores()) {
            counters.put(d.getName(), new DiskStats.Counters(d.getReads(), d.getReadBytes(), d.getWrites(), d.getWriteBytes(),
                    d.getTransferTime()));
        }
        return new DiskStats(counters);
    }

    private List<Sample.Temperature> temperatures() {
        double celsius = hal.getSensors().getCpuTemperature();
        // OSHI answers 0 (or NaN) when no sensor is readable, which is most Windows machines without LibreHardwareMonitor.
        return celsius > 0 && !Double.isNaN(celsius) ? List.of(new Sample.Temperature("cpu", celsius, null, null)) : List.of();
    }

    private List<Sample.Fan> fans() {
        List<Sample.Fan> fans = new ArrayList<>();
        int[] rpm = hal.getSensors().getFanSpeeds();
        for (int i = 0; i < rpm.length; i++) {
            if (rpm[i] > 0) {
                fans.add(new Sample.Fan("fan" + (i + 1), rpm[i]));
            }
        }
        return fans;
    }

    private List<Sample.UserSession> sessions() {
        List<Sample.UserSession> users = new ArrayList<>();
        for (OSSession s : os.getSessions()) {
            String host = s.getHost();
            users.add(new Sample.UserSession(s.getUserName(), s.getTerminalDevice(),
                    host == null || host.isEmpty() || host.equals("::") ? null : host,
                    s.getLoginTime() > 0 ? s.getLoginTime() : null));
        }
        return users;
    }

    /** Battery discharge, else what the GPUs draw; OSHI reaches neither RAPL nor IPMI. */
    private PowerMeter.Reading power(List<Sample.Gpu> gpus) {
        Double battery = health.attempt("batteries", () -> {
            double milliwatts = 0;
            for (PowerSource p : hal.getPowerSources()) {
                // Negative while discharging; on mains the rate says nothing about the machine's draw.
                if (p.isDischarging() && p.getPowerUsageRate() < 0) {
                    milliwatts -= p.getPowerUsageRate();
                }
            }
            return milliwatts > 0 ? milliwatts / 1000 : null;
        });
        return PowerMeter.choose(null, null, battery, gpus);
    }

    private Map<Integer, OSProcess> allProcesses() {
        Map<Integer, OSProcess> byPid = new HashMap<>();
        for (OSProcess p : os.getProcesses()) {
            byPid.put(p.getProcessID(), p);
        }
        return byPid;
    }

    /** Top N by CPU since the previous scan, then top N by resident memory not already listed. */
    private List<Sample.Process> topProcesses() {
        Map<Integer, OSProcess> now = allProcesses();
        Map<Integer, Double> cpuPercent = new HashMap<>();
        for (OSProcess p : now.values()) {
            OSProcess before = lastProcesses == null ? null : lastProcesses.get(p.getProcessID());
            if (before != null && before.getStartTime() == p.getStartTime()) {
                // A share of one core, like /proc: OSHI divides the CPU time by the elapsed time.
                cpuPercent.put(p.getProcessID(), 100 * p.getProcessCpuLoadBetweenTicks(before));
            }
        }
        lastProcesses = now;
        int top = settings.topProcesses();
        Map<Integer, Sample.Process> chosen = new LinkedHashMap<>();
        now.values().stream()
                .filter(p -> cpuPercent.getOrDefault(p.getProcessID(), 0.0) > 0)
                .sorted(Comparator.comparingDouble((OSProcess p) -> cpuPercent.get(p.getProcessID())).reversed())
                .limit(top)
                .forEach(p -> chosen.put(p.getProcessID(), process(p, cpuPercent)));
        now.values().stream()
                .filter(p -> p.getResidentMemory() > 0)
                .sorted(Comparator.comparingLong(OSProcess::getResidentMemory).reversed())
                .limit(top)
                .forEach(p -> chosen.putIfAbsent(p.getProcessID(), process(p, cpuPercent)));
        return new ArrayList<>(chosen.values());
    }

    private static Sample.Process process(OSProcess p, Map<Integer, Double> cpuPercent) {
        return new Sample.Process(p.getProcessID(), p.getName(), p.getUser(), cpuPercent.get(p.getProcessID()), p.getResidentMemory());
    }

    private Sample.Inventory inventory(long atMs, Sample.Memory memory) {
        if (inventorySchedule.recomputeDue(atMs)) {
            Sample.Inventory now = health.attempt("inventory", () -> inventorySource.read(memory == null ? null : memory.totalBytes()));
            if (now != null) {
                inventory = now;
            }
        }
        return inventorySchedule.toSend(inventory, atMs);
    }
}
