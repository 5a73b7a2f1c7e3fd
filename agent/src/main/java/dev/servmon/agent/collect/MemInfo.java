package dev.servmon.agent.collect;

import dev.servmon.protocol.Sample;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Memory figures from Linux {@code /proc/meminfo}, in bytes. A figure the file does not carry
 * is {@code null}.
 *
 * @param totalBytes {@code MemTotal}
 * @param availableBytes {@code MemAvailable}; on kernels before 3.14, which lack it,
 *     {@code MemFree + Buffers + Cached} (what {@code free} reported as available then)
 * @param swapTotalBytes {@code SwapTotal}
 * @param swapFreeBytes {@code SwapFree}
 * @param cachedBytes {@code Cached}: the page cache, which the kernel already prints without
 *     the swap cache ({@code SwapCached})
 * @param buffersBytes {@code Buffers}
 */
public record MemInfo(Long totalBytes, Long availableBytes, Long swapTotalBytes, Long swapFreeBytes,
        Long cachedBytes, Long buffersBytes) {
    /** The lines read; the other forty-odd are skipped before their numbers are parsed. */
    private static final Set<String> USED = Set.of("MemTotal", "MemAvailable", "MemFree", "Buffers", "Cached", "SwapTotal", "SwapFree");

    /**
     * Parses the text of {@code /proc/meminfo} ({@code Name:   123 kB} lines).
     *
     * @throws IllegalArgumentException when {@code MemTotal} is missing or a value read is malformed
     */
    public static MemInfo parse(String text) {
        Map<String, Long> kib = new HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            String name = colon <= 0 ? null : line.substring(0, colon);
            if (name == null || !USED.contains(name)) {
                continue;
            }
            String[] value = Fields.split(line.substring(colon + 1));
            try {
                kib.put(name, Long.parseLong(value.length == 0 ? "" : value[0]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed /proc/meminfo line: " + line, e);
            }
        }
        Long total = bytes(kib.get("MemTotal"));
        if (total == null) {
            throw new IllegalArgumentException("no MemTotal in /proc/meminfo text");
        }
        Long available = bytes(kib.get("MemAvailable"));
        if (available == null && kib.containsKey("MemFree") && kib.containsKey("Buffers") && kib.containsKey("Cached")) {
            available = bytes(kib.get("MemFree") + kib.get("Buffers") + kib.get("Cached"));
        }
        return new MemInfo(total, available, bytes(kib.get("SwapTotal")), bytes(kib.get("SwapFree")),
                bytes(kib.get("Cached")), bytes(kib.get("Buffers")));
    }

    /** These figures as the wire record: used = total - available, swap used = swap total - swap free. */
    public Sample.Memory toMemory() {
        Long used = totalBytes != null && availableBytes != null ? Math.max(0, totalBytes - availableBytes) : null;
        Long swapUsed = swapTotalBytes != null && swapFreeBytes != null ? Math.max(0, swapTotalBytes - swapFreeBytes) : null;
        return new Sample.Memory(totalBytes, used, availableBytes, swapTotalBytes, swapUsed, cachedBytes, buffersBytes);
    }

    private static Long bytes(Long kib) {
        return kib == null ? null : kib * 1024;
    }
}
