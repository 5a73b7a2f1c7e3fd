package dev.servmon.bench;

import dev.servmon.agent.collect.Collector;
import dev.servmon.agent.collect.Collectors;
import dev.servmon.agent.transport.Json;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * What one collection costs the agent on this machine: CPU time per collection (this OS's real
 * collector), per JSON encoding, and bytes per report on the wire (gzip, as the agent sends),
 * next to a baseline measured in the same run: the CPU of merely reading the four /proc files
 * the JVM-floor loop reads ({@code bench/footprint/FloorLoop.java}).
 *
 * <pre>java -XX:+UseSerialGC -Xmx16m -XX:TieredStopAtLevel=1 -cp bench/target/servmon-bench.jar \
 *     dev.servmon.bench.AgentCostBench [--collections 300]</pre>
 */
public final class AgentCostBench {
    private static final Path[] FLOOR_FILES = {
        Path.of("/proc/stat"), Path.of("/proc/meminfo"), Path.of("/proc/loadavg"), Path.of("/proc/net/dev")};
    private static final int REPLAY_BATCH = 60;

    private AgentCostBench() {}

    public static void main(String[] args) throws Exception {
        int collections = 300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--collections" -> collections = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("usage: AgentCostBench [--collections N=300]");
                    System.out.println("CPU per collection and encoding, and wire bytes per report, against raw /proc reads in the same run.");
                    return;
                }
                default -> {
                    System.err.println("AgentCostBench: unknown argument " + args[i] + " (see --help)");
                    System.exit(2);
                }
            }
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Collector collector = Collectors.forThisOs();
        List<Sample> samples = new ArrayList<>();
        // Warm-up: priming reads, class loading, C1 compilation of the parsers.
        for (int i = 0; i < 30; i++) {
            samples.add(collector.collect(i, System.currentTimeMillis()));
            readFloorFiles();
        }
        samples.clear();

        long floorNanos = 0;
        long collectNanos = 0;
        long encodeNanos = 0;
        long jsonBytes = 0;
        List<byte[]> encoded = new ArrayList<>();
        for (int i = 0; i < collections; i++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            readFloorFiles();
            long t1 = cpu.getCurrentThreadCpuTime();
            Sample s = collector.collect(1000 + i, System.currentTimeMillis());
            long t2 = cpu.getCurrentThreadCpuTime();
            byte[] json = Json.write(s);
            long t3 = cpu.getCurrentThreadCpuTime();
            floorNanos += t1 - t0;
            collectNanos += t2 - t1;
            encodeNanos += t3 - t2;
            jsonBytes += json.length;
            if (encoded.size() < REPLAY_BATCH) {
                encoded.add(json);
            }
            Thread.sleep(20); // let counters move, as they do between real intervals
        }
        int single = gzip(encoded.subList(0, 1)).length;
        int batch = gzip(encoded).length;
        double floorUs = floorNanos / 1e3 / collections;
        double collectUs = collectNanos / 1e3 / collections;
        double encodeUs = encodeNanos / 1e3 / collections;
        System.out.printf(Locale.ROOT, "collector: %s, %d collections, %s%n", collector.getClass().getSimpleName(), collections,
                System.getProperty("java.vm.version"));
        System.out.printf(Locale.ROOT, "baseline: read 4 /proc files          %9.1f us CPU%n", floorUs);
        System.out.printf(Locale.ROOT, "collect one sample                    %9.1f us CPU  (%.1fx baseline)%n", collectUs, collectUs / floorUs);
        System.out.printf(Locale.ROOT, "encode one sample to JSON             %9.1f us CPU  (%.1fx baseline)%n", encodeUs, encodeUs / floorUs);
        System.out.printf(Locale.ROOT, "JSON per sample                       %9.0f bytes%n", (double) jsonBytes / collections);
        System.out.printf(Locale.ROOT, "wire bytes, 1-sample report (gzip)    %9d bytes%n", single);
        System.out.printf(Locale.ROOT, "wire bytes per sample, %d-sample replay %7.0f bytes%n", encoded.size(), (double) batch / encoded.size());
    }

    private static void readFloorFiles() throws IOException {
        for (Path f : FLOOR_FILES) {
            Files.readAllBytes(f);
        }
    }

    /** The body as the agent sends it: the samples inside a batch envelope, gzip-compressed. */
    private static byte[] gzip(List<byte[]> samples) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes(("{\"protocolVersion\":" + ProtocolVersion.CURRENT + ",\"agentVersion\":\"bench\",\"intervalSeconds\":10,\"samples\":[").getBytes());
        for (int i = 0; i < samples.size(); i++) {
            if (i > 0) {
                raw.write(',');
            }
            raw.writeBytes(samples.get(i));
        }
        raw.writeBytes("]}".getBytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            gz.write(raw.toByteArray());
        }
        return out.toByteArray();
    }
}
