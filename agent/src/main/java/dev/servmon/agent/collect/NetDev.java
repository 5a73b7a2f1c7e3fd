package dev.servmon.agent.collect;

import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte counters per network interface from Linux {@code /proc/net/dev}.
 *
 * @param interfaces counters keyed by interface name, in file order
 */
public record NetDev(Map<String, Counters> interfaces) {

    /** The loopback interface, left out of samples: traffic to itself is not network traffic. */
    public static final String LOOPBACK = "lo";

    public NetDev {
        interfaces = Collections.unmodifiableMap(new LinkedHashMap<>(interfaces));
    }

    /**
     * @param rxBytes bytes received since the interface came up
     * @param txBytes bytes sent since the interface came up
     */
    public record Counters(long rxBytes, long txBytes) {}

    /**
     * Parses the text of {@code /proc/net/dev}: two header lines, then
     * {@code name: rxBytes rxPackets … (8 receive fields) txBytes …}.
     *
     * @throws IllegalArgumentException when an interface line is malformed
     */
    public static NetDev parse(String text) {
        Map<String, Counters> interfaces = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            // The name ends at the last colon: names may contain colons (e.g. "ibr10:30"), counters never do,
            // and old kernels print no space after it ("eth0:68210035552 ...").
            int colon = line.lastIndexOf(':');
            if (colon <= 0 || line.contains("|")) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 9) {
                throw new IllegalArgumentException("too few fields in /proc/net/dev line: " + line);
            }
            try {
                interfaces.put(name, new Counters(Long.parseLong(f[0]), Long.parseLong(f[8])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed number in /proc/net/dev line: " + line, e);
            }
        }
        return new NetDev(interfaces);
    }

    /**
     * Per-second rates of every non-loopback interface between {@code earlier} and this reading,
     * {@code elapsedNanos} apart. An interface is left out of this one result when it is new
     * (no earlier counters) or its counters went backwards (interface re-created or a 32-bit
     * counter wrapped): any figure for it would be made up.
     */
    public List<Sample.NetInterface> ratesSince(NetDev earlier, long elapsedNanos) {
        if (elapsedNanos <= 0) {
            return List.of();
        }
        double seconds = elapsedNanos / 1e9;
        List<Sample.NetInterface> rates = new ArrayList<>();
        for (Map.Entry<String, Counters> e : interfaces.entrySet()) {
            Counters before = earlier.interfaces.get(e.getKey());
            Counters now = e.getValue();
            if (e.getKey().equals(LOOPBACK) || before == null
                    || now.rxBytes < before.rxBytes || now.txBytes < before.txBytes) {
                continue;
            }
            rates.add(new Sample.NetInterface(e.getKey(),
                    (now.rxBytes - before.rxBytes) / seconds, (now.txBytes - before.txBytes) / seconds));
        }
        return rates;
    }
}
