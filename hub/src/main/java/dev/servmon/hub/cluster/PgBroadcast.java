package dev.servmon.hub.cluster;

import dev.servmon.hub.storage.Database;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Broadcast} by PostgreSQL LISTEN/NOTIFY. One connection of its own listens on every
 * subscribed channel and is reconnected (with back-off) when it breaks; messages are sent with
 * {@code pg_notify} through the pool. Each body goes out as {@code "<replica id> <body>"}, so a
 * receiver knows its own messages.
 */
final class PgBroadcast implements Broadcast {
    private static final Logger log = LoggerFactory.getLogger(PgBroadcast.class);
    private static final int WAIT_MS = 500;
    /** A connection that heard nothing for this long is probed, so a dead one is noticed. */
    private static final long PROBE_AFTER_MS = 10_000;
    private static final int PROBE_TIMEOUT_MS = 5_000;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final Database db;
    private final String replicaId;
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;
    /** Owned by the listening thread once started. */
    private Connection conn;

    PgBroadcast(Database db) {
        this.db = db;
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        this.replicaId = ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
        this.thread = new Thread(this::loop, "servmon-broadcast");
        this.thread.setDaemon(true);
    }

    @Override
    public void subscribe(String channel, Listener listener) {
        if (!channel.matches("[a-z_]{1,40}")) {
            throw new IllegalArgumentException("channel names are lower-case letters and '_', got '" + channel + "'");
        }
        if (started) {
            throw new IllegalStateException("subscribe to " + channel + " before the broadcast starts");
        }
        listeners.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(listener);
    }

    @Override
    public void start() {
        started = true;
        try {
            conn = connect();
        } catch (SQLException e) {
            throw new IllegalStateException("servmon: cannot open the LISTEN connection to PostgreSQL at " + db.description() + ": "
                    + e.getMessage() + "; each hub needs two connections besides its pool (check max_connections)", e);
        }
        thread.start();
        log.info("live fan-out listening replica={} channels={}", replicaId, listeners.keySet());
    }

    @Override
    public void send(String channel, String body) {
        if (body.length() > MAX_BODY_CHARS) {
            throw new IllegalArgumentException("broadcast body of " + body.length() + " chars exceeds " + MAX_BODY_CHARS);
        }
        db.jdbi().useHandle(h -> h.createQuery("SELECT count(*) FROM (SELECT pg_notify(:channel, :payload)) sent")
                .bind("channel", channel).bind("payload", replicaId + " " + body).mapTo(Long.class).one());
    }

    @Override
    public String replicaId() {
        return replicaId;
    }

    private Connection connect() throws SQLException {
        Connection c = db.openDedicated("listen");
        try (Statement st = c.createStatement()) {
            for (String channel : listeners.keySet()) {
                st.execute("LISTEN " + channel);
            }
            c.setNetworkTimeout(Runnable::run, PROBE_TIMEOUT_MS);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void loop() {
        long backoffMs = 250;
        long lastHeardAt = System.currentTimeMillis();
        boolean failing = false;
        while (running) {
            try {
                if (conn == null) {
                    conn = connect();
                    log.info("live fan-out reconnected replica={}; reloading what may have been missed", replicaId);
                    failing = false;
                    backoffMs = 250;
                    listeners.values().forEach(ls -> ls.forEach(this::gap));
                }
                PGNotification[] notes = conn.unwrap(PGConnection.class).getNotifications(WAIT_MS);
                long now = System.currentTimeMillis();
                if (notes != null && notes.length > 0) {
                    lastHeardAt = now;
                    for (PGNotification n : notes) {
                        deliver(n.getName(), n.getParameter());
                    }
                } else if (now - lastHeardAt > PROBE_AFTER_MS) {
                    try (Statement st = conn.createStatement()) {
                        st.execute("SELECT 1");
                    }
                    lastHeardAt = now;
                }
            } catch (SQLException e) {
                if (!running) {
                    break;
                }
                if (!failing) {
                    log.warn("live fan-out lost its PostgreSQL connection ({}); other replicas' changes reach this one's browsers "
                            + "again once it is back", e.getMessage());
                    failing = true;
                }
                closeQuietly();
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            }
        }
        closeQuietly();
    }

    private void deliver(String channel, String payload) {
        int space = payload.indexOf(' ');
        if (space <= 0) {
            log.warn("broadcast on {} without a sender ignored: '{}'", channel, payload.length() > 80 ? payload.substring(0, 80) : payload);
            return;
        }
        boolean own = payload.substring(0, space).equals(replicaId);
        String body = payload.substring(space + 1);
        for (Listener l : listeners.getOrDefault(channel, List.of())) {
            try {
                l.onMessage(body, own);
            } catch (RuntimeException e) {
                log.error("broadcast listener on {} failed", channel, e);
            }
        }
    }

    private void gap(Listener l) {
        try {
            l.onGap();
        } catch (RuntimeException e) {
            log.error("broadcast listener failed to handle a gap", e);
        }
    }

    private void closeQuietly() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException e) {
                log.debug("closing the LISTEN connection failed (it is gone either way)", e);
            }
            conn = null;
        }
    }

    @Override
    public void close() {
        running = false;
        if (started) {
            try {
                thread.join(2 * WAIT_MS + 1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
