package dev.servmon.app.backup;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code servmon restore}: a backup becomes the database of a data directory. */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Restore an SQLite backup written by 'servmon backup' into a data directory, with the hub stopped.",
                "Refuses while a hub runs on DIR. Checks the file first: an intact SQLite database, servmon's, at a schema",
                "version this servmon knows (an older one is upgraded when the hub starts). The database it replaces is kept",
                "as DIR/servmon.db.bak-<time>. A hub on PostgreSQL is restored with pg_restore (see 'servmon backup --help')."})
public final class RestoreCommand implements Callable<Integer> {
    @Option(names = "--from", paramLabel = "FILE", required = true, description = "Backup file written by 'servmon backup'.")
    Path from;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./servmon-data",
            description = "The hub's data directory, created if missing (default: ${DEFAULT-VALUE}).")
    Path data;

    @Override
    public Integer call() {
        var r = SqliteBackup.restore(from, data, Clock.systemDefaultZone());
        System.out.println("restore: " + r.database() + " now holds " + from + " (" + r.info().describe() + ")");
        if (r.previous() != null) {
            System.out.println("restore: the database it replaced is kept as " + r.previous());
        }
        System.out.println("start the hub with --data " + data);
        return 0;
    }
}
