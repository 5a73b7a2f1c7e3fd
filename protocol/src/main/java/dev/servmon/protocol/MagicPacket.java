package dev.servmon.protocol;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Locale;

/**
 * The Wake-on-LAN magic packet: 6 bytes {@code 0xFF} then the target's 6-byte MAC address 16
 * times, 102 bytes, sent as a UDP broadcast (usually to port 9). Built the same way by the hub
 * (direct wake) and by an agent relaying a wake on its LAN.
 */
public final class MagicPacket {
    /** Length of a magic packet. */
    public static final int LENGTH = 6 + 16 * 6;
    /** The usual Wake-on-LAN port (discard); 7 is the other common one. */
    public static final int DEFAULT_PORT = 9;
    /** The limited broadcast address: reaches the sender's own LAN segment. */
    public static final String DEFAULT_BROADCAST = "255.255.255.255";

    private MagicPacket() {}

    /** The packet waking the NIC with this MAC address. */
    public static byte[] of(byte[] mac) {
        if (mac.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, got " + mac.length);
        }
        byte[] packet = new byte[LENGTH];
        for (int i = 0; i < 6; i++) {
            packet[i] = (byte) 0xFF;
        }
        for (int r = 0; r < 16; r++) {
            System.arraycopy(mac, 0, packet, 6 + r * 6, 6);
        }
        return packet;
    }

    /**
     * Parses a MAC address written as six hex pairs separated by {@code :} or {@code -}, or
     * without separators ({@code 00:11:22:aa:bb:cc}, {@code 00-11-22-AA-BB-CC},
     * {@code 001122aabbcc}).
     *
     * @throws IllegalArgumentException naming the text when it is not such an address, or is all zeros or broadcast
     */
    public static byte[] parseMac(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a MAC address is required, e.g. 00:11:22:aa:bb:cc");
        }
        String t = text.strip();
        String hex;
        if (t.length() == 17) {
            char sep = t.charAt(2);
            if (sep != ':' && sep != '-') {
                throw bad(text);
            }
            StringBuilder sb = new StringBuilder(12);
            for (int i = 0; i < 6; i++) {
                if (i > 0 && t.charAt(i * 3 - 1) != sep) {
                    throw bad(text);
                }
                sb.append(t, i * 3, i * 3 + 2);
            }
            hex = sb.toString();
        } else if (t.length() == 12) {
            hex = t;
        } else {
            throw bad(text);
        }
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            int hi = Character.digit(hex.charAt(i * 2), 16);
            int lo = Character.digit(hex.charAt(i * 2 + 1), 16);
            if (hi < 0 || lo < 0) {
                throw bad(text);
            }
            mac[i] = (byte) (hi << 4 | lo);
        }
        boolean zeros = true;
        boolean ones = true;
        for (byte b : mac) {
            zeros &= b == 0;
            ones &= b == (byte) 0xFF;
        }
        if (zeros || ones) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not the MAC address of a network card");
        }
        return mac;
    }

    /**
     * Sends the packet for {@code mac} as a UDP broadcast to {@code broadcast}:{@code port} from
     * this machine (the hub for a direct wake, an agent relaying one on its LAN).
     *
     * @throws IOException when it cannot be sent (no route, broadcasts not allowed)
     */
    public static void send(byte[] mac, String broadcast, int port) throws IOException {
        byte[] packet = of(mac);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setBroadcast(true);
            socket.send(new DatagramPacket(packet, packet.length, InetAddress.getByName(broadcast), port));
        }
    }

    /** {@code aa:bb:cc:dd:ee:ff}, lower case. */
    public static String format(byte[] mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format(Locale.ROOT, "%02x", mac[i] & 0xFF));
        }
        return sb.toString();
    }

    private static IllegalArgumentException bad(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return new IllegalArgumentException("'" + shown + "' is not a MAC address; write it as six hex pairs, e.g. 00:11:22:aa:bb:cc");
    }
}
