package dev.servmon.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * PostgreSQL user and password, for every command that talks to PostgreSQL (hub, demo, backup,
 * migrate). The password comes from {@code SERVMON_DB_PASSWORD} or {@code --db-password-file},
 * never from a visible flag: flags show up in {@code ps}.
 */
public final class DbLogin {
    @Option(names = "--db-user", paramLabel = "USER", description = "PostgreSQL user.")
    String user;

    @Option(names = "--db-password", paramLabel = "PASSWORD", hidden = true,
            description = "PostgreSQL password; prefer SERVMON_DB_PASSWORD or --db-password-file (flags show up in ps).")
    String password;

    @Option(names = "--db-password-file", paramLabel = "FILE",
            description = "File holding the PostgreSQL password (or set SERVMON_DB_PASSWORD).")
    Path passwordFile;

    /** The user, or null for the driver's default. */
    public String user() {
        return user;
    }

    /** True when any of user, password or password file was given. */
    boolean given() {
        return user != null || password != null || passwordFile != null;
    }

    /** The password from the environment (via the option) or the file; null when neither. */
    public String password() {
        if (password != null && passwordFile != null) {
            throw new IllegalArgumentException("servmon: give the database password once: SERVMON_DB_PASSWORD or --db-password-file, not both");
        }
        if (passwordFile == null) {
            return password;
        }
        try {
            return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("servmon: cannot read --db-password-file " + passwordFile.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
