package dev.servmon.hub.power;

import dev.servmon.protocol.MagicPacket;
import java.time.Duration;

/**
 * Hub-wide power settings.
 *
 * @param wolBroadcast where the hub sends magic packets when a host has no broadcast address of
 *     its own: an IPv4 address, usually {@code 255.255.255.255} or the LAN's directed broadcast
 *     such as {@code 192.168.1.255}
 * @param wolPort the UDP port of magic packets (9, sometimes 7)
 * @param wakeTimeout how long a wake waits for the host to report before it is "did not wake"
 * @param energyPricePerKwh what a kWh costs, in {@code energyCurrency}, for the energy report
 * @param energyCurrency the currency of {@code energyPricePerKwh}, as shown (e.g. EUR)
 */
public record PowerSettings(String wolBroadcast, int wolPort, Duration wakeTimeout, double energyPricePerKwh, String energyCurrency) {
    public static final Duration DEFAULT_WAKE_TIMEOUT = Duration.ofMinutes(5);
    public static final double DEFAULT_ENERGY_PRICE = 0.30;
    public static final String DEFAULT_ENERGY_CURRENCY = "EUR";
    public static final PowerSettings DEFAULTS = new PowerSettings(MagicPacket.DEFAULT_BROADCAST, MagicPacket.DEFAULT_PORT,
            DEFAULT_WAKE_TIMEOUT, DEFAULT_ENERGY_PRICE, DEFAULT_ENERGY_CURRENCY);

    /** Throws IllegalArgumentException naming the flag to fix. */
    public PowerSettings validate() {
        if (!WakeOnLan.isIpv4(wolBroadcast)) {
            throw new IllegalArgumentException("servmon: --wol-broadcast must be an IPv4 address such as 255.255.255.255 or 192.168.1.255, got '"
                    + wolBroadcast + "'");
        }
        if (wolPort < 1 || wolPort > 65535) {
            throw new IllegalArgumentException("servmon: --wol-port must be between 1 and 65535, got " + wolPort);
        }
        if (wakeTimeout == null || wakeTimeout.toSeconds() < 1 || wakeTimeout.toHours() > 24) {
            throw new IllegalArgumentException("servmon: the wake timeout must be between 1 s and 24 h, got " + wakeTimeout);
        }
        if (!(energyPricePerKwh >= 0 && energyPricePerKwh <= 100)) {
            throw new IllegalArgumentException("servmon: --energy-price must be the price of one kWh, between 0 and 100 (e.g. 0.30), got "
                    + energyPricePerKwh);
        }
        if (energyCurrency == null || !energyCurrency.matches("\\S{1,8}")) {
            throw new IllegalArgumentException("servmon: --energy-currency must be 1 to 8 characters without spaces (e.g. EUR, USD, €), got '"
                    + energyCurrency + "'");
        }
        return this;
    }

    public PowerSettings withWol(String broadcast, int port) {
        return new PowerSettings(broadcast, port, wakeTimeout, energyPricePerKwh, energyCurrency);
    }

    public PowerSettings withWakeTimeout(Duration timeout) {
        return new PowerSettings(wolBroadcast, wolPort, timeout, energyPricePerKwh, energyCurrency);
    }

    public PowerSettings withEnergy(double pricePerKwh, String currency) {
        return new PowerSettings(wolBroadcast, wolPort, wakeTimeout, pricePerKwh, currency);
    }
}
