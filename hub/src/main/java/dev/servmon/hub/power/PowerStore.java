package dev.servmon.hub.power;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.storage.Database;
import dev.servmon.protocol.MagicPacket;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's Wake-on-LAN settings: those entered by hand ({@code host_power}) and, for the MAC
 * address when none was entered, the host's inventory (the NICs its agent reported).
 */
public final class PowerStore {
    private static final Logger log = LoggerFactory.getLogger(PowerStore.class);
    private static final String SELECT = "SELECT h.id, d.json AS inventory, p.mac, p.broadcast, p.port FROM hosts h "
            + "LEFT JOIN host_power p ON p.host_id = h.id LEFT JOIN host_details d ON d.host_id = h.id AND d.kind = 'inventory'";

    private final Jdbi jdbi;
    private final ObjectMapper json;

    public PowerStore(Database db, ObjectMapper json) {
        this.jdbi = db.jdbi();
        this.json = json;
    }

    /**
     * A host's Wake-on-LAN settings.
     *
     * @param mac the MAC address to wake, or null when none is known
     * @param macSource {@code manual} (entered by hand), {@code inventory} (reported by the agent) or null
     * @param broadcast the host's own broadcast address, or null for the hub's default
     * @param port the host's own port, or null for the hub's default
     */
    public record Wol(long hostId, String mac, String macSource, String broadcast, Integer port) {}

    /** The host's settings; empty when there is no such host. */
    public Optional<Wol> find(long hostId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE h.id = :id").bind("id", hostId)
                .map((rs, ctx) -> wol(rs))
                .findOne());
    }

    /** Every host whose MAC address is known. */
    public List<Wol> wakeable() {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE p.mac IS NOT NULL OR d.json IS NOT NULL ORDER BY h.id")
                .map((rs, ctx) -> wol(rs))
                .list()).stream().filter(w -> w.mac() != null).toList();
    }

    /** Stores the settings entered by hand (null fields: use the inventory's MAC, the hub's defaults). */
    public void save(long hostId, String mac, String broadcast, Integer port) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO host_power (host_id, mac, broadcast, port) VALUES (:id, :mac, :broadcast, :port) "
                        + "ON CONFLICT (host_id) DO UPDATE SET mac = excluded.mac, broadcast = excluded.broadcast, port = excluded.port")
                .bind("id", hostId).bind("mac", mac).bind("broadcast", broadcast).bind("port", port).execute());
    }

    private Wol wol(java.sql.ResultSet rs) throws java.sql.SQLException {
        int p = rs.getInt(5);
        Integer port = rs.wasNull() ? null : p;
        return wol(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), port);
    }

    private Wol wol(long id, String inventory, String manualMac, String broadcast, Integer port) {
        if (manualMac != null) {
            return new Wol(id, manualMac, "manual", broadcast, port);
        }
        String fromInventory = inventoryMac(id, inventory);
        return new Wol(id, fromInventory, fromInventory == null ? null : "inventory", broadcast, port);
    }

    /**
     * The MAC of the host's first wired-looking NIC with an IPv4 address, else of its first NIC
     * with a usable MAC; loopback and all-zero addresses are skipped.
     */
    private String inventoryMac(long id, String inventory) {
        if (inventory == null) {
            return null;
        }
        JsonNode nics;
        try {
            nics = json.readTree(inventory).path("nics");
        } catch (IOException e) {
            log.warn("inventory of host {} is not JSON; no MAC from it ({})", id, e.getMessage());
            return null;
        }
        String fallback = null;
        for (JsonNode nic : nics) {
            String name = nic.path("name").asText("");
            if (name.equals("lo") || name.startsWith("Loopback")) {
                continue;
            }
            byte[] mac;
            try {
                mac = MagicPacket.parseMac(nic.path("mac").asText(null));
            } catch (IllegalArgumentException e) {
                continue;
            }
            boolean ipv4 = false;
            for (JsonNode a : nic.path("addresses")) {
                ipv4 |= a.asText("").indexOf('.') > 0;
            }
            if (ipv4) {
                return MagicPacket.format(mac);
            }
            if (fallback == null) {
                fallback = MagicPacket.format(mac);
            }
        }
        return fallback;
    }
}
