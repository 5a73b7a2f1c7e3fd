package dev.servmon.app.backup;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A hub on PostgreSQL is backed up by PostgreSQL's own tools: {@code pg_dump --format=custom}
 * is consistent (one snapshot) while the hubs keep writing, and {@code pg_restore} reads it back.
 * This turns the hub's JDBC URL into their command lines; the password goes in
 * {@code PGPASSWORD}, never on the command line.
 */
final class PgDump {
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/?]*)(?:/([^?]*))?(?:\\?(.*))?");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^]]+]|[^:]+)(?::(\\d+))?");
    private static final Pattern PLAIN_ARG = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    private PgDump() {}

    /**
     * Where the database is, as libpq wants it.
     *
     * @param hosts comma-separated host names (libpq accepts a list, as the JDBC URL does)
     * @param ports comma-separated ports, one per host
     * @param database database name
     * @param sslMode the URL's {@code sslmode}, or null
     */
    record Target(String hosts, String ports, String database, String sslMode) {}

    static Target parse(String jdbcUrl) {
        Matcher m = URL.matcher(jdbcUrl.strip());
        if (!m.matches() || m.group(1).isEmpty()) {
            throw new IllegalArgumentException("servmon backup: --db-url must look like jdbc:postgresql://host:5432/servmon");
        }
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (String hostPort : m.group(1).split(",")) {
            Matcher hp = HOST_PORT.matcher(hostPort);
            if (!hp.matches()) {
                throw new IllegalArgumentException("servmon backup: cannot read the host '" + hostPort + "' of --db-url");
            }
            hosts.add(hp.group(1).replace("[", "").replace("]", ""));
            ports.add(hp.group(2) == null ? "5432" : hp.group(2));
        }
        String database = m.group(2) == null || m.group(2).isEmpty() ? "postgres" : m.group(2);
        String sslMode = null;
        if (m.group(3) != null) {
            for (String param : m.group(3).split("&")) {
                if (param.startsWith("sslmode=")) {
                    sslMode = param.substring("sslmode=".length());
                }
            }
        }
        return new Target(String.join(",", hosts), String.join(",", ports), database, sslMode);
    }

    static List<String> dumpCommand(Target t, String user, Path file) {
        List<String> cmd = new ArrayList<>(List.of("pg_dump", "--format=custom", "--file", file.toString()));
        connection(cmd, t, user);
        cmd.addAll(List.of("--dbname", t.database()));
        return cmd;
    }

    static List<String> restoreCommand(Target t, String user, Path file) {
        List<String> cmd = new ArrayList<>(List.of("pg_restore", "--clean", "--if-exists", "--no-owner"));
        connection(cmd, t, user);
        cmd.addAll(List.of("--dbname", t.database(), file.toString()));
        return cmd;
    }

    private static void connection(List<String> cmd, Target t, String user) {
        cmd.addAll(List.of("--host", t.hosts(), "--port", t.ports()));
        if (user != null) {
            cmd.addAll(List.of("--username", user));
        }
    }

    /** The command as one line a person can paste, with the environment it needs in front. */
    static String shellLine(List<String> cmd, Target t, boolean withPassword) {
        String env = (withPassword ? "PGPASSWORD=… " : "") + (t.sslMode() == null ? "" : "PGSSLMODE=" + t.sslMode() + " ");
        return env + cmd.stream().map(PgDump::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String arg) {
        return PLAIN_ARG.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    /** The executable named {@code name} in the directories of {@code path} (a PATH value). */
    static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
