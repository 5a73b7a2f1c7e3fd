package dev.servmon.app.backup;

import dev.servmon.hub.storage.DataDirLock;
import dev.servmon.hub.storage.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;

/**
 * Backup and restore of the SQLite database of a data directory.
 *
 * <p>Backup is {@code VACUUM INTO}: one read transaction, so the copy is the database as of one
 * commit even while the hub writes (WAL mode lets the writer go on); the copy is compacted and
 * self-contained (no -wal file). It is written next to the target under a temporary name and
 * renamed into place, so a failed backup never leaves a half-written file under the target's name.
 *
 * <p>Restore holds the data directory's {@link DataDirLock} throughout, so it refuses while a hub
 * runs there and no hub can start halfway; it checks a copy of the file ({@link SqliteFile}),
 * keeps the previous database as {@code servmon.db.bak-<time>} (with its -wal file, if a crash
 * left one, so the kept copy is complete) and renames the checked copy into place.
 */
final class SqliteBackup {
    private static final DateTimeFormatter BAK_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private SqliteBackup() {}

    /** A finished backup. */
    record Backup(Path file, long bytes, double seconds, SqliteFile.Info info) {}

    /** A finished restore; {@code previous} is where the replaced database went (null: there was none). */
    record Restore(Path database, Path previous, SqliteFile.Info info) {}

    static Backup backup(Path dataDir, Path to, boolean force) {
        Path source = dataDir.resolve(Database.SQLITE_FILE);
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException("servmon backup: there is no servmon database in " + dataDir.toAbsolutePath().normalize()
                    + " (expected " + source.getFileName() + "); pass the --data directory of your hub");
        }
        if (Files.exists(to) && !force) {
            throw new IllegalArgumentException("servmon backup: " + to.toAbsolutePath().normalize() + " already exists; choose another --to or add --force to replace it");
        }
        Path target = to.toAbsolutePath();
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(partial);
            Properties options = new Properties();
            // In WAL mode a reader does not wait for the writer; only rare recovery steps take locks briefly.
            options.setProperty("busy_timeout", "30000");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source.toAbsolutePath(), options);
                 PreparedStatement vacuum = c.prepareStatement("VACUUM INTO ?")) {
                vacuum.setString(1, partial.toString());
                vacuum.execute();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            SqliteFile.Info info = SqliteFile.inspect(partial, "the new backup " + partial);
            move(partial, target, force);
            return new Backup(target, Files.size(target), seconds, info);
        } catch (SQLException e) {
            throw new IllegalArgumentException("servmon backup: copying " + source + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("servmon backup: cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                System.err.println("servmon backup: could not remove the temporary file " + partial + ": " + e.getMessage());
            }
        }
    }

    static Restore restore(Path from, Path dataDir, Clock clock) {
        if (!Files.isRegularFile(from)) {
            throw new IllegalArgumentException("servmon restore: --from " + from.toAbsolutePath().normalize() + " is not a file");
        }
        try (DataDirLock lock = DataDirLock.acquire(dataDir, "restore into it")) {
            Path database = dataDir.resolve(Database.SQLITE_FILE);
            Path incoming = dataDir.resolve(Database.SQLITE_FILE + ".restoring");
            try {
                Files.copy(from, incoming, StandardCopyOption.REPLACE_EXISTING);
                SqliteFile.Info info = SqliteFile.inspect(incoming, "--from " + from);
                Path previous = null;
                if (Files.exists(database)) {
                    previous = dataDir.resolve(Database.SQLITE_FILE + ".bak-" + LocalDateTime.now(clock).format(BAK_TIME));
                    Files.move(database, previous);
                    // A -wal file left by a crash holds committed data of the old database: it goes with it.
                    moveIfExists(dataDir.resolve(Database.SQLITE_FILE + "-wal"), Path.of(previous + "-wal"));
                    Files.deleteIfExists(dataDir.resolve(Database.SQLITE_FILE + "-shm"));
                }
                Files.move(incoming, database, StandardCopyOption.ATOMIC_MOVE);
                return new Restore(database, previous, info);
            } catch (IOException e) {
                throw new UncheckedIOException("servmon restore: cannot write into " + dataDir.toAbsolutePath().normalize() + ": " + e.getMessage(), e);
            } finally {
                deleteQuietly(incoming);
            }
        }
    }

    private static void move(Path from, Path to, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            if (replace) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to);
            }
        }
    }

    private static void moveIfExists(Path from, Path to) throws IOException {
        if (Files.exists(from)) {
            Files.move(from, to);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("servmon restore: could not remove " + p + ": " + e.getMessage());
        }
    }
}
