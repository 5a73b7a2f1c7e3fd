package dev.servmon.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Saves and loads the host key: owner-only (0600) where the filesystem has POSIX permissions. */
final class HostKeyFile {
    private static final Log log = Log.get(HostKeyFile.class);
    /** Same length the hub shows ("smk_" plus 6 random characters), so logs on both sides match. */
    private static final int PREFIX_CHARS = 10;

    private HostKeyFile() {}

    /** Writes {@code key} to {@code file} atomically, creating missing directories (0700). */
    static void save(Path file, String key) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix) {
            // Created 0600 from the start: the key is never readable by others, not even briefly.
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((key + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The key in {@code file}, trimmed; warns when others may read the file. */
    static String load(Path file) throws IOException {
        String key = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("servmon agent: host key file {} is readable by others ({}); run: chmod 600 {}",
                        file, PosixFilePermissions.toString(perms), file);
            }
        }
        return key;
    }

    /** The first characters of a key followed by an ellipsis: enough to tell keys apart in a log, useless to an attacker. */
    static String prefix(String key) {
        if (key == null) {
            return "(none)";
        }
        return key.length() >= 4 * PREFIX_CHARS - 4 ? key.substring(0, PREFIX_CHARS) + "…" : "…";
    }
}
