package dev.servmon.hub.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.api.Json;
import dev.servmon.hub.storage.Database;
import dev.servmon.hub.storage.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uptime, buckets and retention in SQL, on both databases, over results whose answer is known. */
class CheckStoreTest {
    static final long DAY = 86_400_000L;
    static final long NOW = 1_750_000_000_000L;

    abstract static class Contract {

    Database db;
    CheckStore store;

    abstract Database open(Path dir);

    void setUp(Path dir) {
        db = open(dir);
        store = new CheckStore(db, Json.mapper());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long newCheck(String name) {
        return store.insert(CheckValidator.validate(new CheckInput(name, "push", null, null, 60, null, null, null, null), null, 0, NOW, id -> false));
    }

    private void result(long check, long atMs, boolean up, Double ms) {
        store.insertResult(new CheckResult(check, atMs, up, ms, null, null, "push", null));
    }

    void uptime_counts_up_results_over_24_hours_and_30_days() {
        long a = newCheck("a");
        long b = newCheck("b");
        // Within 24 h: 3 up, 1 down. Between 1 and 30 days ago: 1 up, 3 down. Older: ignored.
        result(a, NOW - 1_000, true, 10.0);
        result(a, NOW - 2 * 3600_000L, true, 20.0);
        result(a, NOW - 3 * 3600_000L, false, 99.0);
        result(a, NOW - 23 * 3600_000L, true, 30.0);
        result(a, NOW - 2 * DAY, true, null);
        result(a, NOW - 3 * DAY, false, null);
        result(a, NOW - 10 * DAY, false, null);
        result(a, NOW - 29 * DAY, false, null);
        result(a, NOW - 31 * DAY, true, null);
        result(b, NOW - 5_000, false, null);

        var u = store.uptime(a, NOW);
        assertThat(u.percent24h()).isEqualTo(75.0);
        assertThat(u.percent30d()).isEqualTo(50.0);
        assertThat(store.uptime(NOW).get(b).percent24h()).isEqualTo(0.0);
        assertThat(store.uptime(newCheck("c"), NOW).percent24h()).isNull();

        assertThat(store.latest(java.util.List.of(a, b)).get(a).atMs()).isEqualTo(NOW - 1_000);
        assertThat(store.results(a, NOW - DAY, NOW, 10)).extracting(CheckResult::atMs)
                .containsExactly(NOW - 1_000, NOW - 2 * 3600_000L, NOW - 3 * 3600_000L, NOW - 23 * 3600_000L);

        var buckets = store.buckets(a, NOW - DAY, NOW, 12 * 3600_000L);
        assertThat(buckets).hasSize(2);
        assertThat(buckets.get(0).responseMs()).isEqualTo(30.0);
        assertThat(buckets.get(1).total()).isEqualTo(3);
        assertThat(buckets.get(1).up()).isEqualTo(2);
        assertThat(buckets.get(1).responseMs()).as("of the UP results only").isEqualTo(15.0);

        assertThat(store.expire(NOW - 30 * DAY)).isEqualTo(1);
        var retention = new CheckRetention(store, Clock.fixed(Instant.ofEpochMilli(NOW + 62 * DAY), ZoneOffset.UTC));
        assertThat(retention.runOnce()).as("older than 90 days at NOW + 62 d: the one of 29 days ago").isEqualTo(1);
        assertThat(store.uptime(a, NOW).percent30d()).as("4 up of 7").isEqualTo(57.14);
    }

    void a_deleted_check_takes_its_results_and_hosts_can_be_public() {
        long a = newCheck("gone");
        result(a, NOW, true, null);
        assertThat(store.delete(a)).isTrue();
        assertThat(store.results(a, 0, NOW, 10)).isEmpty();
        assertThat(store.setPublicHost(12345, true)).isFalse();
    }

    }

    @Nested
    class Sqlite extends Contract {
        @Override
        Database open(Path dir) {
            return Database.openSqlite(dir);
        }

        @Test
        void uptime(@TempDir Path dir) {
            setUp(dir);
            uptime_counts_up_results_over_24_hours_and_30_days();
        }

        @Test
        void cascade(@TempDir Path dir) {
            setUp(dir);
            a_deleted_check_takes_its_results_and_hosts_can_be_public();
        }
    }

    @Nested
    class Postgres extends Contract {
        @Override
        Database open(Path dir) {
            return Database.open(TestPostgres.freshDatabase(dir));
        }

        @Test
        void uptime(@TempDir Path dir) {
            setUp(dir);
            uptime_counts_up_results_over_24_hours_and_30_days();
        }

        @Test
        void cascade(@TempDir Path dir) {
            setUp(dir);
            a_deleted_check_takes_its_results_and_hosts_can_be_public();
        }
    }
}
