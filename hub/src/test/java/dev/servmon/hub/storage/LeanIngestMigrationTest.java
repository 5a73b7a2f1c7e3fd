package dev.servmon.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.metrics.RawTier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration V13 on a database that already holds data: a host's inventory and process scan move
 * to {@code host_details}, its packed seq is computed from its blocks, and its head rows are
 * listed in {@code sample_head_windows}, so compaction still finds them. Both databases.
 */
class LeanIngestMigrationTest {
    private static final long HOUR = RawTier.WINDOW_MS;
    private static final long T0 = 1_700_000_000_000L / HOUR * HOUR;

    @Test
    void sqlite_keeps_details_packed_seqs_and_head_windows(@TempDir Path dir) throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve(Database.SQLITE_FILE).toAbsolutePath();
        Flyway.configure().dataSource(url, null, null).locations(Dialect.SQLITE.migrations()).target("12").load().migrate();
        try (Connection c = DriverManager.getConnection(url)) {
            seedV12(c);
        }
        try (Database db = Database.openSqlite(dir)) {
            assertMigrated(db);
        }
    }

    @Test
    void postgres_keeps_details_packed_seqs_and_head_windows(@TempDir Path dir) throws SQLException {
        DbConfig pg = TestPostgres.freshDatabase(dir);
        Flyway.configure().dataSource(pg.url(), pg.user(), pg.password()).locations(Dialect.POSTGRESQL.migrations()).target("12").load().migrate();
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password())) {
            seedV12(c);
        }
        try (Database db = Database.open(pg)) {
            assertMigrated(db);
        }
    }

    /** Two hosts as a V12 hub left them: one with details, blocks and head rows in two hours; one bare. */
    private static void seedV12(Connection c) throws SQLException {
        String b = blob(c);
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO hosts (id, name, key_hash, key_prefix, created_at_ms, inventory, inventory_at_ms, processes, processes_at_ms) "
                    + "VALUES (1, 'web-1', 'h1', 'smk_1', 1, '{\"hostname\":\"web-1\"}', 111, '[{\"pid\":1}]', 222)");
            st.executeUpdate("INSERT INTO hosts (id, name, key_hash, key_prefix, created_at_ms) VALUES (2, 'db-1', 'h2', 'smk_2', 1)");
            st.executeUpdate("INSERT INTO sample_blocks (host_id, window_start_ms, first_seq, last_seq, sample_count, data) VALUES "
                    + "(1, " + T0 + ", 1, 360, 360, " + b + "), (1, " + (T0 + HOUR) + ", 361, 720, 360, " + b + ")");
            st.executeUpdate("INSERT INTO sample_head (host_id, seq, at_ms, data) VALUES "
                    + "(1, 721, " + (T0 + 2 * HOUR + 5) + ", " + b + "), "
                    + "(1, 722, " + (T0 + 3 * HOUR + 5) + ", " + b + "), "
                    + "(2, 9, " + (T0 + 2 * HOUR + 7) + ", " + b + ")");
        }
    }

    private static String blob(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres") ? "'\\x00'::bytea" : "X'00'";
    }

    private static void assertMigrated(Database db) {
        db.jdbi().useHandle(h -> {
            assertThat(h.createQuery("SELECT host_id || ' ' || kind || ' ' || json || ' ' || at_ms FROM host_details ORDER BY host_id, kind")
                    .mapTo(String.class).list())
                    .containsExactly("1 inventory {\"hostname\":\"web-1\"} 111", "1 processes [{\"pid\":1}] 222");
            assertThat(h.createQuery("SELECT raw_packed_seq FROM hosts ORDER BY id").mapTo(Long.class).list()).containsExactly(720L, 0L);
            assertThat(h.createQuery("SELECT host_id || ' ' || window_start_ms FROM sample_head_windows ORDER BY host_id, window_start_ms")
                    .mapTo(String.class).list())
                    .isEqualTo(List.of("1 " + (T0 + 2 * HOUR), "1 " + (T0 + 3 * HOUR), "2 " + (T0 + 2 * HOUR)));
            assertThat(h.createQuery("SELECT count(*) FROM sample_head").mapTo(Integer.class).one()).isEqualTo(3);
        });
    }
}
