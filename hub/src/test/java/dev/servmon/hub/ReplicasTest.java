package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.hub.cluster.HealthHandlerTest;
import dev.servmon.hub.metrics.Retention;
import dev.servmon.hub.metrics.Rollups;
import dev.servmon.hub.storage.Database;
import dev.servmon.hub.storage.DbConfig;
import dev.servmon.hub.storage.RandomSamples;
import dev.servmon.hub.storage.RollupCheck;
import dev.servmon.hub.storage.TestPostgres;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several hubs in this JVM on one PostgreSQL database, as replicas behind a load balancer:
 * leader election and fail-over (a leader's session is ended with {@code pg_terminate_backend},
 * which is what PostgreSQL does when the leader's process dies), rollups that stay exact
 * while leaders die mid-pass, and live updates that reach browsers on every replica.
 */
class ReplicasTest {
    private static final long HOUR = 3_600_000L;
    /** The leader lock's key, as {@code pg_locks} shows it. */
    private static final String LEADER_LOCK = "locktype = 'advisory' AND granted AND classid = 1936551790 AND objid = 1 AND objsubid = 2 "
            + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    @TempDir
    Path dir;

    private List<TestHub> replicas(DbConfig db, int n, UnaryOperator<HubConfig> adjust) {
        List<TestHub> hubs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hubs.add(TestHub.start(cfg -> adjust.apply(cfg.withDatabase(db))));
        }
        return hubs;
    }

    private static void closeAll(List<TestHub> hubs) {
        hubs.forEach(TestHub::close);
    }

    private static Connection connect(DbConfig db) throws SQLException {
        return DriverManager.getConnection(db.url(), db.user(), db.password());
    }

    /** The backend pid holding the leader lock, or 0 when nobody holds it. */
    private static int leaderPid(DbConfig db) {
        try (Connection c = connect(db); var rs = c.createStatement().executeQuery("SELECT pid FROM pg_locks WHERE " + LEADER_LOCK)) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends a backend as PostgreSQL does when its client dies: the session's locks go, its open transaction rolls back. */
    private static void terminate(DbConfig db, String where) {
        try (Connection c = connect(db)) {
            c.createStatement().executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE " + where).close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long awaitMs(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long t0 = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - t0 > timeoutMs * 1_000_000L) {
                throw new AssertionError("condition not met within " + timeoutMs + " ms");
            }
            Thread.sleep(10);
        }
        return (System.nanoTime() - t0) / 1_000_000L;
    }

    private static List<TestHub> leaders(List<TestHub> hubs) {
        return hubs.stream().filter(h -> h.hub().leadership().isLeader()).toList();
    }

    @Test
    void exactly_one_replica_leads_and_a_new_leader_takes_over_within_two_lock_intervals() throws Exception {
        DbConfig db = TestPostgres.freshDatabase(dir);
        Duration lock = Duration.ofMillis(500);
        List<TestHub> hubs = replicas(db, 3, cfg -> cfg.withLeaderLockInterval(lock));
        try {
            assertThat(leaders(hubs)).as("the first hub to start leads").hasSize(1).containsExactly(hubs.get(0));
            for (TestHub h : hubs) {
                String role = h == hubs.get(0) ? "leader" : "follower";
                assertThat(HealthHandlerTest.health(h.apiUrl())).contains("\"status\":\"ok\"", "\"role\":\"" + role + "\"",
                        "\"database\":\"postgresql\"");
                assertThat(HealthHandlerTest.health(h.ingestUrl())).contains("\"role\":\"" + role + "\"");
            }
            for (int round = 0; round < 3; round++) {
                int old = leaderPid(db);
                assertThat(old).isPositive();
                terminate(db, "pid = " + old);
                long tookMs = awaitMs(() -> {
                    int now = leaderPid(db);
                    return now != 0 && now != old;
                }, 10_000);
                assertThat(tookMs).as("round %d: the lock is taken again within 2 × %d ms", round, lock.toMillis())
                        .isLessThanOrEqualTo(2 * lock.toMillis());
                // The old leader learns of its loss at its next check; then exactly one says leader.
                awaitMs(() -> leaders(hubs).size() == 1, 2 * lock.toMillis() + 1_000);
            }
        } finally {
            closeAll(hubs);
        }
    }

    @Test
    void nothing_commits_through_a_leader_session_that_is_gone_nor_on_a_follower() throws Exception {
        DbConfig db = TestPostgres.freshDatabase(dir);
        List<TestHub> hubs = replicas(db, 2, cfg -> cfg.withLeaderLockInterval(Duration.ofSeconds(30)));
        try {
            Database leaderDb = hubs.get(0).hub().leadership().database();
            String touch = "UPDATE users SET disabled = disabled";
            leaderDb.jdbi().useHandle(h -> h.execute(touch));
            assertThatThrownBy(() -> hubs.get(1).hub().leadership().database().jdbi().useHandle(h -> h.execute(touch)))
                    .hasStackTraceContaining("not the leader");

            terminate(db, "pid = " + leaderPid(db));
            // Long before its next check (30 s), the old leader can no longer write.
            assertThatThrownBy(() -> leaderDb.jdbi().useHandle(h -> h.execute(touch))).satisfies(e ->
                    assertThat(Database.connectionLost(e)).as("connection lost: %s", e).isTrue());
        } finally {
            closeAll(hubs);
        }
    }

    @Test
    void rollups_stay_exact_while_leaders_die_in_the_middle_of_maintenance() throws Exception {
        DbConfig db = TestPostgres.freshDatabase(dir);
        long t0 = System.currentTimeMillis() / HOUR * HOUR - 10 * HOUR;
        var clock = new MutableClock(t0 + 5 * HOUR);
        // Raw kept 2 h: most hours are expired while their samples still arrive, so late
        // samples are merged into the rollups too (the step that must never run twice).
        var retention = new Retention(Duration.ofHours(2), Duration.ofDays(30), Duration.ofDays(365), Duration.ofDays(5 * 365));
        List<TestHub> hubs = replicas(db, 3, cfg -> cfg.withClock(clock).withRetention(retention)
                .withLeaderLockInterval(Duration.ofMillis(200)).withMaintenanceEvery(Duration.ofMillis(100)));
        AtomicBoolean killing = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        Thread killer = new Thread(() -> {
            var rnd = new Random(3);
            while (killing.get()) {
                try {
                    Thread.sleep(150 + rnd.nextInt(350));
                } catch (InterruptedException e) {
                    return;
                }
                int pid = leaderPid(db);
                if (pid != 0 && killing.get()) {
                    terminate(db, "pid = " + pid);
                    kills.incrementAndGet();
                }
            }
        }, "leader-killer");
        try (Database check = Database.open(db)) {
            var rnd = new SplittableRandom(11);
            TestHub ingest = hubs.get(2);
            var hostA = ingest.registerHost("a");
            var hostB = ingest.registerHost("b");
            List<Sample> samplesA = RandomSamples.run(rnd, 1, t0 + 7_000, 500, 15_000);
            List<Sample> samplesB = RandomSamples.run(rnd, 10_000, t0 + HOUR, 300, 20_000);
            // Each agent sends its batches in order (as its outbox does); the two agents interleave.
            var pendingA = new ArrayDeque<>(batches(samplesA, rnd));
            var pendingB = new ArrayDeque<>(batches(samplesB, rnd));
            List<Runnable> sends = new ArrayList<>();
            while (!pendingA.isEmpty() || !pendingB.isEmpty()) {
                boolean a = pendingB.isEmpty() || (!pendingA.isEmpty() && rnd.nextBoolean());
                var batch = (a ? pendingA : pendingB).poll();
                String key = (a ? hostA : hostB).get("key").asText();
                sends.add(() -> send(ingest, key, batch));
            }

            killer.start();
            for (int i = 0; i < sends.size(); i++) {
                sends.get(i).run();
                if (i % 10 == 9) {
                    clock.advance(Duration.ofHours(1)); // retention runs again at each new hour
                }
                Thread.sleep(rnd.nextInt(60));
            }
            killing.set(false);
            killer.join();

            var rollups = new Rollups(check);
            awaitMs(() -> rollups.pending() == 0, 30_000);
            for (Rollups.Tier tier : Rollups.Tier.values()) {
                RollupCheck.assertMatches(rollups, hostA.get("id").asLong(), tier, RollupCheck.bruteForce(samplesA, tier.widthMs()));
                RollupCheck.assertMatches(rollups, hostB.get("id").asLong(), tier, RollupCheck.bruteForce(samplesB, tier.widthMs()));
            }
            assertThat(kills.get()).as("leader sessions ended during the run").isGreaterThanOrEqualTo(5);
        } finally {
            killing.set(false);
            killer.interrupt();
            closeAll(hubs);
        }
    }

    private static List<List<Sample>> batches(List<Sample> samples, SplittableRandom rnd) {
        List<List<Sample>> out = new ArrayList<>();
        for (int i = 0; i < samples.size(); ) {
            int n = 1 + rnd.nextInt(30);
            out.add(samples.subList(i, Math.min(samples.size(), i + n)));
            i += n;
        }
        return out;
    }

    private static void send(TestHub hub, String key, List<Sample> batch) {
        var r = hub.ingest(key, Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 15, batch)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"stored\":" + batch.size() + ",");
    }

    @Test
    void a_browser_on_one_replica_sees_hosts_added_reporting_going_off_and_deleted_through_another_whose_key_then_fails_everywhere() throws Exception {
        DbConfig db = TestPostgres.freshDatabase(dir);
        var clock = new MutableClock(System.currentTimeMillis());
        List<TestHub> hubs = replicas(db, 2, cfg -> cfg.withClock(clock));
        try {
            TestHub a = hubs.get(0);
            TestHub b = hubs.get(1);
            BlockingQueue<String> onA = LiveEventsTest.listen(a.admin());
            BlockingQueue<String> onB = LiveEventsTest.listen(b.admin());
            Thread.sleep(300); // let the streams open

            var host = a.registerHost("replicated-1");
            long id = host.get("id").asLong();
            String prefix = "host {\"id\":" + id + ",";
            assertThat(LiveEventsTest.next(onB, prefix, 2_000)).as("added on A, seen on B").contains("\"status\":\"EMPTY\"");

            assertThat(a.ingest(host.get("key").asText(), Samples.batch(clock.millis(), 1)).statusCode()).isEqualTo(200);
            assertThat(LiveEventsTest.next(onB, prefix, 2_000)).as("reported to A, seen on B")
                    .contains("\"status\":\"ON\"", "\"cpuPercent\":23.5");

            // OFF is found by each replica for its own browsers, never broadcast: once per browser.
            onA.clear();
            onB.clear();
            clock.advance(Duration.ofSeconds(40));
            Thread.sleep(1_500);
            for (var events : List.of(onA, onB)) {
                List<String> off = events.stream().filter(e -> e.startsWith(prefix) && e.contains("\"status\":\"OFF\"")).toList();
                assertThat(off).as("OFF events").hasSize(1);
            }

            // B has the key cached from a report; deleting the host on A makes B refuse it too.
            String key = host.get("key").asText();
            assertThat(b.ingest(key, Samples.batch(clock.millis(), 2)).statusCode()).isEqualTo(200);
            assertThat(a.admin().delete("/api/v1/hosts/" + id).statusCode()).isEqualTo(204);
            assertThat(LiveEventsTest.next(onB, "host-deleted {\"id\":" + id, 2_000)).as("deleted on A, seen on B").isNotNull();
            awaitMs(() -> b.ingest(key, Samples.batch(clock.millis(), 3)).statusCode() == 401, 2_000);
        } finally {
            closeAll(hubs);
        }
    }

    @Test
    void a_replica_that_lost_its_listen_connection_tells_its_browsers_to_reload() throws Exception {
        DbConfig db = TestPostgres.freshDatabase(dir);
        List<TestHub> hubs = replicas(db, 2, cfg -> cfg.withClock(Clock.systemUTC()));
        try {
            BlockingQueue<String> onB = LiveEventsTest.listen(hubs.get(1).admin());
            Thread.sleep(300);
            terminate(db, "application_name = 'servmon-hub listen'");
            assertThat(LiveEventsTest.next(onB, "resync ", 5_000)).as("resync after reconnecting").isNotNull();

            var host = hubs.get(0).registerHost("after-gap");
            assertThat(LiveEventsTest.next(onB, "host {\"id\":" + host.get("id").asLong() + ",", 2_000))
                    .as("changes flow again after the reconnect").isNotNull();
        } finally {
            closeAll(hubs);
        }
    }
}
