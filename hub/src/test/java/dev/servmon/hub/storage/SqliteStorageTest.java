package dev.servmon.hub.storage;

import java.nio.file.Path;

/** The storage contract on the embedded SQLite file. */
class SqliteStorageTest extends StorageContract {
    @Override
    DbConfig database(Path dir) {
        return DbConfig.sqlite(dir);
    }
}
