package dev.servmon.protocol;

import java.util.List;

/**
 * One observation of a host at {@code atMs}. Rates (per-second figures) are averaged over the
 * time since the previous sample. Any figure the agent cannot read is {@code null}, never a
 * made-up zero.
 *
 * @param seq per-host, strictly increasing sequence number; (host, seq) identifies a sample
 *     and makes replays idempotent
 * @param atMs when the sample was taken, epoch milliseconds UTC
 * @param cpu processor figures
 * @param memory memory and swap
 * @param filesystems mounted, real (non-pseudo) filesystems
 * @param network per-interface rates
 * @param uptimeSeconds seconds since boot
 * @param usersLoggedIn number of logged-in user sessions
 * @param powerWatts measured power draw, or {@code null} when the host has no sensor
 */
public record Sample(
        long seq,
        long atMs,
        Cpu cpu,
        Memory memory,
        List<Filesystem> filesystems,
        List<NetInterface> network,
        Long uptimeSeconds,
        Integer usersLoggedIn,
        Double powerWatts) {

    public Sample {
        filesystems = filesystems == null ? List.of() : List.copyOf(filesystems);
        network = network == null ? List.of() : List.copyOf(network);
    }

    /**
     * @param percent busy share of all cores, 0..100
     * @param perCorePercent busy share per logical core, 0..100 each
     * @param load1 1-minute load average ({@code null} where the OS has none, e.g. Windows)
     * @param load5 5-minute load average
     * @param load15 15-minute load average
     */
    public record Cpu(Double percent, List<Double> perCorePercent, Double load1, Double load5, Double load15) {
        public Cpu {
            perCorePercent = perCorePercent == null ? List.of() : List.copyOf(perCorePercent);
        }
    }

    /**
     * @param totalBytes physical memory
     * @param usedBytes memory in use (total minus available)
     * @param availableBytes memory available to new work without swapping
     * @param swapTotalBytes swap space
     * @param swapUsedBytes swap in use
     */
    public record Memory(Long totalBytes, Long usedBytes, Long availableBytes, Long swapTotalBytes, Long swapUsedBytes) {}

    /**
     * @param mount mount point (or drive on Windows)
     * @param type filesystem type, e.g. ext4
     * @param totalBytes size
     * @param usedBytes used space
     */
    public record Filesystem(String mount, String type, long totalBytes, long usedBytes) {}

    /**
     * @param name interface name
     * @param rxBytesPerSec received bytes per second
     * @param txBytesPerSec sent bytes per second
     */
    public record NetInterface(String name, double rxBytesPerSec, double txBytesPerSec) {}
}
