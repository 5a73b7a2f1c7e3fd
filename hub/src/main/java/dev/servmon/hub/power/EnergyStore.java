package dev.servmon.hub.power;

import dev.servmon.hub.storage.Database;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** SQL for {@code host_energy}: the nominal power draw of hosts without a power sensor. */
public final class EnergyStore {
    private final Jdbi jdbi;

    public EnergyStore(Database db) {
        this.jdbi = db.jdbi();
    }

    /** Nominal watts by host id, for the hosts that have one. */
    public Map<Long, Double> nominalWatts() {
        Map<Long, Double> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT host_id, nominal_watts FROM host_energy")
                .map((rs, ctx) -> out.put(rs.getLong(1), rs.getDouble(2))).list());
        return out;
    }

    /** Sets the host's nominal watts; null removes them. */
    public void setNominalWatts(long hostId, Double watts) {
        jdbi.useHandle(h -> {
            if (watts == null) {
                h.createUpdate("DELETE FROM host_energy WHERE host_id = :id").bind("id", hostId).execute();
            } else {
                h.createUpdate("INSERT INTO host_energy (host_id, nominal_watts) VALUES (:id, :w) "
                        + "ON CONFLICT (host_id) DO UPDATE SET nominal_watts = excluded.nominal_watts")
                        .bind("id", hostId).bind("w", watts).execute();
            }
        });
    }
}
