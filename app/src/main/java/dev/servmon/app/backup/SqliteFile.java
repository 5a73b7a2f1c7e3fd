package dev.servmon.app.backup;

import dev.servmon.hub.storage.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

/**
 * What an SQLite file is, checked before it becomes a hub's database: an intact SQLite database
 * ({@code PRAGMA quick_check}), servmon's (its Flyway schema history and {@code hosts} table),
 * at a schema version this servmon knows (an older one is migrated when the hub starts; a newer
 * one needs a newer servmon).
 */
final class SqliteFile {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private SqliteFile() {}

    /**
     * @param schemaVersion the file's schema version
     * @param latestVersion the newest schema version this servmon knows
     * @param hosts registered hosts
     * @param samples raw samples (head rows plus packed blocks; -1 when the schema predates them)
     * @param bytes file size
     */
    record Info(String schemaVersion, String latestVersion, long hosts, long samples, long bytes) {
        boolean olderThanThisServmon() {
            return !schemaVersion.equals(latestVersion);
        }

        String describe() {
            return String.format(java.util.Locale.ROOT, "%,d hosts, %s, schema version %s%s", hosts,
                    samples < 0 ? "samples in an older layout" : String.format(java.util.Locale.ROOT, "%,d raw samples", samples), schemaVersion,
                    olderThanThisServmon() ? " (the hub migrates it to " + latestVersion + " when it starts)" : "");
        }
    }

    /**
     * Checks {@code file}, which the caller owns (it may be opened for writing).
     *
     * @param what how messages name the file, e.g. "--from /backups/servmon.db"
     * @throws IllegalArgumentException saying what is wrong with the file
     */
    static Info inspect(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("servmon: " + what + " is not a file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MAGIC.length);
        } catch (IOException e) {
            throw new IllegalArgumentException("servmon: cannot read " + what + ": " + e.getMessage(), e);
        }
        if (!Arrays.equals(head, MAGIC)) {
            throw new IllegalArgumentException("servmon: " + what + " is not an SQLite database; give a file that 'servmon backup' wrote");
        }
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            String check = oneString(st, "PRAGMA quick_check");
            if (!"ok".equals(check)) {
                throw new IllegalArgumentException("servmon: " + what + " is damaged (SQLite quick_check: " + check + "); use another backup");
            }
            Set<String> tables = tables(st);
            if (!tables.contains("flyway_schema_history") || !tables.contains("hosts")) {
                throw new IllegalArgumentException("servmon: " + what + " is an SQLite database but not servmon's (it has no schema history "
                        + "and hosts table); give a file that 'servmon backup' wrote");
            }
            String[] versions = versions(url, what);
            long hosts = oneLong(st, "SELECT count(*) FROM hosts");
            long samples = tables.contains("sample_head") && tables.contains("sample_blocks")
                    ? oneLong(st, "SELECT (SELECT count(*) FROM sample_head) + (SELECT coalesce(sum(sample_count), 0) FROM sample_blocks)")
                    : -1;
            return new Info(versions[0], versions[1], hosts, samples, Files.size(file));
        } catch (SQLException e) {
            throw new IllegalArgumentException("servmon: cannot read " + what + " as an SQLite database: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("servmon: cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** {the file's schema version, the newest this servmon knows}; refuses failed and unknown (newer) migrations. */
    private static String[] versions(String url, String what) {
        MigrationInfoService info = Flyway.configure().dataSource(url, null, null).locations(Dialect.SQLITE.migrations())
                .load().info();
        String latest = "0";
        for (MigrationInfo m : info.all()) {
            if (m.getVersion() == null) {
                continue;
            }
            if (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED) {
                throw new IllegalArgumentException("servmon: " + what + " was written by a newer servmon (it has schema version "
                        + m.getVersion() + ", which this servmon does not know); restore it with that servmon version or newer");
            }
            if (m.getState().isFailed()) {
                throw new IllegalArgumentException("servmon: " + what + " records a failed schema migration (version " + m.getVersion()
                        + "); use another backup");
            }
            if (m.getState().isResolved()) {
                latest = m.getVersion().getVersion();
            }
        }
        MigrationInfo current = info.current();
        if (current == null || current.getVersion() == null) {
            throw new IllegalArgumentException("servmon: " + what + " has an empty schema history; give a file that 'servmon backup' wrote");
        }
        return new String[] {current.getVersion().getVersion(), latest};
    }

    private static Set<String> tables(Statement st) throws SQLException {
        Set<String> tables = new HashSet<>();
        try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    private static String oneString(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static long oneLong(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
