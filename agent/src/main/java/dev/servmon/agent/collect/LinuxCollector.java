package dev.servmon.agent.collect;

import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import dev.servmon.agent.Log;

/**
 * Samples a Linux machine by reading {@code /proc} directly: cheap (a few small file reads per
 * sample, no native library) and what keeps the agent's footprint near the bare JVM's.
 *
 * <p>Sources: {@code /proc/stat} (CPU, per core), {@code /proc/loadavg}, {@code /proc/meminfo},
 * {@code /proc/net/dev} (all interfaces but loopback), {@code /proc/uptime},
 * {@code /proc/self/mountinfo} plus {@code statvfs} (through {@link FileStore}) for filesystems,
 * and {@code /run/utmp} for logged-in users. Each is parsed by its own pure parser
 * ({@link ProcStat}, {@link LoadAvg}, {@link MemInfo}, {@link NetDev}, {@link ProcUptime},
 * {@link MountInfo}, {@link Utmp}).
 *
 * <p>{@code usersLoggedIn} is {@code null} when there is no utmp file at all (minimal
 * containers, musl systems, distributions that replaced utmp by logind/wtmpdb): "unknown" is
 * more honest there than 0. {@code powerWatts} is not read yet.
 */
public final class LinuxCollector implements Collector {
    private static final Log log = Log.get(LinuxCollector.class);
    private static final List<Path> UTMP_FILES = List.of(Path.of("/run/utmp"), Path.of("/var/run/utmp"));

    private final Path proc;
    private final List<Path> utmpFiles;
    private final SourceHealth health = new SourceHealth(log);
    private final Set<String> unreadableMounts = new HashSet<>();

    private boolean primed;
    private ProcStat lastStat;
    private NetDev lastNet;
    private long lastNetAtNanos;

    /** A collector of this machine's {@code /proc}. */
    public LinuxCollector() {
        this(Path.of("/proc"), UTMP_FILES);
    }

    /**
     * A collector reading another {@code /proc} tree, for tests.
     *
     * @param proc the directory standing for {@code /proc}
     * @param utmpFiles utmp locations, the first existing one is read
     */
    LinuxCollector(Path proc, List<Path> utmpFiles) {
        this.proc = proc;
        this.utmpFiles = List.copyOf(utmpFiles);
    }

    /** Whether this machine has the {@code /proc} files this collector needs. */
    public static boolean isSupported() {
        return Files.isReadable(Path.of("/proc/stat")) && Files.isReadable(Path.of("/proc/meminfo"));
    }

    @Override
    public Sample collect(long seq, long atMs) throws InterruptedException {
        if (!primed) {
            prime();
            primed = true;
        }
        ProcStat stat = health.attempt("/proc/stat", () -> ProcStat.parse(read("stat")));
        long netAtNanos = System.nanoTime();
        NetDev net = health.attempt("/proc/net/dev", () -> NetDev.parse(read("net/dev")));
        LoadAvg load = health.attempt("/proc/loadavg", () -> LoadAvg.parse(read("loadavg")));
        MemInfo mem = health.attempt("/proc/meminfo", () -> MemInfo.parse(read("meminfo")));
        Long uptime = health.attempt("/proc/uptime", () -> ProcUptime.parseSeconds(read("uptime")));
        List<Sample.Filesystem> filesystems = health.attempt("/proc/self/mountinfo", this::filesystems);
        Integer users = health.attempt("utmp", this::usersLoggedIn);

        Sample.Cpu cpu = new Sample.Cpu(
                stat != null && lastStat != null ? stat.busyPercentSince(lastStat) : null,
                stat != null && lastStat != null ? stat.perCoreBusyPercentSince(lastStat) : List.of(),
                load == null ? null : load.load1(),
                load == null ? null : load.load5(),
                load == null ? null : load.load15());
        List<Sample.NetInterface> network = net != null && lastNet != null
                ? net.ratesSince(lastNet, netAtNanos - lastNetAtNanos)
                : List.of();
        // A failed read keeps the older counters, so the next good read measures over the longer window.
        if (stat != null) {
            lastStat = stat;
        }
        if (net != null) {
            lastNet = net;
            lastNetAtNanos = netAtNanos;
        }
        return new Sample(seq, atMs, cpu, mem == null ? null : mem.toMemory(), filesystems, network, uptime, users, null);
    }

    private void prime() throws InterruptedException {
        lastStat = health.attempt("/proc/stat", () -> ProcStat.parse(read("stat")));
        lastNetAtNanos = System.nanoTime();
        lastNet = health.attempt("/proc/net/dev", () -> NetDev.parse(read("net/dev")));
        Thread.sleep(PRIMING_MILLIS);
    }

    private List<Sample.Filesystem> filesystems() throws IOException {
        List<Sample.Filesystem> result = new ArrayList<>();
        for (MountInfo.Mount m : MountInfo.realFilesystems(MountInfo.parse(read("self/mountinfo")))) {
            try {
                FileStore store = Files.getFileStore(Path.of(m.mountPoint()));
                long total = store.getTotalSpace();
                if (total > 0) {
                    result.add(new Sample.Filesystem(m.mountPoint(), m.type(), total, total - store.getUnallocatedSpace()));
                }
                unreadableMounts.remove(m.mountPoint());
            } catch (IOException | RuntimeException e) {
                // One mount we may not stat (permissions, vanished) must not hide the others.
                if (unreadableMounts.add(m.mountPoint())) {
                    log.warn("servmon agent: cannot read the size of {} ({} on {}): {}; it is left out of samples",
                            m.mountPoint(), m.type(), m.source(), e.toString());
                }
            }
        }
        return result;
    }

    private Integer usersLoggedIn() throws IOException {
        for (Path utmp : utmpFiles) {
            if (Files.exists(utmp)) {
                return Utmp.countUserSessions(Files.readAllBytes(utmp), ByteOrder.nativeOrder());
            }
        }
        return null;
    }

    private String read(String file) throws IOException {
        // readAllBytes, not readString: a mount point may hold bytes that are not UTF-8.
        return new String(Files.readAllBytes(proc.resolve(file)), StandardCharsets.UTF_8);
    }
}
