package dev.servmon.protocol.checks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a directory check finds: how many regular files directly in the directory match the glob,
 * and when the newest was modified ({@code newestMs}, null without files). The one probe that
 * is the same code in hub and agent (it needs nothing but the JDK).
 */
public record DirectoryListing(long count, Long newestMs) {

    /**
     * Lists {@code dir}; subdirectories and files removed while listing are not counted.
     *
     * @param glob file-name pattern such as {@code *.tar.gz}; {@code *} for all
     * @throws NoSuchFileException no such directory
     * @throws java.nio.file.NotDirectoryException {@code dir} is a file
     * @throws IOException it cannot be read (permissions)
     */
    public static DirectoryListing of(Path dir, String glob) throws IOException {
        long count = 0;
        Long newest = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path f : files) {
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(f, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue; // removed while we looked
                }
                if (!a.isRegularFile()) {
                    continue;
                }
                count++;
                long m = a.lastModifiedTime().toMillis();
                newest = newest == null ? m : Math.max(newest, m);
            }
        }
        return new DirectoryListing(count, newest);
    }
}
