package dev.servmon.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
    @Test
    void a_data_directory_is_opened_by_one_database_at_a_time(@TempDir Path dir) throws Exception {
        try (Database db = Database.openSqlite(dir)) {
            assertThat(DataDirLock.isHeld(dir)).isTrue();
            assertThat(Files.readString(dir.resolve(DataDirLock.FILE_NAME)).strip()).isEqualTo("pid " + ProcessHandle.current().pid());
            assertThatThrownBy(() -> Database.openSqlite(dir))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot open the database in it")
                    .hasMessageContaining("in use by a running servmon (pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("choose another --data");
            assertThatThrownBy(() -> DataDirLock.acquire(dir.resolve("."), "restore into it")).hasMessageContaining("cannot restore into it");
        }
        assertThat(DataDirLock.isHeld(dir)).as("released by close").isFalse();
        try (Database again = Database.openSqlite(dir)) {
            assertThat(again.dialect()).isEqualTo(Dialect.SQLITE);
        }
    }

    @Test
    void a_directory_without_a_lock_file_is_not_held(@TempDir Path dir) {
        assertThat(DataDirLock.isHeld(dir.resolve("missing"))).isFalse();
        try (DataDirLock lock = DataDirLock.acquire(dir.resolve("new/dir"), "test")) {
            assertThat(DataDirLock.isHeld(dir.resolve("new/dir"))).isTrue();
        }
        assertThat(DataDirLock.isHeld(dir.resolve("new/dir"))).isFalse();
    }
}
