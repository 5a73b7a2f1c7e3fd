package dev.servmon.app.user;

import dev.servmon.app.DbLogin;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.audit.AuditLog;
import dev.servmon.hub.auth.Sessions;
import dev.servmon.hub.auth.Users;
import dev.servmon.hub.storage.DataDirLock;
import dev.servmon.hub.storage.Database;
import dev.servmon.hub.storage.DbConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the users are (the options every {@code servmon user} command shares), and opening it. */
final class UserDb {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./servmon-data",
            description = "The hub's data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--db-url", paramLabel = "URL",
            description = "The hub's PostgreSQL database, jdbc:postgresql://host:5432/servmon (default: SQLite in --data).")
    String dbUrl;

    @Mixin
    DbLogin login;

    /** What a command does with the open database. */
    record Open(Users users, Sessions sessions, AuditLog audit, String description) {}

    /**
     * Opens the database, runs {@code work} and closes it. API-style refusals (a taken name, a
     * weak password) become usage errors naming the command.
     *
     * @param mustExist true when an SQLite database must already be there (nothing to list or change otherwise)
     */
    <T> T with(String command, boolean mustExist, Function<Open, T> work) {
        DbConfig config = config(command, mustExist);
        try (Database db = Database.open(config)) {
            Clock clock = Clock.systemUTC();
            return work.apply(new Open(new Users(db.jdbi(), clock), new Sessions(db.jdbi(), clock), new AuditLog(db.jdbi(), clock),
                    db.description()));
        } catch (ApiException e) {
            throw new IllegalArgumentException("servmon " + command + ": " + e.getMessage(), e);
        }
    }

    private DbConfig config(String command, boolean mustExist) {
        if (dbUrl != null && !dbUrl.isBlank()) {
            return new DbConfig(dbUrl.strip(), login.user(), login.password(), data).validate();
        }
        Path dir = data.toAbsolutePath().normalize();
        if (DataDirLock.isHeld(data)) {
            throw new IllegalArgumentException("servmon " + command + ": a hub is running on " + dir + " (it holds " + DataDirLock.FILE_NAME
                    + "); stop it first, or manage users while it runs: the dashboard's Users page, or the API "
                    + "(POST /api/v1/users, PATCH /api/v1/users/{id} with {\"password\": …})");
        }
        if (mustExist && !Files.isRegularFile(data.resolve(Database.SQLITE_FILE))) {
            throw new IllegalArgumentException("servmon " + command + ": there is no servmon database in " + dir + " (expected "
                    + Database.SQLITE_FILE + "); pass the --data directory of your hub");
        }
        return DbConfig.sqlite(data);
    }
}
