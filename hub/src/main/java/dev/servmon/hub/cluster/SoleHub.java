package dev.servmon.hub.cluster;

import dev.servmon.hub.storage.Database;

/** SQLite: one hub owns the database file, so it is always the leader. */
final class SoleHub implements LeaderLock {
    private final Database db;

    SoleHub(Database db) {
        this.db = db;
    }

    @Override
    public boolean tryAcquire() {
        return true;
    }

    @Override
    public boolean stillHeld() {
        return true;
    }

    @Override
    public void release() {
        // nothing to let go of: no other hub can share an SQLite database
    }

    @Override
    public Database database() {
        return db;
    }

    @Override
    public String describe() {
        return "single hub on " + db.dialect().label();
    }
}
