package dev.servmon.hub.hosts;

import dev.servmon.hub.storage.Database;
import dev.servmon.hub.storage.IdLists;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** SQL for the host_tags table (a host's tags go with it: ON DELETE CASCADE). */
public final class HostTags {
    private final Jdbi jdbi;

    public HostTags(Database db) {
        this.jdbi = db.jdbi();
    }

    /** The host's tags, sorted. */
    public List<String> of(long hostId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT tag FROM host_tags WHERE host_id = :id ORDER BY tag")
                .bind("id", hostId).mapTo(String.class).list());
    }

    /** The tags of these hosts, sorted; hosts without tags are absent from the map. */
    public Map<Long, List<String>> of(Collection<Long> hostIds) {
        Map<Long, List<String>> out = new HashMap<>();
        for (List<Long> some : IdLists.chunks(hostIds)) {
            jdbi.useHandle(h -> h.createQuery("SELECT host_id, tag FROM host_tags WHERE host_id IN (<ids>) ORDER BY host_id, tag")
                    .bindList("ids", some)
                    .map((rs, ctx) -> {
                        out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                        return null;
                    }).list());
        }
        return out;
    }

    /** Every tagged host's tags, sorted. */
    public Map<Long, List<String>> all() {
        Map<Long, List<String>> all = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT host_id, tag FROM host_tags ORDER BY host_id, tag")
                .map((rs, ctx) -> {
                    all.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                    return null;
                }).list());
        return all;
    }

    /** The ids of the hosts carrying at least one of {@code tags}. */
    public Set<Long> hostsWithAny(Set<String> tags) {
        if (tags.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT host_id FROM host_tags WHERE tag IN (<tags>)")
                .bindList("tags", List.copyOf(tags)).mapTo(Long.class).list()));
    }

    /** Replaces the host's tags (one transaction). */
    public void set(long hostId, Set<String> tags) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM host_tags WHERE host_id = :id").bind("id", hostId).execute();
            if (!tags.isEmpty()) {
                var batch = h.prepareBatch("INSERT INTO host_tags (host_id, tag) VALUES (:id, :tag)");
                for (String tag : tags) {
                    batch.bind("id", hostId).bind("tag", tag).add();
                }
                batch.execute();
            }
        });
    }
}
