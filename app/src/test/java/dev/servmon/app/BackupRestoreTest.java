package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.Samples;
import dev.servmon.hub.storage.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code servmon backup} of a hub that keeps ingesting, and {@code servmon restore} of it into a new hub. */
class BackupRestoreTest {
    @Test
    void a_backup_taken_while_the_hub_ingests_restores_into_a_hub_with_the_same_hosts_and_samples(@TempDir Path tmp) throws Exception {
        Path live = tmp.resolve("live");
        Path restored = tmp.resolve("restored");
        Path file = tmp.resolve("backups/servmon-backup.db");
        long now = System.currentTimeMillis();
        Map<String, List<Long>> beforeBackup;
        List<Long> ackedDuringBackup = new ArrayList<>();
        try (var hub = LocalHub.sqlite(live, Clock.systemUTC())) {
            var admin = hub.admin();
            List<String> keys = new ArrayList<>();
            for (String name : List.of("db-1", "web-1", "web-2")) {
                String key = admin.registerHost(name).get("key").asText();
                keys.add(key);
                assertThat(ApiClient.ingest(hub.ingestUrl(), key, Samples.batch(now, 1, 2, 3, 4, 5)).statusCode()).isEqualTo(200);
            }
            beforeBackup = hub.seqsByHost();
            // One host keeps reporting while the backup runs: the snapshot must still be consistent.
            var stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (long seq = 100; !stop.get(); seq++) {
                    if (ApiClient.ingest(hub.ingestUrl(), keys.get(0), Samples.batch(now, seq)).statusCode() == 200) {
                        synchronized (ackedDuringBackup) {
                            ackedDuringBackup.add(seq);
                        }
                    }
                }
            });
            writer.start();
            var backup = CliTest.run("backup", "--data", live.toString(), "--to", file.toString());
            stop.set(true);
            writer.join();
            assertThat(backup.code()).as(backup.err()).isZero();
            assertThat(backup.out()).contains("backup: " + file.toAbsolutePath(), "3 hosts", "schema version");

            var again = CliTest.run("backup", "--data", live.toString(), "--to", file.toString());
            assertThat(again.code()).isEqualTo(2);
            assertThat(again.err()).contains("already exists", "--force");
            assertThat(CliTest.run("backup", "--data", live.toString(), "--to", file.toString(), "--force").code()).isZero();

            var intoRunning = CliTest.run("restore", "--from", file.toString(), "--data", live.toString());
            assertThat(intoRunning.code()).isEqualTo(2);
            assertThat(intoRunning.err()).contains("servmon: cannot restore into it", "in use by a running servmon", "stop that hub first");
        }
        assertThat(Files.exists(restored)).isFalse();

        var restore = CliTest.run("restore", "--from", file.toString(), "--data", restored.toString());
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("3 hosts").doesNotContain("kept as");
        try (var hub = LocalHub.sqlite(restored, Clock.systemUTC())) {
            Map<String, List<Long>> after = hub.seqsByHost();
            assertThat(after.keySet()).containsExactlyElementsOf(beforeBackup.keySet());
            assertThat(after.get("web-1")).isEqualTo(beforeBackup.get("web-1")).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(after.get("web-2")).isEqualTo(beforeBackup.get("web-2"));
            // db-1's reports during the backup: the snapshot holds a prefix of them, never a gap.
            List<Long> db1 = after.get("db-1");
            assertThat(db1).startsWith(1L, 2L, 3L, 4L, 5L);
            List<Long> late = db1.subList(5, db1.size());
            assertThat(late).isEqualTo(ackedDuringBackup.subList(0, late.size()));
        }

        // Restoring over an existing database keeps it.
        var over = CliTest.run("restore", "--from", file.toString(), "--data", restored.toString());
        assertThat(over.code()).as(over.err()).isZero();
        try (Stream<Path> files = Files.list(restored)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.matches("servmon\\.db\\.bak-\\d{8}-\\d{6}"))
                    .contains("servmon.db")
                    .noneMatch(n -> n.contains("restoring"));
        }
        assertThat(over.out()).contains("kept as " + restored.resolve("servmon.db.bak-"));
    }

    @Test
    void restore_checks_the_file_before_it_touches_the_data_directory(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a database");
        var r = CliTest.run("restore", "--from", text.toString(), "--data", data.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is not an SQLite database", "'servmon backup'");

        Path other = tmp.resolve("other.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + other); var st = c.createStatement()) {
            st.execute("CREATE TABLE t (x INTEGER)");
        }
        r = CliTest.run("restore", "--from", other.toString(), "--data", data.toString());
        assertThat(r.err()).contains("is an SQLite database but not servmon's");

        Path newer = tmp.resolve("newer");
        Database.openSqlite(newer).close();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + newer.resolve("servmon.db")); var st = c.createStatement()) {
            st.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, "
                    + "installed_on, execution_time, success) VALUES (99, '99', 'from the future', 'SQL', 'V99__future.sql', 0, 'test', "
                    + "CURRENT_TIMESTAMP, 1, 1)");
        }
        r = CliTest.run("restore", "--from", newer.resolve("servmon.db").toString(), "--data", data.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("written by a newer servmon", "schema version 99");

        r = CliTest.run("restore", "--from", tmp.resolve("missing.db").toString(), "--data", data.toString());
        assertThat(r.err()).contains("is not a file");
        try (Stream<Path> left = Files.exists(data) ? Files.list(data) : Stream.empty()) {
            assertThat(left.map(p -> p.getFileName().toString())).as("nothing but the lock file").allMatch(n -> n.equals("servmon.lock"));
        }
    }

    @Test
    void backup_of_a_directory_without_a_database_says_which_directory(@TempDir Path tmp) {
        var r = CliTest.run("backup", "--data", tmp.resolve("nothing").toString(), "--to", tmp.resolve("b.db").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("there is no servmon database in " + tmp.resolve("nothing"), "--data");
    }
}
