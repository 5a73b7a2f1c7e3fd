package dev.servmon.app.migrate;

import dev.servmon.app.DbLogin;
import dev.servmon.hub.storage.DataDirLock;
import dev.servmon.hub.storage.Database;
import dev.servmon.hub.storage.DbConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code servmon migrate}: an SQLite hub's data into PostgreSQL. */
@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Copy a hub's SQLite database (DIR/servmon.db) into PostgreSQL, with the hub stopped.",
                "Creates the schema with the hub's PostgreSQL migrations, then copies every table in batches in one transaction,",
                "keeping ids (and moving id sequences past them), with a progress bar on stderr; then compares row counts.",
                "Refuses a target that holds data unless --force (which empties it first). The SQLite file is only read;",
                "keep it until the hub runs well on PostgreSQL: start it with --db-url URL --db-user USER (SERVMON_DB_PASSWORD).",
                "Exit codes: 0 copied and verified, 1 counts differ, 2 usage or refused."})
public final class MigrateCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./servmon-data",
            description = "The hub's data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--to", paramLabel = "URL", required = true, description = "Target database, jdbc:postgresql://host:5432/servmon.")
    String to;

    @Mixin
    DbLogin login;

    @Option(names = "--force", description = "Empty the target first when it holds data.")
    boolean force;

    @Option(names = "--batch-rows", paramLabel = "N", defaultValue = "1000", description = "Rows per insert batch (default: ${DEFAULT-VALUE}).")
    int batchRows;

    @Override
    public Integer call() throws SQLException {
        if (!to.strip().startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("servmon migrate: --to must be a PostgreSQL URL like jdbc:postgresql://host:5432/servmon, got '" + to + "'");
        }
        if (batchRows < 1 || batchRows > 100_000) {
            throw new IllegalArgumentException("servmon migrate: --batch-rows must be between 1 and 100000, got " + batchRows);
        }
        if (!Files.isRegularFile(data.resolve(Database.SQLITE_FILE))) {
            throw new IllegalArgumentException("servmon migrate: there is no servmon database in " + data.toAbsolutePath().normalize()
                    + " (expected " + Database.SQLITE_FILE + "); pass the --data directory of your hub");
        }
        if (DataDirLock.isHeld(data)) {
            throw new IllegalArgumentException("servmon migrate: a hub is running on " + data.toAbsolutePath().normalize()
                    + "; stop it first (what it stores during the copy would not reach PostgreSQL)");
        }
        var target = new DbConfig(to.strip(), login.user(), login.password(), data).validate();
        try (Database source = Database.openSqlite(data);
             Database postgres = Database.open(target);
             Handle from = source.jdbi().open();
             Handle into = postgres.jdbi().open()) {
            var copier = new SqliteToPostgres(from.getConnection(), into.getConnection(), batchRows);
            var plan = copier.plan();
            Map<String, Long> occupied = plan.nonEmptyTarget();
            if (!occupied.isEmpty() && !force) {
                throw new IllegalArgumentException("servmon migrate: " + target.redacted() + " already holds data (" + rows(occupied)
                        + "); migrate into an empty database, or add --force to delete what it holds first");
            }
            System.out.printf(Locale.ROOT, "migrate: copying %,d rows in %d tables from %s to %s%s%n", plan.totalRows(), plan.tables().size(),
                    source.description(), target.redacted(), occupied.isEmpty() ? "" : " (emptying it first: " + rows(occupied) + ")");
            var bar = new ProgressBar(System.err, plan.totalRows(), System.console() != null, System::nanoTime);
            long t0 = System.nanoTime();
            copier.copy(plan, bar::update);
            bar.finish(plan.totalRows());
            double seconds = (System.nanoTime() - t0) / 1e9;

            boolean same = true;
            System.out.printf(Locale.ROOT, "  %-16s %14s %14s%n", "table", "sqlite", "postgresql");
            for (var e : copier.verify(plan).entrySet()) {
                long[] c = e.getValue();
                same &= c[0] == c[1];
                System.out.printf(Locale.ROOT, "  %-16s %,14d %,14d%s%n", e.getKey(), c[0], c[1], c[0] == c[1] ? "" : "  DIFFERENT");
            }
            if (!same) {
                System.err.println("servmon migrate: row counts differ after the copy; do not switch the hub to PostgreSQL yet");
                return 1;
            }
            System.out.printf(Locale.ROOT, "migrate: done in %.1f s (%,.0f rows/s); counts match.%n", seconds, plan.totalRows() / Math.max(seconds, 1e-9));
            System.out.println("start the hub with: servmon hub --db-url " + target.redacted() + (target.user() == null ? "" : " --db-user " + target.user())
                    + " (password in SERVMON_DB_PASSWORD); keep " + data.resolve(Database.SQLITE_FILE) + " until you are satisfied");
            return 0;
        }
    }

    private static String rows(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
