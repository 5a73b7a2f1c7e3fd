package dev.servmon.agent.collect;

import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Traffic counters per network interface from Linux {@code /proc/net/dev}.
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
     * Counters since the interface came up.
     *
     * @param rxBytes bytes received
     * @param rxPackets packets received
     * @param rxErrors receive errors (bad frames, CRC, overruns)
     * @param rxDrops received packets dropped (no buffer, unknown protocol, filtered)
     * @param txBytes bytes sent
     * @param txPackets packets sent
     * @param txErrors transmit errors
     * @param txDrops packets dropped before sending
     */
    public record Counters(long rxBytes, long rxPackets, long rxErrors, long rxDrops,
            long txBytes, long txPackets, long txErrors, long txDrops) {

        /** Whether any counter is below {@code earlier}'s: the interface was re-created or a 32-bit counter wrapped. */
        boolean wentBackFrom(Counters earlier) {
            return rxBytes < earlier.rxBytes || rxPackets < earlier.rxPackets || rxErrors < earlier.rxErrors
                    || rxDrops < earlier.rxDrops || txBytes < earlier.txBytes || txPackets < earlier.txPackets
                    || txErrors < earlier.txErrors || txDrops < earlier.txDrops;
        }
    }

    /**
     * Parses the text of {@code /proc/net/dev}: two header lines, then
     * {@code name: rxBytes rxPackets rxErrs rxDrop fifo frame compressed multicast txBytes
     * txPackets txErrs txDrop …}.
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
            String[] f = Fields.split(line.substring(colon + 1));
            if (f.length < 12) {
                throw new IllegalArgumentException("too few fields in /proc/net/dev line: " + line);
            }
            try {
                interfaces.put(name, new Counters(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Long.parseLong(f[3]), Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]),
                        Long.parseLong(f[11])));
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
            if (e.getKey().equals(LOOPBACK) || before == null || now.wentBackFrom(before)) {
                continue;
            }
            rates.add(new Sample.NetInterface(e.getKey(),
                    (now.rxBytes - before.rxBytes) / seconds, (now.txBytes - before.txBytes) / seconds,
                    (now.rxPackets - before.rxPackets) / seconds, (now.txPackets - before.txPackets) / seconds,
                    (now.rxErrors - before.rxErrors) / seconds, (now.txErrors - before.txErrors) / seconds,
                    (now.rxDrops - before.rxDrops) / seconds, (now.txDrops - before.txDrops) / seconds));
        }
        return rates;
    }
}
