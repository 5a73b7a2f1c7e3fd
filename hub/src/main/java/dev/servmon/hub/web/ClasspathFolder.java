package dev.servmon.hub.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Reads every file of one folder of the classpath entry (jar or directory) a class was loaded
 * from. A jar is read through {@link JarFile}, whose central directory the JDK shares with the
 * class loader that already has the jar open — not mounted as a zip file system, which copies
 * the whole central directory (13,800 entries for servmon.jar) into the heap for as long as it
 * stays mounted.
 */
final class ClasspathFolder {
    private ClasspathFolder() {}

    /**
     * @param anchor a class from the same jar or directory as the files
     * @param folder the folder's path inside it, without slashes around ({@code web})
     * @return path under the folder ({@code js/api.js}) to bytes, sorted by path
     * @throws IllegalStateException when the folder is missing or cannot be read
     */
    static Map<String, byte[]> read(Class<?> anchor, String folder) {
        return read(sourceOf(anchor), folder);
    }

    /** As {@link #read(Class, String)}, from a jar file or a classes directory. */
    static Map<String, byte[]> read(Path source, String folder) {
        try {
            Map<String, byte[]> files = Files.isDirectory(source) ? readDirectory(source.resolve(folder)) : readJar(source, folder + "/");
            if (files.isEmpty()) {
                throw new IllegalStateException("no files under " + folder + "/ in " + source + "; the hub was built without its dashboard");
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder + "/ from " + source, e);
        }
    }

    private static Path sourceOf(Class<?> anchor) {
        CodeSource code = anchor.getProtectionDomain().getCodeSource();
        if (code == null || code.getLocation() == null) {
            throw new IllegalStateException("cannot tell which jar or directory " + anchor.getName() + " was loaded from");
        }
        try {
            return Path.of(code.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the classpath entry " + code.getLocation() + " as a file", e);
        }
    }

    private static Map<String, byte[]> readDirectory(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static Map<String, byte[]> readJar(Path jar, String prefix) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) file.stream()::iterator) {
                if (!e.isDirectory() && e.getName().startsWith(prefix)) {
                    try (InputStream in = file.getInputStream(e)) {
                        files.put(e.getName().substring(prefix.length()), in.readAllBytes());
                    }
                }
            }
        }
        return files;
    }
}
