package dev.servmon.hub;

import dev.servmon.hub.api.Json;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/** Realistic samples and batches for tests. */
public final class Samples {
    private Samples() {}

    public static Sample sample(long seq, long atMs) {
        return new Sample(seq, atMs,
                new Sample.Cpu(23.5, List.of(20.0, 27.0), 0.7, 0.5, 0.4),
                new Sample.Memory(8L << 30, 3L << 30, 5L << 30, 2L << 30, 1L << 20),
                List.of(new Sample.Filesystem("/", "ext4", 100L << 30, 40L << 30),
                        new Sample.Filesystem("/data", "xfs", 200L << 30, 50L << 30)),
                List.of(new Sample.NetInterface("eth0", 1000, 500), new Sample.NetInterface("lo", 99999, 99999)),
                3600L, 2, null);
    }

    /** {@link #sample} with this CPU busy share (total and per core). */
    public static Sample withCpu(long seq, long atMs, double cpuPercent) {
        Sample base = sample(seq, atMs);
        return new Sample(base.seq(), base.atMs(), new Sample.Cpu(cpuPercent, List.of(cpuPercent, cpuPercent), 0.7, 0.5, 0.4),
                base.memory(), base.filesystems(), base.network(), base.uptimeSeconds(), base.usersLoggedIn(), base.powerWatts());
    }

    /** A batch of one sample with this CPU busy share, as an agent sends it. */
    public static String cpuBatch(long seq, long atMs, double cpuPercent) {
        return json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10, List.of(withCpu(seq, atMs, cpuPercent))));
    }

    public static String batch(long atMs, long... seqs) {
        return json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10,
                Arrays.stream(seqs).mapToObj(s -> sample(s, atMs)).toList()));
    }

    public static String json(Object o) {
        try {
            return Json.mapper().writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
