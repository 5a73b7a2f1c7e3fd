package dev.servmon.hub.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's database: a pooled connection source, schema migrations, and a {@link Jdbi} for
 * plain SQL. The embedded default is SQLite in WAL mode.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /**
     * Opens (creating if needed) the SQLite database {@code servmon.db} in {@code dataDir} and
     * migrates it to the current schema.
     */
    public static Database openSqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("servmon: cannot create data directory " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Path file = dataDir.resolve("servmon.db");
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("servmon-sqlite");
        cfg.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        // Pragmas applied to every pooled connection by the SQLite driver.
        cfg.addDataSourceProperty("journal_mode", "WAL");
        cfg.addDataSourceProperty("synchronous", "NORMAL");
        cfg.addDataSourceProperty("foreign_keys", "true");
        cfg.addDataSourceProperty("busy_timeout", "10000");
        cfg.setMaximumPoolSize(6);
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(cfg);
        try {
            var result = Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration/sqlite")
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                log.info("database migrated file={} migrations={} version={}", file, result.migrationsExecuted, result.targetSchemaVersion);
            }
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
