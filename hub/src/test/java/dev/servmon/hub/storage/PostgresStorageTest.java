package dev.servmon.hub.storage;

import java.nio.file.Path;

/** The storage contract on a real PostgreSQL server (embedded binaries; see {@link TestPostgres}). */
class PostgresStorageTest extends StorageContract {
    @Override
    DbConfig database(Path dir) {
        return TestPostgres.freshDatabase(dir);
    }
}
