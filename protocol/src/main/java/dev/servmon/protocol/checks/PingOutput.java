package dev.servmon.protocol.checks;

import java.util.Locale;

/**
 * Pure readers for ping checks, shared by hub and agent: the round trip in the system
 * {@code ping}'s output, and whether a process may send ICMP itself (CAP_NET_RAW).
 */
public final class PingOutput {
    /** CAP_NET_RAW is bit 13 of the capability sets. */
    private static final long CAP_NET_RAW = 1L << 13;

    private PingOutput() {}

    /** The {@code time=0.045 ms} (or {@code time<1 ms}) of ping's output, or null. */
    public static Double roundTripMs(String output) {
        int at = output.indexOf("time=");
        if (at < 0) {
            at = output.indexOf("time<");
        }
        if (at < 0) {
            return null;
        }
        int from = at + 5;
        int to = from;
        while (to < output.length() && (Character.isDigit(output.charAt(to)) || output.charAt(to) == '.')) {
            to++;
        }
        String rest = output.substring(to).stripLeading();
        if (to == from || !rest.startsWith("ms")) {
            return null;
        }
        try {
            return Double.valueOf(output.substring(from, to));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parses the {@code CapEff:} line of a /proc/PID/status text: whether CAP_NET_RAW is effective. */
    public static boolean hasNetRaw(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("CapEff:")) {
                long caps = Long.parseUnsignedLong(line.substring(7).strip().toLowerCase(Locale.ROOT), 16);
                return (caps & CAP_NET_RAW) != 0;
            }
        }
        return false;
    }
}
