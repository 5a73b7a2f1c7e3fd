package dev.servmon.bench;

import dev.servmon.hub.storage.DbConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Command-line arguments shared by the benchmarks: {@code --name value} pairs, plus the database
 * ({@code --db-url jdbc:postgresql://…}, {@code --db-user}; password from {@code SERVMON_DB_PASSWORD}),
 * SQLite in a temporary directory when no URL is given.
 */
final class BenchArgs {
    private final Map<String, String> values = new HashMap<>();
    private final String usage;

    BenchArgs(String[] args, String usage) {
        this.usage = usage;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println(usage);
                System.exit(0);
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                fail("unexpected argument " + args[i]);
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    int integer(String name, int defaultValue) {
        String v = values.remove(name);
        try {
            return v == null ? defaultValue : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            fail("--" + name + " must be an integer, got " + v);
            return defaultValue;
        }
    }

    String string(String name, String defaultValue) {
        String v = values.remove(name);
        return v == null ? defaultValue : v;
    }

    /** The database to measure; call after the other options. */
    DbConfig database(Path dataDir) {
        String url = values.remove("db-url");
        String user = values.remove("db-user");
        if (!values.isEmpty()) {
            fail("unknown option --" + values.keySet().iterator().next());
        }
        if (url == null) {
            return DbConfig.sqlite(dataDir);
        }
        return new DbConfig(url, user, System.getenv("SERVMON_DB_PASSWORD"), dataDir).validate();
    }

    private void fail(String message) {
        System.err.println("servmon-bench: " + message);
        System.err.println(usage);
        System.exit(2);
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
