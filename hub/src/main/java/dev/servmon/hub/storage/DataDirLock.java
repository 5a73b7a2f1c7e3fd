package dev.servmon.hub.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whoever opens the SQLite database of a data directory holds an exclusive lock on
 * {@code <data>/servmon.lock} (an OS file lock: it goes away with the process, even after
 * {@code kill -9}), and writes its pid there for messages. So a second hub on the same directory,
 * {@code servmon restore} into the directory of a running hub, and {@code servmon migrate} from it
 * are refused with a message naming the process, instead of racing on the database file.
 *
 * <p>The lock is on a file of its own: SQLite's locks on {@code servmon.db} are POSIX locks of
 * the same process, which closing any descriptor of that file would release. For the same
 * reason this JVM never opens the lock file of a directory it holds a second time (on Linux,
 * closing that second descriptor would drop the lock): it remembers which directories it holds.
 */
public final class DataDirLock implements AutoCloseable {
    /** The lock file's name inside the data directory. */
    public static final String FILE_NAME = "servmon.lock";
    /** Lock files this JVM holds. */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dataDir} (creating the directory if needed).
     *
     * @param purpose what the caller is about to do, for the message when it cannot, e.g. "restore into it"
     * @throws IllegalArgumentException when another process (or this one) holds it: the message
     *     names the process and says what to do
     */
    public static DataDirLock acquire(Path dataDir, String purpose) {
        Path file = key(dataDir);
        if (!HELD_HERE.add(file)) {
            throw inUse(dataDir, purpose, "pid " + ProcessHandle.current().pid() + ", this process");
        }
        try {
            return lock(dataDir, file, purpose);
        } catch (RuntimeException e) {
            HELD_HERE.remove(file);
            throw e;
        }
    }

    private static DataDirLock lock(Path dataDir, Path file, String purpose) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw inUse(dataDir, purpose, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new DataDirLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new UncheckedIOException("servmon: cannot lock the data directory " + dataDir.toAbsolutePath().normalize()
                    + " (" + file.getFileName() + "): " + e.getMessage(), e);
        }
    }

    /** True when some process (this one included) holds the lock of {@code dataDir} right now. */
    public static boolean isHeld(Path dataDir) {
        Path file = key(dataDir);
        if (HELD_HERE.contains(file)) {
            return true;
        }
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("servmon: cannot check the lock " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static Path key(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve(FILE_NAME);
    }

    private static IllegalArgumentException inUse(Path dataDir, String purpose, String holder) {
        return new IllegalArgumentException("servmon: cannot " + purpose + ": the data directory " + dataDir.toAbsolutePath().normalize()
                + " is in use by a running servmon" + (holder.isEmpty() ? "" : " (" + holder + ")")
                + "; stop that hub first, or choose another --data");
    }

    /** What the holder wrote into the lock file ("pid 1234"), or empty. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(64);
            channel.read(buf, 0);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel channel, IOException cause) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Releases the lock; the file stays (deleting it could race with the next holder). */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("servmon: cannot release " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        } finally {
            HELD_HERE.remove(file);
        }
    }
}
