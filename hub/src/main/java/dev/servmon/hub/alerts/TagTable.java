package dev.servmon.hub.alerts;

import dev.servmon.hub.storage.Database;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link HostGroups} from the {@code host_tags(host_id, tag)} table. Whether the table exists is
 * asked until it does (the accounts feature creates it in its own migration), then remembered.
 */
public final class TagTable implements HostGroups {
    private final Jdbi jdbi;
    private volatile boolean exists;

    public TagTable(Database db) {
        this.jdbi = db.jdbi();
    }

    @Override
    public Set<Long> hostsTagged(String tag) {
        if (!exists && !(exists = tableExists())) {
            return Set.of();
        }
        return new HashSet<>(jdbi.withHandle(h -> h.createQuery("SELECT host_id FROM host_tags WHERE tag = :tag")
                .bind("tag", tag).mapTo(Long.class).list()));
    }

    private boolean tableExists() {
        return jdbi.withHandle(h -> {
            try {
                DatabaseMetaData meta = h.getConnection().getMetaData();
                for (String name : new String[] {"host_tags", "HOST_TAGS"}) {
                    try (ResultSet rs = meta.getTables(null, null, name, new String[] {"TABLE"})) {
                        if (rs.next()) {
                            return true;
                        }
                    }
                }
                return false;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot tell whether the host_tags table exists", e);
            }
        });
    }
}
