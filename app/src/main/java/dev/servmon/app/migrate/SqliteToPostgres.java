package dev.servmon.app.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Copies every table of a servmon SQLite database into a PostgreSQL database that the hub's
 * PostgreSQL migrations have already created: referenced tables first, rows in batches, ids as
 * they are (the hub's ids appear in URLs and API clients), then every identity sequence moved past
 * the largest id so the next host or user gets a new one. Everything happens in one PostgreSQL
 * transaction: a failed copy leaves the target as it was. The Flyway schema history is not
 * copied: each database keeps its own.
 *
 * <p>Values are converted by the target column's type, not SQLite's (whose columns accept any
 * type): integers, floats, text and bytes.
 */
final class SqliteToPostgres {
    private static final String HISTORY = "flyway_schema_history";
    /** Flush a batch at this many bytes of blobs, whatever its row count (blocks are kilobytes each). */
    private static final long BATCH_BYTES = 8L << 20;
    /**
     * Rows the schema's migrations put into every new database (the built-in alert rules, V7): they
     * are nobody's data, so a target holding only them counts as empty, and the source's copies of
     * them (perhaps edited) replace them.
     */
    private static final Map<String, String> SEEDED = Map.of("alert_rules", "builtin = 1");

    private final Connection sqlite;
    private final Connection postgres;
    private final int batchRows;

    /** A table to copy: its columns (with the target's type of each) and rows in the source. */
    record Table(String name, Map<String, String> columnTypes, long sourceRows) {}

    /** What will be copied, and what the target holds already. */
    record Plan(List<Table> tables, Map<String, Long> targetRows) {
        long totalRows() {
            return tables.stream().mapToLong(Table::sourceRows).sum();
        }

        /** Tables of the target that hold rows (besides those the migrations seed), with their counts. */
        Map<String, Long> nonEmptyTarget() {
            return targetRows.entrySet().stream().filter(e -> e.getValue() > 0)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        }
    }

    /**
     * @param sqlite a connection to the source, which nothing else writes
     * @param postgres a connection to the target, already migrated to the current schema
     */
    SqliteToPostgres(Connection sqlite, Connection postgres, int batchRows) {
        this.sqlite = sqlite;
        this.postgres = postgres;
        this.batchRows = batchRows;
    }

    /**
     * Reads both schemas and row counts.
     *
     * @throws IllegalArgumentException when the two schemas do not have the same tables and columns
     */
    Plan plan() throws SQLException {
        Map<String, Set<String>> references = new HashMap<>();
        for (String table : sqliteTables()) {
            Set<String> refs = new TreeSet<>();
            try (Statement st = sqlite.createStatement(); ResultSet rs = st.executeQuery("PRAGMA foreign_key_list(" + quote(table) + ")")) {
                while (rs.next()) {
                    refs.add(rs.getString("table"));
                }
            }
            references.put(table, refs);
        }
        Map<String, Map<String, String>> targetColumns = postgresColumns();
        if (!targetColumns.keySet().equals(references.keySet())) {
            throw new IllegalArgumentException("servmon migrate: the two databases do not have the same tables (SQLite: " + new TreeSet<>(references.keySet())
                    + ", PostgreSQL: " + new TreeSet<>(targetColumns.keySet()) + "); is the target another application's database?");
        }
        List<Table> tables = new ArrayList<>();
        Map<String, Long> targetRows = new LinkedHashMap<>();
        for (String name : TableOrder.of(references)) {
            List<String> sourceColumns = sqliteColumns(name);
            Map<String, String> types = targetColumns.get(name);
            if (!new TreeSet<>(sourceColumns).equals(new TreeSet<>(types.keySet()))) {
                throw new IllegalArgumentException("servmon migrate: table " + name + " has columns " + sourceColumns + " in SQLite but "
                        + types.keySet() + " in PostgreSQL; both should be at this servmon's schema version");
            }
            Map<String, String> ordered = new LinkedHashMap<>();
            sourceColumns.forEach(c -> ordered.put(c, types.get(c)));
            tables.add(new Table(name, ordered, count(sqlite, name)));
            targetRows.put(name, count(postgres, name) - seeded(name));
        }
        return new Plan(tables, targetRows);
    }

    /**
     * Copies all rows in one PostgreSQL transaction, emptying the target first (the caller has
     * checked that it holds nothing but seeded rows, or was told to replace what it holds);
     * {@code progress} hears (rows done, table) after every batch.
     */
    void copy(Plan plan, BiConsumer<Long, String> progress) throws SQLException {
        boolean autoCommit = postgres.getAutoCommit();
        postgres.setAutoCommit(false);
        try {
            String all = plan.tables().stream().map(t -> quote(t.name())).collect(Collectors.joining(", "));
            try (Statement st = postgres.createStatement()) {
                st.execute("TRUNCATE " + all + " RESTART IDENTITY CASCADE");
            }
            long[] done = {0};
            for (Table t : plan.tables()) {
                copyTable(t, done, progress);
            }
            resetSequences(plan);
            postgres.commit();
        } catch (SQLException | RuntimeException e) {
            postgres.rollback();
            throw e;
        } finally {
            postgres.setAutoCommit(autoCommit);
        }
        try (Statement st = postgres.createStatement()) {
            // Fresh statistics, so the first queries on the new database get good plans.
            st.execute("ANALYZE");
        }
    }

    private void copyTable(Table t, long[] done, BiConsumer<Long, String> progress) throws SQLException {
        List<String> columns = new ArrayList<>(t.columnTypes().keySet());
        List<String> types = new ArrayList<>(t.columnTypes().values());
        String cols = columns.stream().map(SqliteToPostgres::quote).collect(Collectors.joining(", "));
        String marks = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        try (Statement read = sqlite.createStatement();
             ResultSet rs = read.executeQuery("SELECT " + cols + " FROM " + quote(t.name()));
             PreparedStatement insert = postgres.prepareStatement("INSERT INTO " + quote(t.name()) + " (" + cols + ") VALUES (" + marks + ")")) {
            int rows = 0;
            long bytes = 0;
            while (rs.next()) {
                for (int i = 0; i < columns.size(); i++) {
                    bytes += bind(rs, insert, i + 1, types.get(i));
                }
                insert.addBatch();
                if (++rows >= batchRows || bytes >= BATCH_BYTES) {
                    insert.executeBatch();
                    done[0] += rows;
                    progress.accept(done[0], t.name());
                    rows = 0;
                    bytes = 0;
                }
            }
            if (rows > 0) {
                insert.executeBatch();
                done[0] += rows;
            }
            progress.accept(done[0], t.name());
        }
    }

    /** Binds column {@code i} of the current row by the target's type; returns the bytes of a blob (for batch sizing). */
    private static long bind(ResultSet rs, PreparedStatement insert, int i, String targetType) throws SQLException {
        switch (targetType) {
            case "bigint", "integer", "smallint" -> {
                long v = rs.getLong(i);
                if (rs.wasNull()) {
                    insert.setNull(i, Types.BIGINT);
                } else {
                    insert.setLong(i, v);
                }
            }
            case "double precision", "real", "numeric" -> {
                double v = rs.getDouble(i);
                if (rs.wasNull()) {
                    insert.setNull(i, Types.DOUBLE);
                } else {
                    insert.setDouble(i, v);
                }
            }
            case "boolean" -> {
                long v = rs.getLong(i);
                if (rs.wasNull()) {
                    insert.setNull(i, Types.BOOLEAN);
                } else {
                    insert.setBoolean(i, v != 0);
                }
            }
            case "bytea" -> {
                byte[] v = rs.getBytes(i);
                insert.setBytes(i, v);
                return v == null ? 0 : v.length;
            }
            default -> {
                String v = rs.getString(i);
                insert.setString(i, v);
                return v == null ? 0 : v.length();
            }
        }
        return 0;
    }

    /** Moves every identity (or serial) sequence past the largest id copied. */
    private void resetSequences(Plan plan) throws SQLException {
        List<String[]> identities = new ArrayList<>();
        try (Statement st = postgres.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')""")) {
            while (rs.next()) {
                identities.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        Set<String> copied = plan.tables().stream().map(Table::name).collect(Collectors.toSet());
        for (String[] id : identities) {
            if (!copied.contains(id[0])) {
                continue;
            }
            try (PreparedStatement st = postgres.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max(" + quote(id[1])
                    + "), 0) + 1, false) FROM " + quote(id[0]))) {
                st.setString(1, quote(id[0]));
                st.setString(2, id[1]);
                st.execute();
            }
        }
    }

    /** Rows per table in both databases, to check the copy. */
    Map<String, long[]> verify(Plan plan) throws SQLException {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (Table t : plan.tables()) {
            counts.put(t.name(), new long[] {count(sqlite, t.name()), count(postgres, t.name())});
        }
        return counts;
    }

    private List<String> sqliteTables() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement st = sqlite.prepareStatement(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> ? ORDER BY name")) {
            st.setString(1, HISTORY);
            ResultSet rs = st.executeQuery();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    private List<String> sqliteColumns(String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement st = sqlite.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(" + quote(table) + ")")) {
            while (rs.next()) {
                columns.add(rs.getString("name"));
            }
        }
        return columns;
    }

    /** Table → column → data type, for the tables of the target's current schema. */
    private Map<String, Map<String, String>> postgresColumns() throws SQLException {
        Map<String, Map<String, String>> tables = new HashMap<>();
        try (PreparedStatement st = postgres.prepareStatement("""
                SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> ?
                ORDER BY c.table_name, c.ordinal_position""")) {
            st.setString(1, HISTORY);
            ResultSet rs = st.executeQuery();
            while (rs.next()) {
                tables.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
            }
        }
        return tables;
    }

    /** How many of the target's rows of {@code table} its migrations put there. */
    private long seeded(String table) throws SQLException {
        String where = SEEDED.get(table);
        if (where == null) {
            return 0;
        }
        try (Statement st = postgres.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + quote(table) + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A table or column name as an SQL identifier (both databases accept double quotes). */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
