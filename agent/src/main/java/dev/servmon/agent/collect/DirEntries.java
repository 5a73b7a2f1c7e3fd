package dev.servmon.agent.collect;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists directories of {@code /sys} and {@code /proc} with a plain {@link DirectoryStream}:
 * {@code Files.list} would load the stream framework, some 50 classes, for a loop.
 */
final class DirEntries {
    private DirEntries() {}

    /** The entries of {@code dir} sorted by name; empty when {@code dir} is not a directory. */
    static List<Path> sorted(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                entries.add(p);
            }
        }
        entries.sort(null);
        return entries;
    }

    /** The names of the entries of {@code dir}. */
    static Set<String> names(Path dir) throws IOException {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                names.add(p.getFileName().toString());
            }
        }
        return names;
    }
}
