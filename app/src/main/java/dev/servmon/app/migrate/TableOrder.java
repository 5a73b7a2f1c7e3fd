package dev.servmon.app.migrate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Tables in an order that copies every referenced table before the tables that refer to it. */
final class TableOrder {
    private TableOrder() {}

    /**
     * @param references each table's referenced tables (foreign keys); a table referring to itself is fine
     * @return the tables, referenced ones first, otherwise by name
     * @throws IllegalArgumentException on a cycle between tables, which no order satisfies
     */
    static List<String> of(Map<String, Set<String>> references) {
        Map<String, Set<String>> sorted = new TreeMap<>(references);
        Set<String> done = new LinkedHashSet<>();
        for (String table : sorted.keySet()) {
            visit(table, sorted, done, new LinkedHashSet<>());
        }
        return new ArrayList<>(done);
    }

    private static void visit(String table, Map<String, Set<String>> references, Set<String> done, Set<String> path) {
        if (done.contains(table)) {
            return;
        }
        if (!path.add(table)) {
            throw new IllegalArgumentException("servmon migrate: tables refer to each other in a cycle (" + String.join(" → ", path) + " → " + table
                    + "); no copy order satisfies their foreign keys");
        }
        for (String referenced : new java.util.TreeSet<>(references.getOrDefault(table, Set.of()))) {
            if (!referenced.equals(table)) {
                visit(referenced, references, done, path);
            }
        }
        path.remove(table);
        done.add(table);
    }
}
