package dev.servmon.agent.collect;

import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * IO counters per block device from Linux {@code /proc/diskstats}.
 *
 * <p>Each line is {@code major minor name} and then the statistics of
 * Documentation/admin-guide/iostats.rst: 11 of them up to Linux 4.17 (14 fields in all), 15
 * from 4.18 (discards), 17 from 5.5 (flushes). Only the first 11 are read, so every layout
 * parses the same. Sectors are always 512 bytes here, whatever the device's sector size.
 *
 * @param devices counters keyed by device name, in file order
 */
public record DiskStats(Map<String, Counters> devices) {
    private static final int SECTOR_BYTES = 512;
    private static final int MIN_FIELDS = 14;
    /** Memory-backed and floppy devices: their "IO" is not disk traffic. */
    private static final List<String> NOT_DISKS = List.of("loop", "ram", "zram", "fd");

    public DiskStats {
        devices = Collections.unmodifiableMap(new LinkedHashMap<>(devices));
    }

    /**
     * Counters since boot.
     *
     * @param reads reads completed
     * @param readBytes bytes read
     * @param writes writes completed
     * @param writtenBytes bytes written
     * @param busyMillis milliseconds spent with IO in flight
     */
    public record Counters(long reads, long readBytes, long writes, long writtenBytes, long busyMillis) {
        boolean wentBackFrom(Counters earlier) {
            return reads < earlier.reads || readBytes < earlier.readBytes || writes < earlier.writes
                    || writtenBytes < earlier.writtenBytes || busyMillis < earlier.busyMillis;
        }
    }

    /**
     * Parses the text of {@code /proc/diskstats}. Lines with fewer than 14 fields (the 7-field
     * partition lines of kernels before 2.6.25) are skipped: they are partitions.
     *
     * @throws IllegalArgumentException when a number is malformed
     */
    public static DiskStats parse(String text) {
        Map<String, Counters> devices = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] f = Fields.split(line);
            if (f.length < MIN_FIELDS) {
                continue;
            }
            try {
                devices.put(f[2], new Counters(Long.parseLong(f[3]), Long.parseLong(f[5]) * SECTOR_BYTES,
                        Long.parseLong(f[7]), Long.parseLong(f[9]) * SECTOR_BYTES, Long.parseLong(f[12])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed number in /proc/diskstats line: " + line.trim(), e);
            }
        }
        return new DiskStats(devices);
    }

    /**
     * Whether {@code name} is a whole disk worth reporting: not a partition, not a loop, RAM,
     * zram or floppy device. {@code md*} RAID arrays and {@code dm-*} device-mapper volumes are
     * kept: they are what filesystems sit on.
     *
     * @param wholeDisks the entries of {@code /sys/block}, which lists whole devices and no
     *     partitions; {@code null} when it cannot be read, then partitions are told by name
     *     ({@code sda1}, {@code nvme0n1p2}, {@code mmcblk0p1}, {@code vda2})
     */
    public static boolean isReported(String name, Set<String> wholeDisks) {
        for (String prefix : NOT_DISKS) {
            if (name.startsWith(prefix) && name.length() > prefix.length() && Character.isDigit(name.charAt(prefix.length()))) {
                return false;
            }
        }
        return wholeDisks != null ? wholeDisks.contains(name) : !looksLikePartition(name);
    }

    static boolean looksLikePartition(String name) {
        int end = name.length();
        int digits = end;
        while (digits > 0 && Character.isDigit(name.charAt(digits - 1))) {
            digits--;
        }
        if (digits == end || digits == 0) {
            return false;
        }
        String stem = name.substring(0, digits);
        if (stem.endsWith("p") && (stem.startsWith("nvme") || stem.startsWith("mmcblk") || stem.startsWith("nbd"))) {
            // nvme0n1p2, mmcblk0p1: the whole disk ends in a digit itself, so only "p<n>" marks a partition.
            return Character.isDigit(stem.charAt(stem.length() - 2));
        }
        // sda1, vdb2, xvda1, hdc3: a letter-only disk name followed by digits.
        if (!(stem.startsWith("sd") || stem.startsWith("vd") || stem.startsWith("xvd") || stem.startsWith("hd"))) {
            return false;
        }
        for (int i = 0; i < stem.length(); i++) {
            if (!Character.isLetter(stem.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Per-second rates of the devices {@code include} accepts between {@code earlier} and this
     * reading, {@code elapsedNanos} apart. A device is left out of this one result when it is new
     * or a counter went backwards (device re-created, or a 32-bit kernel's counter wrapped):
     * any figure for it would be made up.
     */
    public List<Sample.Disk> ratesSince(DiskStats earlier, long elapsedNanos, Predicate<String> include) {
        if (elapsedNanos <= 0) {
            return List.of();
        }
        double seconds = elapsedNanos / 1e9;
        List<Sample.Disk> rates = new ArrayList<>();
        for (Map.Entry<String, Counters> e : devices.entrySet()) {
            Counters before = earlier.devices.get(e.getKey());
            Counters now = e.getValue();
            if (before == null || now.wentBackFrom(before) || !include.test(e.getKey())) {
                continue;
            }
            double busyPercent = Math.min(100.0, 100.0 * (now.busyMillis - before.busyMillis) / (seconds * 1000));
            rates.add(new Sample.Disk(e.getKey(),
                    (now.readBytes - before.readBytes) / seconds,
                    (now.writtenBytes - before.writtenBytes) / seconds,
                    (now.reads - before.reads) / seconds,
                    (now.writes - before.writes) / seconds,
                    busyPercent));
        }
        return rates;
    }
}
