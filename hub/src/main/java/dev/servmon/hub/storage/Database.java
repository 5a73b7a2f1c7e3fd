package dev.servmon.hub.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
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

    /** The pool; null for a view {@link #through} other connections. */
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final String description;
    /** The SQLite data directory's lock, held while this database is open; null on PostgreSQL and views. */
    private final DataDirLock lock;
    /** Where a PostgreSQL database is, for {@link #openDedicated}; null on SQLite. */
    private final DbConfig postgres;
    private final Lock writeGate;

    private Database(HikariDataSource dataSource, Jdbi jdbi, Dialect dialect, String description, DataDirLock lock, DbConfig postgres) {
        this(dataSource, jdbi, dialect, description, lock, postgres,
                dialect == Dialect.SQLITE ? new ReentrantLock(true) : NO_GATE);
    }

    private Database(HikariDataSource dataSource, Jdbi jdbi, Dialect dialect, String description, DataDirLock lock, DbConfig postgres,
                     Lock writeGate) {
        this.writeGate = writeGate;
        this.dataSource = dataSource;
        this.jdbi = jdbi;
        this.lock = lock;
        this.postgres = postgres;
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
        return migrated(new HikariDataSource(cfg), Dialect.SQLITE, "sqlite:" + file.toAbsolutePath(), lock, null);
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
        return migrated(ds, Dialect.POSTGRESQL, config.redacted(), null, config);
    }

    private static Database migrated(HikariDataSource ds, Dialect dialect, String description, DataDirLock lock, DbConfig postgres) {
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
        return new Database(ds, Jdbi.create(ds), dialect, description, lock, postgres);
    }

    /**
     * The same database reached through {@code connections} instead of the pool (the leader's
     * own session, see {@code cluster/Leadership}): same dialect, same SQL. Closing the view
     * closes nothing; the connections belong to whoever supplies them.
     */
    public Database through(ConnectionFactory connections, String what) {
        return new Database(null, Jdbi.create(connections), dialect, description + " (" + what + ")", null, postgres, writeGate);
    }

    /**
     * The turn of the sample writer and the background work (rollups, packing, retention) at
     * the database's write lock. SQLite has one write lock and its busy handler polls with
     * growing sleeps, so a background task running transaction after transaction starved the
     * writer for a whole pass (ack p99 of 1–2 s during the first pass after a start); through
     * this fair lock the writer waits for at most one background transaction. PostgreSQL locks
     * rows: no gate.
     */
    public Lock writeGate() {
        return writeGate;
    }

    /** A transaction of background work, taken in turn with the sample writer ({@link #writeGate}). */
    public <R, X extends Exception> R inWriteTransaction(HandleCallback<R, X> callback) throws X {
        writeGate.lock();
        try {
            return jdbi.inTransaction(callback);
        } finally {
            writeGate.unlock();
        }
    }

    /**
     * A read-only unit of several statements that must see one state of the database: a raw read
     * looks in the blocks and then in the head, and a window packed by the leader in between
     * would be in neither. PostgreSQL's default (read committed) gives each statement its own
     * snapshot, so this runs at repeatable read there; an SQLite transaction already reads one
     * snapshot from its first statement to its end (WAL).
     */
    public <R, X extends Exception> R inSnapshot(HandleCallback<R, X> callback) throws X {
        return dialect == Dialect.POSTGRESQL
                ? jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, callback)
                : jdbi.inTransaction(callback);
    }

    /** As {@link #inWriteTransaction}, returning nothing. */
    public <X extends Exception> void useWriteTransaction(HandleConsumer<X> consumer) throws X {
        inWriteTransaction(h -> {
            consumer.useHandle(h);
            return null;
        });
    }

    /** No gate: every lock and unlock is free (PostgreSQL). */
    private static final Lock NO_GATE = new Lock() {
        @Override
        public void lock() {}

        @Override
        public void lockInterruptibly() {}

        @Override
        public boolean tryLock() {
            return true;
        }

        @Override
        public boolean tryLock(long time, java.util.concurrent.TimeUnit unit) {
            return true;
        }

        @Override
        public void unlock() {}

        @Override
        public java.util.concurrent.locks.Condition newCondition() {
            throw new UnsupportedOperationException("the PostgreSQL write gate has no conditions");
        }
    };

    /**
     * Whether {@code e} means the connection itself is gone (SQLSTATE class 08, or 57P0x: the
     * server ended the session), so that a loop over many small transactions should stop instead
     * of failing each of them.
     */
    public static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String state = t instanceof SQLException s ? s.getSQLState() : null;
            if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }

    /** True on PostgreSQL, where several hub replicas may share the database. */
    public boolean isShared() {
        return postgres != null;
    }

    /**
     * A new PostgreSQL connection outside the pool, for a session that must live on its own (the
     * leader lock, LISTEN). {@code purpose} shows in {@code pg_stat_activity.application_name}.
     * TCP keep-alive is on, so a peer that vanished is noticed.
     *
     * @throws IllegalStateException on SQLite, which has no sessions to hold
     */
    public Connection openDedicated(String purpose) throws SQLException {
        if (postgres == null) {
            throw new IllegalStateException("dedicated connections exist only on PostgreSQL, this is " + description);
        }
        Properties props = new Properties();
        if (postgres.user() != null) {
            props.setProperty("user", postgres.user());
        }
        if (postgres.password() != null) {
            props.setProperty("password", postgres.password());
        }
        props.setProperty("ApplicationName", "servmon-hub " + purpose);
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(postgres.url(), props);
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
            if (dataSource != null) {
                dataSource.close();
            }
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }
}
