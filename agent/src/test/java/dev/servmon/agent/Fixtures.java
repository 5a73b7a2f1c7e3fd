package dev.servmon.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Fixture files captured from real machines, under src/test/resources/fixtures (see its README). */
public final class Fixtures {
    private Fixtures() {}

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** The fixture file or directory on disk (test resources are plain files under target/test-classes). */
    public static Path path(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("fixture " + name + " has no file path: " + url, e);
        }
    }

    /**
     * Copies the fixture directory {@code name} into {@code target} (created), restoring the
     * names the README lists as changed for Windows checkouts: {@code intel-rapl-0-0} becomes
     * {@code intel-rapl:0:0}.
     */
    public static Path copyTree(String name, Path target) {
        Path source = path(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                String relative = source.relativize(p).toString();
                Path to = target.resolve(restoreColons(relative));
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(p, to);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy fixture " + name + " to " + target, e);
        }
        return target;
    }

    private static String restoreColons(String relative) {
        StringBuilder out = new StringBuilder();
        for (String part : List.of(relative.split("/"))) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part.startsWith("intel-rapl-") ? "intel-rapl:" + part.substring("intel-rapl-".length()).replace('-', ':') : part);
        }
        return out.toString();
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
