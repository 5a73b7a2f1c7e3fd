package dev.servmon.hub.storage;

import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random samples for brute-force checks: random values, series that come and go, jittered times. */
public final class RandomSamples {
    private RandomSamples() {}

    /** {@code n} samples with seq from {@code firstSeq}, about {@code intervalMs} apart from {@code startMs}; times strictly increase. */
    public static List<Sample> run(SplittableRandom rnd, long firstSeq, long startMs, int n, long intervalMs) {
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long at = startMs + i * intervalMs + rnd.nextLong(Math.max(1, intervalMs / 4));
            out.add(sample(rnd, firstSeq + i, at));
        }
        return out;
    }

    public static Sample sample(SplittableRandom rnd, long seq, long atMs) {
        double cpu = rnd.nextDouble() * 100;
        var perCore = List.of(rnd.nextDouble() * 100, rnd.nextDouble() * 100);
        long total = 16L << 30;
        long used = rnd.nextLong(total);
        var fs = new ArrayList<Sample.Filesystem>();
        fs.add(new Sample.Filesystem("/", "ext4", 100L << 30, rnd.nextLong(100L << 30)));
        if (rnd.nextBoolean()) {
            fs.add(new Sample.Filesystem("/data", "xfs", 500L << 30, rnd.nextLong(500L << 30)));
        }
        var net = List.of(new Sample.NetInterface("eth0", rnd.nextDouble() * 1e7, rnd.nextDouble() * 1e6),
                new Sample.NetInterface("lo", rnd.nextDouble() * 1e5, rnd.nextDouble() * 1e5));
        var temps = rnd.nextInt(3) == 0 ? List.<Sample.Temperature>of()
                : List.of(new Sample.Temperature("coretemp/Package id 0", 30 + rnd.nextDouble() * 60, null, null));
        Double power = rnd.nextBoolean() ? null : rnd.nextDouble() * 300;
        return new Sample(seq, atMs,
                new Sample.Cpu(cpu, perCore, rnd.nextDouble() * 8, rnd.nextDouble() * 8, rnd.nextDouble() * 8),
                new Sample.Memory(total, used, total - used, 2L << 30, rnd.nextLong(2L << 30)),
                fs, net, 1000L + seq, rnd.nextInt(6), power,
                power == null ? null : "rapl", List.of(), temps, List.of(), List.of(), List.of(), List.of(), null, null);
    }
}
