package dev.servmon.hub.cluster;

import dev.servmon.hub.storage.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership among hub replicas on one PostgreSQL database: a session-level advisory lock,
 * taken with {@code pg_try_advisory_lock} on a connection of its own and held as long as that
 * session lives.
 *
 * <p>Leader-only work runs on that very session ({@link #database()}): once the session is gone,
 * and with it the lock, nothing the old leader still tries can commit, so two leaders never
 * write at once, however late the old one notices. The session asks PostgreSQL to end it when
 * it is left idle (a frozen or hung leader) and to probe the client's TCP connection (a
 * vanished machine), so the lock never outlives its holder by much.
 */
final class AdvisoryLock implements LeaderLock {
    private static final Logger log = LoggerFactory.getLogger(AdvisoryLock.class);
    /** The two-key form of the advisory lock: 'smon' and 1 (leader of the hub replicas). */
    static final int KEY_CLASS = 0x736d6f6e;
    static final int KEY_LEADER = 1;
    /** Socket timeout while leader-only work runs: long statements are legitimate there. */
    private static final int WORK_TIMEOUT_MS = 300_000;

    private final Database pool;
    private final long intervalMs;
    private final Database view;
    /** Guards {@link #session}: the check and the leader-only work take turns on it. */
    private final ReentrantLock inUse = new ReentrantLock();
    private Connection session;
    private volatile boolean held;
    /** Whether the last connection attempt failed (logged once per outage, not per try). */
    private boolean unreachable;

    AdvisoryLock(Database pool, Duration interval) {
        this.pool = pool;
        this.intervalMs = interval.toMillis();
        this.view = pool.through(new ConnectionFactory() {
            @Override
            public Connection openConnection() throws SQLException {
                inUse.lock();
                try {
                    if (!held || session == null) {
                        throw new SQLException("this hub replica is not the leader (any more); leader-only work runs on the leader", "08003");
                    }
                    session.setNetworkTimeout(Runnable::run, WORK_TIMEOUT_MS);
                    return session;
                } catch (SQLException e) {
                    inUse.unlock();
                    throw e;
                }
            }

            @Override
            public void closeConnection(Connection conn) {
                inUse.unlock();
            }
        }, "leader session");
    }

    @Override
    public boolean tryAcquire() {
        inUse.lock();
        try {
            if (session == null) {
                session = connect();
            }
            session.setNetworkTimeout(Runnable::run, checkTimeoutMs());
            try (Statement st = session.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + KEY_CLASS + ", " + KEY_LEADER + ")")) {
                held = rs.next() && rs.getBoolean(1);
            }
            unreachable = false;
            return held;
        } catch (SQLException e) {
            if (!unreachable) {
                log.warn("leader election cannot reach PostgreSQL ({}); trying again every {} ms", e.getMessage(), intervalMs);
                unreachable = true;
            }
            closeSession();
            return false;
        } finally {
            inUse.unlock();
        }
    }

    @Override
    public boolean stillHeld() {
        inUse.lock();
        try {
            if (!held || session == null) {
                return false;
            }
            session.setNetworkTimeout(Runnable::run, checkTimeoutMs());
            try (Statement st = session.createStatement();
                 ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
                         + "AND pid = pg_backend_pid() AND classid = " + KEY_CLASS + " AND objid = " + KEY_LEADER + " AND objsubid = 2)")) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            log.warn("leader session failed its check: {}", e.getMessage());
            return false;
        } finally {
            inUse.unlock();
        }
    }

    @Override
    public void release() {
        inUse.lock();
        try {
            held = false;
            closeSession();
        } finally {
            inUse.unlock();
        }
    }

    @Override
    public Database database() {
        return view;
    }

    @Override
    public String describe() {
        return "PostgreSQL advisory lock (" + KEY_CLASS + ", " + KEY_LEADER + ") checked every " + intervalMs + " ms";
    }

    /** A check that gets no answer within two intervals counts as lost. */
    private int checkTimeoutMs() {
        return (int) Math.max(1_000, 2 * intervalMs);
    }

    private Connection connect() throws SQLException {
        Connection c = pool.openDedicated("leader");
        try (Statement st = c.createStatement()) {
            long idleLimitMs = Math.max(3_000, 3 * intervalMs);
            // A leader checks its lock every interval: a session left idle for three intervals
            // belongs to a frozen or hung process, and PostgreSQL ends it, freeing the lock.
            st.execute("SET idle_in_transaction_session_timeout = " + idleLimitMs);
            if (c.getMetaData().getDatabaseMajorVersion() >= 14) {
                st.execute("SET idle_session_timeout = " + idleLimitMs);
            }
            // A leader whose machine vanished is noticed by TCP keep-alive probes, not hours later.
            st.execute("SET tcp_keepalives_idle = " + Math.max(1, intervalMs / 1000));
            st.execute("SET tcp_keepalives_interval = 1");
            st.execute("SET tcp_keepalives_count = 3");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                log.debug("closing the leader session failed (it is gone either way)", e);
            }
            session = null;
        }
    }
}
