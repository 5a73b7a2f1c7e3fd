package dev.servmon.hub.sim;

import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One made-up server whose figures move the way real ones do, for the fleet simulator
 * ({@code servmon simulate}) and the storage and query benchmarks:
 * CPU as a random walk with per-core noise, memory moving by whole pages, filesystems growing
 * by 4 KiB blocks, bursty disk and network rates, temperatures in whole degrees (as coretemp
 * reports them), a few constants (totals). Constant-only samples would compress far better than
 * anything real, so they are useless for measuring bytes per value.
 */
public final class SyntheticHost {
    private static final long GIB = 1L << 30;
    private final SplittableRandom rnd;
    private final int cores;
    private double cpuBase;
    private double load1;
    private double load5;
    private double load15;
    private long memUsed;
    private long cached;
    private final long memTotal;
    private long rootUsed;
    private long dataUsed;
    private double temp;
    private final boolean hasPower;
    private final long seed;
    private long seq;

    /** A host whose figures and first seq all follow from {@code seed} (the benchmarks' hosts). */
    public SyntheticHost(long seed) {
        this(seed, null);
    }

    /**
     * A host whose first sample has seq {@code firstSeq}: a simulator run against hosts that
     * already reported starts above their last seq, as a real agent does (the current epoch
     * milliseconds), or the hub would drop its samples as replays.
     */
    public SyntheticHost(long seed, long firstSeq) {
        this(seed, Long.valueOf(firstSeq));
    }

    private SyntheticHost(long seed, Long firstSeq) {
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
        this.cores = 2 << rnd.nextInt(3);
        this.memTotal = (8L << rnd.nextInt(3)) * GIB;
        this.cpuBase = 5 + rnd.nextDouble() * 40;
        this.memUsed = pages(memTotal * (0.2 + rnd.nextDouble() * 0.4));
        this.cached = pages(memTotal * 0.2);
        this.rootUsed = 20 * GIB + rnd.nextLong(40 * GIB) / 4096 * 4096;
        this.dataUsed = 100 * GIB + rnd.nextLong(300 * GIB) / 4096 * 4096;
        this.temp = 40 + rnd.nextInt(15);
        this.hasPower = rnd.nextInt(4) == 0;
        long derivedSeq = 1_700_000_000_000L + rnd.nextInt(1_000_000);
        this.seq = firstSeq == null ? derivedSeq : firstSeq;
    }

    /** What this host is made of, as an agent sends it with its first sample. */
    public Sample.Inventory inventory(String hostname) {
        String mac = String.format(java.util.Locale.ROOT, "52:54:00:%02x:%02x:%02x", (seed >> 16) & 0xff, (seed >> 8) & 0xff, seed & 0xff);
        return new Sample.Inventory(hostname, "Debian GNU/Linux 12 (bookworm)", "6.1.0-28-amd64", "amd64",
                "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz", cores, Math.max(1, cores / 2), memTotal,
                List.of(new Sample.InventoryDisk("sda", "QEMU HARDDISK", 100 * GIB, false),
                        new Sample.InventoryDisk("sdb", "QEMU HARDDISK", 500 * GIB, true)),
                List.of(new Sample.Nic("eth0", mac, List.of("10.0." + ((seed >> 8) & 0xff) + "." + (seed & 0xff) + "/16"), 10_000)),
                null);
    }

    private static long pages(double bytes) {
        return ((long) bytes) / 4096 * 4096;
    }

    /** The next sample, taken at {@code atMs}. */
    public Sample next(long atMs) {
        cpuBase = clamp(cpuBase + rnd.nextGaussian() * 3, 1, 95);
        List<Double> perCore = new ArrayList<>(cores);
        double sum = 0;
        for (int c = 0; c < cores; c++) {
            double v = clamp(cpuBase + rnd.nextGaussian() * 8, 0, 100);
            perCore.add(v);
            sum += v;
        }
        double cpu = sum / cores;
        double running = cpu / 100 * cores;
        load1 += (running - load1) * 0.15;
        load5 += (running - load5) * 0.03;
        load15 += (running - load15) * 0.01;
        memUsed = Math.max(GIB / 4, Math.min(memTotal - GIB, memUsed + (long) (rnd.nextGaussian() * 2000) * 4096));
        cached = Math.max(0, Math.min(memTotal - memUsed, cached + (long) (rnd.nextGaussian() * 300) * 4096));
        rootUsed += rnd.nextInt(64) * 4096L;
        dataUsed += rnd.nextInt(512) * 4096L;
        if (rnd.nextInt(20) == 0) {
            temp = clamp(temp + (rnd.nextBoolean() ? 1 : -1), 30, 90);
        }
        var cpuRec = new Sample.Cpu(cpu, perCore, round2(load1), round2(load5), round2(load15),
                cpu * 0.7, cpu * 0.25, rnd.nextDouble() * 2, 0.0, null, 1500 + rnd.nextDouble() * 1000);
        var mem = new Sample.Memory(memTotal, memUsed, memTotal - memUsed, 2 * GIB, 12L * 4096 * 1024, cached, 200L << 20);
        var fs = List.of(new Sample.Filesystem("/", "ext4", 100 * GIB, rootUsed, "/dev/sda1", 100 * GIB - rootUsed, null, null),
                new Sample.Filesystem("/data", "xfs", 500 * GIB, dataUsed, "/dev/sdb1", 500 * GIB - dataUsed, null, null));
        var net = List.of(new Sample.NetInterface("eth0", burst(20_000, 0.05, 5_000_000), burst(8_000, 0.05, 2_000_000)),
                new Sample.NetInterface("lo", burst(500, 0.02, 100_000), burst(500, 0.02, 100_000)));
        var disks = List.of(new Sample.Disk("sda", burst(4_000, 0.05, 50_000_000), burst(60_000, 0.1, 80_000_000),
                rnd.nextDouble() * 5, 5 + rnd.nextDouble() * 20, rnd.nextDouble() * 10));
        var temps = List.of(new Sample.Temperature("coretemp/Package id 0", temp, 80.0, 100.0),
                new Sample.Temperature("acpitz/temp1", 27.8, null, null));
        Double power = hasPower ? 60 + cpu * 0.8 + rnd.nextGaussian() : null;
        return new Sample(seq++, atMs, cpuRec, mem, fs, net, 86_400L, 1, power, hasPower ? "rapl" : null,
                disks, temps, List.of(), List.of(), List.of(), List.of(), 1_700_000_000_000L, null);
    }

    /** A rate: mostly around {@code typical}, sometimes a burst up to {@code peak}. */
    private double burst(double typical, double burstChance, double peak) {
        double v = typical * (0.5 + rnd.nextDouble());
        if (rnd.nextDouble() < burstChance) {
            v += rnd.nextDouble() * peak;
        }
        return v;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
