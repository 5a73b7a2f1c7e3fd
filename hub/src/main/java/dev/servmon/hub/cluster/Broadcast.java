package dev.servmon.hub.cluster;

import dev.servmon.hub.storage.Database;

/**
 * Short messages between the hub replicas that share one database: on PostgreSQL by
 * LISTEN/NOTIFY ({@link PgBroadcast}); on SQLite, where there is one hub, nothing travels.
 * Delivery is best effort: a replica whose listening connection broke is told
 * ({@link Listener#onGap}) that it may have missed messages, and must then reload what it keeps.
 * Messages therefore name what changed, never carry the state itself.
 */
public interface Broadcast extends AutoCloseable {
    /** The largest body {@link #send} accepts (PostgreSQL caps a payload at 8,000 bytes). */
    int MAX_BODY_CHARS = 7_000;

    /** Receives the messages of one channel, on the broadcast's own thread: keep it quick. */
    interface Listener {
        /** A message; {@code own} when this replica sent it. */
        void onMessage(String body, boolean own);

        /** Messages may have been missed (the connection was lost and is back). */
        void onGap();
    }

    /** Listens on {@code channel}; call before {@link #start}. */
    void subscribe(String channel, Listener listener);

    /** Starts listening; returns once the subscriptions are in place. */
    void start();

    /**
     * Sends {@code body} (at most {@link #MAX_BODY_CHARS} characters) to every replica listening
     * on {@code channel}, this one included; it is delivered when the sending transaction commits.
     */
    void send(String channel, String body);

    /** Who this replica is in messages and logs. */
    String replicaId();

    @Override
    void close();

    /** The broadcast for {@code db}: LISTEN/NOTIFY on PostgreSQL, nothing on SQLite. */
    static Broadcast open(Database db) {
        return db.isShared() ? new PgBroadcast(db) : new Broadcast() {
            @Override
            public void subscribe(String channel, Listener listener) {
                // a single hub has nobody to hear from
            }

            @Override
            public void start() {
                // nothing to listen to
            }

            @Override
            public void send(String channel, String body) {
                // nobody else to tell
            }

            @Override
            public String replicaId() {
                return "single";
            }

            @Override
            public void close() {
                // nothing open
            }
        };
    }
}
