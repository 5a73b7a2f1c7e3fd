package dev.servmon.hub.cluster;

import dev.servmon.hub.storage.Database;

/**
 * The lock whose holder is the leader. Implementations never throw from these methods: a
 * database that cannot be reached simply means "not the leader".
 */
interface LeaderLock {
    /** Tries to take the lock; true when this replica now holds it. */
    boolean tryAcquire();

    /** Whether the lock is still held; false when in doubt. */
    boolean stillHeld();

    /** Lets go of the lock; after this nothing leader-only can commit through {@link #database()}. */
    void release();

    /** The database leader-only work must write through. */
    Database database();

    /** For log lines: what the lock is. */
    String describe();
}
