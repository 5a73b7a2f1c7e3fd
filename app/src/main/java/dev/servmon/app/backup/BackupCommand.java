package dev.servmon.app.backup;

import dev.servmon.app.DbLogin;
import dev.servmon.hub.storage.DbConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code servmon backup}: a consistent copy of the hub's database, while the hub runs. */
@Command(name = "backup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Back up the hub's database while the hub runs.",
                "SQLite (the default): a consistent snapshot of DIR/servmon.db as of one commit (VACUUM INTO), compacted, one",
                "self-contained file; restore it with 'servmon restore'. Prints its size and how long it took.",
                "PostgreSQL (--db-url, or SERVMON_DB_URL as the hub uses): runs pg_dump --format=custom when pg_dump is on the PATH",
                "(its major version must be at least the server's), else prints the exact pg_dump and pg_restore commands.",
                "Exit codes: 0 backed up, 1 nothing backed up (e.g. no pg_dump), 2 usage."})
public final class BackupCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./servmon-data",
            description = "The hub's data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--to", paramLabel = "FILE", required = true, description = "Backup file to write.")
    Path to;

    @Option(names = "--force", description = "Replace --to if it exists.")
    boolean force;

    @Option(names = "--db-url", paramLabel = "URL", description = "The hub's PostgreSQL database, jdbc:postgresql://host:5432/servmon (default: SQLite in --data).")
    String dbUrl;

    @Mixin
    DbLogin login;

    @Override
    public Integer call() throws Exception {
        if (dbUrl != null && !dbUrl.isBlank()) {
            return postgres();
        }
        var backup = SqliteBackup.backup(data, to, force);
        System.out.printf(Locale.ROOT, "backup: %s, %s in %.2f s (%s)%n", backup.file(), bytes(backup.bytes()), backup.seconds(), backup.info().describe());
        System.out.println("restore it with: servmon restore --from " + backup.file() + " --data <dir>   (with the hub stopped)");
        return 0;
    }

    private int postgres() throws IOException, InterruptedException {
        var config = new DbConfig(dbUrl.strip(), login.user(), login.password(), data).validate();
        PgDump.Target target = PgDump.parse(config.url());
        Path file = to.toAbsolutePath();
        List<String> dump = PgDump.dumpCommand(target, config.user(), file);
        String restore = PgDump.shellLine(PgDump.restoreCommand(target, config.user(), file), target, config.password() != null);
        var pgDump = PgDump.onPath("pg_dump", System.getenv("PATH"));
        if (pgDump.isEmpty()) {
            System.err.println("servmon backup: pg_dump is not on the PATH; nothing was backed up. A hub on PostgreSQL is backed up with");
            System.err.println("PostgreSQL's own tools (install the client package of the server's major version, e.g. postgresql-client-16):");
            System.err.println("  " + PgDump.shellLine(dump, target, config.password() != null));
            System.err.println("and restored into an empty database, with the hubs stopped, with:");
            System.err.println("  " + restore);
            return 1;
        }
        if (Files.exists(file) && !force) {
            throw new IllegalArgumentException("servmon backup: " + file + " already exists; choose another --to or add --force to replace it");
        }
        Path partial = file.resolveSibling("." + file.getFileName() + ".partial-" + ProcessHandle.current().pid());
        List<String> run = PgDump.dumpCommand(target, config.user(), partial);
        run.set(0, pgDump.get().toString());
        var pb = new ProcessBuilder(run).inheritIO();
        if (config.password() != null) {
            pb.environment().put("PGPASSWORD", config.password());
        }
        if (target.sslMode() != null) {
            pb.environment().put("PGSSLMODE", target.sslMode());
        }
        System.out.println("backup: " + PgDump.shellLine(dump, target, config.password() != null));
        long t0 = System.nanoTime();
        int code = pb.start().waitFor();
        if (code != 0) {
            Files.deleteIfExists(partial);
            System.err.println("servmon backup: pg_dump failed (exit " + code + "); nothing was backed up");
            return 1;
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf(Locale.ROOT, "backup: %s, %s in %.2f s%n", file, bytes(Files.size(file)), (System.nanoTime() - t0) / 1e9);
        System.out.println("restore it into an empty database, with the hubs stopped, with: " + restore);
        return 0;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
