package dev.servmon.hub.power;

import dev.servmon.protocol.MagicPacket;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Sends Wake-on-LAN magic packets from the hub (a UDP broadcast from its own network). */
public final class WakeOnLan {
    private WakeOnLan() {}

    /**
     * Sends the magic packet for {@code mac} to {@code broadcast}:{@code port}.
     *
     * @throws UncheckedIOException when the packet cannot be sent (no route, broadcast not allowed)
     */
    public static void send(byte[] mac, String broadcast, int port) {
        try {
            MagicPacket.send(mac, broadcast, port);
        } catch (IOException e) {
            throw new UncheckedIOException("the magic packet could not be sent to " + broadcast + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** True for a dotted IPv4 literal (no name lookups: the address goes into packets as given). */
    public static boolean isIpv4(String text) {
        if (text == null) {
            return false;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
