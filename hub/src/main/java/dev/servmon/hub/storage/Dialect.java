package dev.servmon.hub.storage;

/**
 * What differs between the two databases in the SQL the hub shares between them. Both accept
 * {@code INSERT … ON CONFLICT … DO NOTHING / DO UPDATE}, multi-row {@code VALUES} and the same
 * types through JDBC, so the stores keep one statement each and ask the dialect only for the
 * pieces that differ.
 */
public interface Dialect {
    /** {@code sqlite} or {@code postgresql}. */
    String name();

    /** The Flyway location of this database's migrations. */
    String migrations();

    /** The larger of two expressions (SQLite's scalar {@code max}, PostgreSQL's {@code greatest}). */
    String greatest(String a, String b);

    /** The smaller of two expressions. */
    String least(String a, String b);

    /** An ORDER BY term sorting {@code column} case-insensitively. */
    String orderNoCase(String column);

    /** Most bind parameters one statement may carry. */
    int maxParameters();

    /** SQLite: one file, one writer at a time. */
    Dialect SQLITE = new Dialect() {
        @Override
        public String name() {
            return "sqlite";
        }

        @Override
        public String migrations() {
            return "classpath:db/migration/sqlite";
        }

        @Override
        public String greatest(String a, String b) {
            return "max(" + a + ", " + b + ")";
        }

        @Override
        public String least(String a, String b) {
            return "min(" + a + ", " + b + ")";
        }

        @Override
        public String orderNoCase(String column) {
            return column + " COLLATE NOCASE";
        }

        @Override
        public int maxParameters() {
            return 32_766;
        }

        @Override
        public String toString() {
            return name();
        }
    };

    /** PostgreSQL 12 or later. */
    Dialect POSTGRESQL = new Dialect() {
        @Override
        public String name() {
            return "postgresql";
        }

        @Override
        public String migrations() {
            return "classpath:db/migration/postgres";
        }

        @Override
        public String greatest(String a, String b) {
            return "greatest(" + a + ", " + b + ")";
        }

        @Override
        public String least(String a, String b) {
            return "least(" + a + ", " + b + ")";
        }

        @Override
        public String orderNoCase(String column) {
            return "lower(" + column + ")";
        }

        @Override
        public int maxParameters() {
            return 65_535;
        }

        @Override
        public String toString() {
            return name();
        }
    };
}
