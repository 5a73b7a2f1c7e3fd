package dev.servmon.hub.storage;

import java.nio.file.Path;

/**
 * Where the hub keeps its data.
 *
 * @param url a {@code jdbc:postgresql://…} URL, or null for the embedded SQLite file in
 *     {@code dataDir}
 * @param user PostgreSQL user (null: from the URL or the driver's default)
 * @param password PostgreSQL password (null: none, or from the URL)
 * @param dataDir directory of the SQLite file (and of anything else kept on local disk)
 */
public record DbConfig(String url, String user, String password, Path dataDir) {
    /** The embedded SQLite database in {@code dataDir}. */
    public static DbConfig sqlite(Path dataDir) {
        return new DbConfig(null, null, null, dataDir);
    }

    public boolean isPostgres() {
        return url != null;
    }

    /** Throws IllegalArgumentException with a message that says what to change. */
    public DbConfig validate() {
        if (url != null && !url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("servmon: --db-url must start with jdbc:postgresql:// (leave it out for the embedded "
                    + "SQLite database), got '" + redacted() + "'");
        }
        if (url == null && (user != null || password != null)) {
            throw new IllegalArgumentException("servmon: --db-user and the database password only apply with --db-url jdbc:postgresql://…");
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("servmon: --data must name a directory");
        }
        return this;
    }

    /** The URL without any password it may carry, for messages and logs. */
    public String redacted() {
        return url == null ? "sqlite:" + dataDir : url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return "DbConfig[" + redacted() + (user == null ? "" : ", user=" + user) + (password == null ? "" : ", password=***") + "]";
    }
}
