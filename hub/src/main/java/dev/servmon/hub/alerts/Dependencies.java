package dev.servmon.hub.alerts;

import dev.servmon.hub.storage.Database;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * What depends on what: a host on the hosts it is reached through (a switch, a hypervisor), and
 * any other subject (a health check) on another, named by opaque strings its feature chooses.
 * While a parent is down its children's alerts are held, and the parent's notification lists them.
 */
public final class Dependencies {
    /** Most parents one host may have. */
    public static final int MAX_PARENTS = 16;

    private final Jdbi jdbi;

    public Dependencies(Database db) {
        this.jdbi = db.jdbi();
    }

    /** child host id → its direct parents. */
    public Map<Long, Set<Long>> hostParents() {
        Map<Long, Set<Long>> parents = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT child_host_id, parent_host_id FROM host_dependencies")
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                .forEach(e -> parents.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).add(e.getValue())));
        return parents;
    }

    public List<Long> parentsOf(long hostId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT parent_host_id FROM host_dependencies WHERE child_host_id = :id ORDER BY parent_host_id")
                .bind("id", hostId).mapTo(Long.class).list());
    }

    /**
     * Makes {@code parents} the host's parents. IllegalArgumentException when that would make a
     * cycle (a host depending, through others, on itself).
     */
    public void setParents(long hostId, Set<Long> parents) {
        if (parents.size() > MAX_PARENTS) {
            throw new IllegalArgumentException("a host may depend on at most " + MAX_PARENTS + " hosts, got " + parents.size());
        }
        if (parents.contains(hostId)) {
            throw new IllegalArgumentException("host " + hostId + " cannot depend on itself");
        }
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM host_dependencies WHERE child_host_id = :id").bind("id", hostId).execute();
            for (long p : parents) {
                h.createUpdate("INSERT INTO host_dependencies (child_host_id, parent_host_id) VALUES (:c, :p)")
                        .bind("c", hostId).bind("p", p).execute();
            }
            Map<Long, Set<Long>> all = new HashMap<>();
            h.createQuery("SELECT child_host_id, parent_host_id FROM host_dependencies")
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                    .forEach(e -> all.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
            if (ancestors(hostId, all).contains(hostId)) {
                throw new IllegalArgumentException("these parents would make host " + hostId + " depend on itself through them");
            }
        });
    }

    /** Every host {@code hostId} depends on, directly or through others. */
    public static Set<Long> ancestors(long hostId, Map<Long, Set<Long>> parents) {
        Set<Long> seen = new LinkedHashSet<>();
        ArrayDeque<Long> todo = new ArrayDeque<>(parents.getOrDefault(hostId, Set.of()));
        while (!todo.isEmpty()) {
            long p = todo.pop();
            if (seen.add(p)) {
                todo.addAll(parents.getOrDefault(p, Set.of()));
            }
        }
        return seen;
    }

    /** child subject → its parent subjects (health checks and the like). */
    public Map<String, Set<String>> subjectParents() {
        Map<String, Set<String>> parents = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT child_subject, parent_subject FROM subject_dependencies")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> parents.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).add(e.getValue())));
        return parents;
    }

    /** Records that subject {@code child} depends on {@code parent} (for the checks feature). */
    public void addSubjectDependency(String child, String parent) {
        if (child == null || parent == null || child.isBlank() || parent.isBlank() || child.equals(parent)) {
            throw new IllegalArgumentException("a subject dependency needs two different, non-empty subjects");
        }
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO subject_dependencies (child_subject, parent_subject) VALUES (:c, :p) "
                + "ON CONFLICT DO NOTHING").bind("c", child).bind("p", parent).execute());
    }

    public void removeSubjectDependency(String child, String parent) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM subject_dependencies WHERE child_subject = :c AND parent_subject = :p")
                .bind("c", child).bind("p", parent).execute());
    }
}
