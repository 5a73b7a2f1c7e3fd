package dev.servmon.app.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgDumpTest {
    @Test
    void jdbc_urls_become_libpq_connection_options() {
        assertThat(PgDump.parse("jdbc:postgresql://db.example.com/servmon"))
                .isEqualTo(new PgDump.Target("db.example.com", "5432", "servmon", null));
        assertThat(PgDump.parse("jdbc:postgresql://10.0.0.5:6432/metrics?sslmode=require&ApplicationName=x"))
                .isEqualTo(new PgDump.Target("10.0.0.5", "6432", "metrics", "require"));
        assertThat(PgDump.parse("jdbc:postgresql://[::1]:5433,db2/servmon"))
                .isEqualTo(new PgDump.Target("::1,db2", "5433,5432", "servmon", null));
        assertThatThrownBy(() -> PgDump.parse("jdbc:postgresql:servmon")).hasMessageContaining("--db-url must look like");
    }

    @Test
    void the_commands_carry_no_password_and_restore_into_the_same_database() {
        var t = PgDump.parse("jdbc:postgresql://db:5432/servmon?sslmode=verify-full");
        var dump = PgDump.dumpCommand(t, "servmon", Path.of("/backups/servmon 1.dump"));
        assertThat(dump).containsExactly("pg_dump", "--format=custom", "--file", "/backups/servmon 1.dump", "--host", "db", "--port", "5432",
                "--username", "servmon", "--dbname", "servmon");
        assertThat(PgDump.shellLine(dump, t, true)).isEqualTo("PGPASSWORD=… PGSSLMODE=verify-full pg_dump --format=custom --file "
                + "'/backups/servmon 1.dump' --host db --port 5432 --username servmon --dbname servmon");
        assertThat(PgDump.restoreCommand(t, null, Path.of("/b/x.dump")))
                .containsExactly("pg_restore", "--clean", "--if-exists", "--no-owner", "--host", "db", "--port", "5432", "--dbname", "servmon", "/b/x.dump");
    }

    @Test
    void pg_dump_is_found_only_as_an_executable_on_the_path(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path notExecutable = Files.createDirectories(dir.resolve("other")).resolve("pg_dump");
        Files.writeString(notExecutable, "#!/bin/sh\n");
        assertThat(PgDump.onPath("pg_dump", dir.resolve("other") + ":" + bin)).isEmpty();
        Path exe = bin.resolve("pg_dump");
        Files.writeString(exe, "#!/bin/sh\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(PgDump.onPath("pg_dump", dir.resolve("other") + "::" + bin)).contains(exe);
        assertThat(PgDump.onPath("pg_dump", null)).isEmpty();
    }
}
