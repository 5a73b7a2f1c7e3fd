package dev.servmon.hub.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests: zonky's embedded binaries (from Maven Central, so CI needs
 * nothing installed), started once per test JVM on a free port and stopped at exit. Each
 * {@link #freshDatabase()} is a new, empty database, so suites never see each other's rows.
 * If the server cannot start, tests fail: they never skip.
 */
public final class TestPostgres {
    private static final AtomicInteger databases = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {}

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
                }
            }, "test-postgres-stop"));
        }
        return server;
    }

    /** A new empty database on the shared server; {@code dataDir} is only for files the hub keeps. */
    public static DbConfig freshDatabase(Path dataDir) {
        EmbeddedPostgres pg = server();
        String name = "servmon_test_" + databases.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return new DbConfig("jdbc:postgresql://localhost:" + pg.getPort() + "/" + name, "postgres", "postgres", dataDir);
    }
}
