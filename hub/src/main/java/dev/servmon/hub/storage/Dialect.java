package dev.servmon.hub.storage;

/**
 * What differs between the two databases in the SQL the hub shares between them. Both accept
 * {@code INSERT … ON CONFLICT … DO NOTHING / DO UPDATE}, multi-row {@code VALUES},
 * {@code UPDATE … RETURNING} and the same types through JDBC, so the stores keep one statement
 * each and ask the dialect only for the pieces that differ.
 */
public enum Dialect {
    /** SQLite 3.35 or later: one file, one writer at a time. */
    SQLITE("sqlite", "classpath:db/migration/sqlite", "max", "min", "%s COLLATE NOCASE", 32_766),
    /** PostgreSQL 12 or later. */
    POSTGRESQL("postgresql", "classpath:db/migration/postgres", "greatest", "least", "lower(%s)", 65_535);

    private final String label;
    private final String migrations;
    private final String greatest;
    private final String least;
    private final String noCase;
    private final int maxParameters;

    Dialect(String label, String migrations, String greatest, String least, String noCase, int maxParameters) {
        this.label = label;
        this.migrations = migrations;
        this.greatest = greatest;
        this.least = least;
        this.noCase = noCase;
        this.maxParameters = maxParameters;
    }

    /** {@code sqlite} or {@code postgresql}. */
    public String label() {
        return label;
    }

    /** The Flyway location of this database's migrations. */
    public String migrations() {
        return migrations;
    }

    /** The larger of two expressions (SQLite's scalar {@code max}, PostgreSQL's {@code greatest}). */
    public String greatest(String a, String b) {
        return greatest + "(" + a + ", " + b + ")";
    }

    /** The smaller of two expressions. */
    public String least(String a, String b) {
        return least + "(" + a + ", " + b + ")";
    }

    /** An ORDER BY term sorting {@code column} case-insensitively. */
    public String orderNoCase(String column) {
        return String.format(noCase, column);
    }

    /** Most bind parameters one statement may carry. */
    public int maxParameters() {
        return maxParameters;
    }
}
