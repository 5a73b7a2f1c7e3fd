package dev.servmon.agent.collect;

import dev.servmon.agent.Log;
import dev.servmon.protocol.Sample;
import java.io.File;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Samples a Linux machine by reading {@code /proc} and {@code /sys} directly: cheap (a few
 * small file reads per sample, no native library) and what keeps the agent's footprint near
 * the bare JVM's.
 *
 * <p>Every source is read on its own and parsed by a pure parser tested on captured files;
 * one that fails costs only its own figures (see {@link SourceHealth}). Per sample:
 * {@code /proc/stat} (CPU split, per core, context switches, boot time), {@code /proc/loadavg},
 * {@code /proc/meminfo}, {@code /proc/net/dev}, {@code /proc/diskstats}, {@code /proc/uptime},
 * {@code /proc/self/mountinfo} plus {@code statvfs} (through {@link File}'s space queries), utmp, the
 * hwmon and thermal sensors ({@link SensorSource}), {@code nvidia-smi} when installed
 * ({@link GpuSource}) and power ({@link PowerMeter}). At a slower cadence: the top processes
 * ({@link ProcessScanner}, every {@link CollectSettings#processEvery()}) and the inventory
 * ({@link InventorySource}, read every 5 minutes, sent when it changed; see
 * {@link InventorySchedule}). docs/agent-collectors.md lists each figure's source.
 *
 * <p>{@code usersLoggedIn} is {@code null} when there is no utmp file at all (minimal
 * containers, musl systems, distributions that replaced utmp by logind/wtmpdb): "unknown" is
 * more honest there than 0. Inode counts come from {@code df} every 5 minutes
 * ({@link InodeSource}): the JDK does not expose {@code statvfs}'s
 * {@code f_files}/{@code f_ffree}, and the agent loads no native code to get them.
 */
public final class LinuxCollector implements Collector {
    private static final Log log = Log.get(LinuxCollector.class);

    /**
     * Where the collector finds the host's files and tools.
     *
     * @param proc {@code /proc}
     * @param sys {@code /sys}
     * @param etc {@code /etc}
     * @param dev {@code /dev}, for IPMI device nodes
     * @param utmpFiles utmp locations, the first existing one is read
     * @param searchPath where {@code nvidia-smi} and {@code ipmitool} are looked for, a {@code PATH} value
     * @param addresses where network interface addresses come from
     */
    record Host(Path proc, Path sys, Path etc, Path dev, List<Path> utmpFiles, String searchPath,
            InventorySource.NicAddresses addresses) {
        Host {
            utmpFiles = List.copyOf(utmpFiles);
        }

        /** This machine. */
        static Host system() {
            return under(Path.of("/"), System.getenv("PATH"), InventorySource::jdkAddresses);
        }

        /** A host whose files lie under {@code root}: {@code root/proc}, {@code root/sys}, … */
        static Host under(Path root, String searchPath, InventorySource.NicAddresses addresses) {
            return new Host(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"), root.resolve("dev"),
                    List.of(root.resolve("run/utmp"), root.resolve("var/run/utmp")), searchPath, addresses);
        }
    }

    private final Host host;
    private final Cadence processScans;
    private final SourceHealth health = new SourceHealth(log);
    private final Set<String> unreadableMounts = new HashSet<>();
    private final SensorSource sensors;
    private final GpuSource gpu;
    private final PowerMeter power;
    private final InodeSource inodes;
    private final ProcessScanner processScanner;
    private final InventorySource inventorySource;
    private final InventorySchedule inventorySchedule = new InventorySchedule();
    private final Map<String, Boolean> reportedDisks = new HashMap<>();
    private final SmallFile procText = new SmallFile(16 * 1024);
    private final String sensorsSource;
    private final String processesSource;

    private boolean primed;
    private ProcStat lastStat;
    private long lastStatAtNanos;
    private NetDev lastNet;
    private long lastNetAtNanos;
    private DiskStats lastDisks;
    private long lastDisksAtNanos;
    private Sample.Inventory inventory;

    /** A collector of this machine, with default settings. */
    public LinuxCollector() {
        this(CollectSettings.DEFAULTS);
    }

    /** A collector of this machine. */
    public LinuxCollector(CollectSettings settings) {
        this(Host.system(), settings);
    }

    /** A collector of {@code host}'s files; tests pass a captured tree. */
    LinuxCollector(Host host, CollectSettings settings) {
        this.host = host;
        this.processScans = new Cadence(settings.processEvery().toMillis());
        this.sensors = new SensorSource(host.sys());
        this.gpu = GpuSource.find(host.searchPath());
        this.power = new PowerMeter(host.sys(), host.dev(), host.searchPath());
        this.inodes = InodeSource.find(host.searchPath());
        this.processScanner = new ProcessScanner(host.proc(), host.etc().resolve("passwd"), settings.topProcesses());
        this.inventorySource = new InventorySource(host.proc(), host.sys(), host.etc(), host.addresses());
        this.sensorsSource = "sensors in " + host.sys().resolve("class");
        this.processesSource = "processes in " + host.proc();
        if (gpu != null) {
            log.info("servmon agent: nvidia-smi found; GPU figures are read with it");
        }
    }

    /** Whether this machine has the {@code /proc} files this collector needs. */
    public static boolean isSupported() {
        return Files.isReadable(Path.of("/proc/stat")) && Files.isReadable(Path.of("/proc/meminfo"));
    }

    @Override
    public Sample collect(long seq, long atMs) throws InterruptedException {
        if (!primed) {
            prime(atMs);
            primed = true;
        }
        long statAtNanos = System.nanoTime();
        ProcStat stat = health.attempt("/proc/stat", this::readStat);
        long netAtNanos = System.nanoTime();
        NetDev net = health.attempt("/proc/net/dev", this::readNet);
        long disksAtNanos = System.nanoTime();
        DiskStats disks = health.attempt("/proc/diskstats", this::readDisks);
        LoadAvg load = health.attempt("/proc/loadavg", () -> LoadAvg.parse(read("loadavg")));
        MemInfo mem = health.attempt("/proc/meminfo", () -> MemInfo.parse(read("meminfo")));
        Long uptime = health.attempt("/proc/uptime", () -> ProcUptime.parseSeconds(read("uptime")));
        Map<String, DfInodes.Inodes> inodeCounts = inodes == null ? null : health.attempt("df -P -i", () -> inodes.read(atMs));
        List<Sample.Filesystem> filesystems = health.attempt("/proc/self/mountinfo",
                () -> filesystems(inodeCounts == null ? Map.of() : inodeCounts));
        List<Sample.UserSession> users = health.attempt("utmp", this::userSessions);
        SensorSource.Readings sensed = health.attempt(sensorsSource, () -> sensors.read(atMs));
        List<Sample.Gpu> gpus = gpu == null ? null : health.attempt("nvidia-smi", () -> gpu.read(atMs));
        PowerMeter.Reading watts = power.read(atMs, gpus == null ? List.of() : gpus);
        List<Sample.Process> processes = processScans.due(atMs) ? health.attempt(processesSource, processScanner::scan) : null;

        Sample.Cpu cpu = ProcStat.cpu(stat, lastStat, statAtNanos - lastStatAtNanos,
                load == null ? null : load.load1(), load == null ? null : load.load5(), load == null ? null : load.load15());
        List<Sample.NetInterface> network = net != null && lastNet != null
                ? net.ratesSince(lastNet, netAtNanos - lastNetAtNanos)
                : List.of();
        List<Sample.Disk> diskRates = disks != null && lastDisks != null
                ? disks.ratesSince(lastDisks, disksAtNanos - lastDisksAtNanos, this::isReportedDisk)
                : List.of();
        // A failed read keeps the older counters, so the next good read measures over the longer window.
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
        Sample.Inventory sentInventory = inventory(atMs, mem);
        return new Sample(seq, atMs, cpu, mem == null ? null : mem.toMemory(), filesystems, network, uptime,
                users == null ? null : users.size(),
                watts == null ? null : watts.watts(), watts == null ? null : watts.source(),
                diskRates,
                sensed == null ? null : sensed.temperatures(),
                sensed == null ? null : sensed.fans(),
                gpus, users, processes,
                stat == null || stat.bootTimeSeconds() == null ? null : stat.bootTimeSeconds() * 1000,
                sentInventory);
    }

    /**
     * Reads every counter a rate is computed from, then waits {@link #PRIMING_MILLIS}, so the
     * first sample has rates over that short window.
     */
    private void prime(long atMs) throws InterruptedException {
        lastStatAtNanos = System.nanoTime();
        lastStat = health.attempt("/proc/stat", this::readStat);
        lastNetAtNanos = System.nanoTime();
        lastNet = health.attempt("/proc/net/dev", this::readNet);
        lastDisksAtNanos = System.nanoTime();
        lastDisks = health.attempt("/proc/diskstats", this::readDisks);
        power.read(atMs, List.of());
        health.attempt(processesSource, processScanner::scan);
        Thread.sleep(PRIMING_MILLIS);
    }

    private ProcStat readStat() throws IOException {
        return ProcStat.parse(read("stat"));
    }

    private NetDev readNet() throws IOException {
        return NetDev.parse(read("net/dev"));
    }

    private DiskStats readDisks() throws IOException {
        return DiskStats.parse(read("diskstats"));
    }

    /**
     * Whether a device of {@code /proc/diskstats} is reported: decided once per name from the
     * list of {@code /sys/block}, listed again when a device appears that was not there.
     */
    private boolean isReportedDisk(String name) {
        Boolean known = reportedDisks.get(name);
        if (known == null) {
            Set<String> wholeDisks = health.attempt("/sys/block", this::wholeDisks);
            known = DiskStats.isReported(name, wholeDisks);
            reportedDisks.put(name, known);
        }
        return known;
    }

    private Set<String> wholeDisks() throws IOException {
        Path block = host.sys().resolve("block");
        if (!Files.isDirectory(block)) {
            return null;
        }
        return DirEntries.names(block);
    }

    private Sample.Inventory inventory(long atMs, MemInfo mem) {
        if (inventorySchedule.recomputeDue(atMs)) {
            Sample.Inventory now = health.attempt("inventory", () -> inventorySource.read(mem == null ? null : mem.totalBytes()));
            if (now != null) {
                inventory = now;
            }
        }
        return inventorySchedule.toSend(inventory, atMs);
    }

    private List<Sample.Filesystem> filesystems(Map<String, DfInodes.Inodes> inodeCounts) throws IOException {
        List<Sample.Filesystem> result = new ArrayList<>();
        for (MountInfo.Mount m : MountInfo.realFilesystems(MountInfo.parse(read("self/mountinfo")))) {
            // java.io.File's space queries are one statvfs each; Files.getFileStore would also read
            // and parse all of /proc/mounts for every mount, every sample.
            File mount = new File(m.mountPoint());
            long total = mount.getTotalSpace();
            if (total <= 0) {
                // statvfs failed (permissions, a vanished or hung mount): one mount must not hide the others.
                if (unreadableMounts.add(m.mountPoint())) {
                    log.warn("servmon agent: cannot read the size of {} ({} on {}); it is left out of samples while it cannot",
                            m.mountPoint(), m.type(), m.source());
                }
                continue;
            }
            if (unreadableMounts.remove(m.mountPoint())) {
                log.info("servmon agent: the size of {} can be read again", m.mountPoint());
            }
            DfInodes.Inodes in = inodeCounts.get(m.mountPoint());
            result.add(new Sample.Filesystem(m.mountPoint(), m.type(), total, total - mount.getFreeSpace(),
                    m.source(), mount.getUsableSpace(), in == null ? null : in.total(), in == null ? null : in.used()));
        }
        return result;
    }

    private List<Sample.UserSession> userSessions() throws IOException {
        for (Path utmp : host.utmpFiles()) {
            if (Files.exists(utmp)) {
                return Utmp.sessions(Files.readAllBytes(utmp), ByteOrder.nativeOrder());
            }
        }
        return null;
    }

    private String read(String file) throws IOException {
        return procText.readAll(host.proc().resolve(file));
    }
}
