package dev.servmon.hub.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's database: a pooled connection source, schema migrations (one Flyway folder per
 * database, {@code db/migration/sqlite} and {@code db/migration/postgres}), a {@link Jdbi}
 * for plain SQL and the {@link Dialect} for what differs. The embedded default is SQLite in WAL
 * mode; {@code --db-url jdbc:postgresql://…} selects PostgreSQL.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** The SQLite database's file name inside the data directory. */
    public static final String SQLITE_FILE = "servmon.db";

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final String description;
    private final DataDirLock lock;

    private Database(HikariDataSource dataSource, Dialect dialect, String description, DataDirLock lock) {
        this.dataSource = dataSource;
        this.lock = lock;
        this.jdbi = Jdbi.create(dataSource);
        this.dialect = dialect;
        this.description = description;
    }

    /** Opens the database {@code config} names and migrates it to the current schema. */
    public static Database open(DbConfig config) {
        config.validate();
        return config.isPostgres() ? openPostgres(config) : openSqlite(config.dataDir());
    }

    /**
     * Opens (creating if needed) the SQLite database {@code servmon.db} in {@code dataDir} and
     * migrates it to the current schema. Holds the directory's {@link DataDirLock} until closed,
     * so no second process opens the same file for writing.
     *
     * @throws IllegalArgumentException when another process has the directory open
     */
    public static Database openSqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("servmon: cannot create data directory " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        DataDirLock lock = DataDirLock.acquire(dataDir, "open the database in it");
        try {
            return openSqlite(dataDir, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static Database openSqlite(Path dataDir, DataDirLock lock) {
        Path file = dataDir.resolve(SQLITE_FILE);
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
        return migrated(new HikariDataSource(cfg), Dialect.SQLITE, "sqlite:" + file.toAbsolutePath(), lock);
    }

    private static Database openPostgres(DbConfig config) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("servmon-postgresql");
        cfg.setJdbcUrl(config.url());
        if (config.user() != null) {
            cfg.setUsername(config.user());
        }
        if (config.password() != null) {
            cfg.setPassword(config.password());
        }
        cfg.setMaximumPoolSize(10);
        cfg.setMinimumIdle(2);
        cfg.setConnectionTimeout(10_000);
        // Batched multi-row inserts are sent as one round trip.
        cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
        cfg.addDataSourceProperty("ApplicationName", "servmon-hub");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(cfg);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException("servmon: cannot connect to PostgreSQL at " + config.redacted()
                    + (config.user() == null ? "" : " as " + config.user()) + ": " + cause.getMessage()
                    + "; check --db-url, --db-user and the password (SERVMON_DB_PASSWORD or --db-password-file)", e);
        }
        return migrated(ds, Dialect.POSTGRESQL, config.redacted(), null);
    }

    private static Database migrated(HikariDataSource ds, Dialect dialect, String description, DataDirLock lock) {
        try {
            var result = Flyway.configure()
                    .dataSource(ds)
                    .locations(dialect.migrations())
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                log.info("database migrated db={} migrations={} version={}", description, result.migrationsExecuted, result.targetSchemaVersion);
            }
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, dialect, description, lock);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Where the data is, without secrets: {@code sqlite:/path/servmon.db} or the JDBC URL. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        try {
            dataSource.close();
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }
}
