package dev.servmon.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.MutableClock;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.Sessions;
import dev.servmon.hub.auth.Tokens;
import dev.servmon.hub.auth.Users;
import dev.servmon.hub.hosts.HostStore;
import dev.servmon.hub.ingest.SampleWriter;
import dev.servmon.hub.metrics.BlockCodec;
import dev.servmon.hub.metrics.HistoryQuery;
import dev.servmon.hub.metrics.Maintenance;
import dev.servmon.hub.metrics.MetricCatalog;
import dev.servmon.hub.metrics.MetricsQuery;
import dev.servmon.hub.metrics.RawSample;
import dev.servmon.hub.metrics.RawTier;
import dev.servmon.hub.metrics.Retention;
import dev.servmon.hub.metrics.Rollups;
import dev.servmon.protocol.IngestAck;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every storage backend must do, run once per backend ({@link SqliteStorageTest},
 * {@link PostgresStorageTest}): the same stores, the same writer, the same background task,
 * checked against brute-force computations on random data.
 */
abstract class StorageContract {
    static final long HOUR = 3_600_000L;
    static final long MINUTE = 60_000L;
    /** A whole hour, so windows and buckets are easy to reason about. */
    static final long T0 = 1_790_000_000_000L / HOUR * HOUR;

    @TempDir
    Path dir;
    Database db;
    MutableClock clock;
    HostStore hosts;
    RawTier raw;
    Rollups rollups;
    SampleWriter writer;
    ObjectMapper json = Json.mapper();

    /** The database under test, new and empty. */
    abstract DbConfig database(Path dir);

    @BeforeEach
    void open() {
        db = Database.open(database(dir));
        clock = new MutableClock(T0);
        hosts = new HostStore(db);
        raw = new RawTier(db);
        rollups = new Rollups(db);
        writer = new SampleWriter(db, raw, json, 64);
    }

    @AfterEach
    void close() {
        writer.close();
        db.close();
    }

    long host(String name) {
        String key = Tokens.newSecret("smk_");
        return hosts.insert(name, Tokens.hash(key), Tokens.prefixOf(key), clock.millis()).orElseThrow().id();
    }

    IngestAck write(long hostId, List<Sample> samples) {
        try {
            return writer.submit(hostId, new IngestBatch(ProtocolVersion.CURRENT, "test", 10, samples), clock.millis()).get();
        } catch (Exception e) {
            throw new AssertionError("write failed", e);
        }
    }

    Maintenance maintenance(Retention retention) {
        return new Maintenance(raw, rollups, retention, clock);
    }

    // ---------------------------------------------------------------- hosts, users, sessions

    @Test
    void hosts_are_stored_listed_case_insensitively_and_found_by_key() {
        String key = Tokens.newSecret("smk_");
        long b = hosts.insert("beta", Tokens.hash(key), Tokens.prefixOf(key), 1).orElseThrow().id();
        host("Alpha");
        host("gamma");

        assertThat(hosts.list()).extracting(HostStore.Row::name).containsExactly("Alpha", "beta", "gamma");
        assertThat(hosts.idForKeyHash(Tokens.hash(key))).contains(b);
        assertThat(hosts.insert("beta", "other-hash", "smk_x", 2)).as("names are unique").isEmpty();
        String rotated = Tokens.newSecret("smk_");
        assertThat(hosts.replaceKey(b, Tokens.hash(rotated), Tokens.prefixOf(rotated))).isTrue();
        assertThat(hosts.idForKeyHash(Tokens.hash(key))).isEmpty();
        assertThat(hosts.idForKeyHash(Tokens.hash(rotated))).contains(b);
    }

    @Test
    void a_host_is_renamed_unless_another_host_has_the_name() {
        long a = host("alpha");
        host("beta");

        assertThat(hosts.rename(a, "omega")).contains(true);
        assertThat(hosts.find(a)).map(HostStore.Row::name).contains("omega");
        assertThat(hosts.rename(a, "beta")).as("names stay unique").isEmpty();
        assertThat(hosts.find(a)).map(HostStore.Row::name).contains("omega");
        assertThat(hosts.rename(a + 1000, "delta")).as("unknown host").contains(false);
    }

    @Test
    void users_and_sessions_round_trip() {
        var users = new Users(db.jdbi(), clock);
        assertThat(users.ensureFirstAdmin("first-admin-password-1")).isEmpty();
        var admin = users.authenticate("admin", "first-admin-password-1").orElseThrow();
        assertThat(users.authenticate("admin", "wrong-password-123")).isEmpty();

        var sessions = new Sessions(db.jdbi(), clock);
        var created = sessions.create(admin);
        assertThat(sessions.find(created.cookieValue())).map(s -> s.user().username()).contains("admin");
        clock.advance(Sessions.IDLE_TIMEOUT.plusMinutes(1));
        assertThat(sessions.find(created.cookieValue())).as("idle session ends").isEmpty();
    }

    // ---------------------------------------------------------------- raw samples

    @Test
    void samples_read_back_as_written_before_and_after_packing_into_blocks() {
        long id = host("web-1");
        var rnd = new SplittableRandom(1);
        List<Sample> samples = RandomSamples.run(rnd, 1, T0, 400, 10_000);
        for (int i = 0; i < samples.size(); i += 50) {
            write(id, samples.subList(i, Math.min(samples.size(), i + 50)));
        }
        List<RawSample> expected = samples.stream().map(s -> RollupCheck.quantized(MetricCatalog.flatten(s))).toList();
        assertThat(raw.read(id, T0, T0 + 10 * HOUR)).isEqualTo(expected);

        clock.advance(Duration.ofHours(3));
        var pass = maintenance(Retention.DEFAULT).runOnce();

        assertThat(pass.windowsPacked()).isEqualTo(2);
        assertThat(raw.read(id, T0, T0 + 10 * HOUR)).isEqualTo(expected);
        assertThat(raw.read(id, T0 + 1_000_000, T0 + 2_000_000))
                .isEqualTo(expected.stream().filter(s -> s.atMs() >= T0 + 1_000_000 && s.atMs() < T0 + 2_000_000).toList());
        assertThat(raw.count(id)).isEqualTo(400);
    }

    @Test
    void a_snapshot_read_keeps_seeing_the_head_rows_that_the_leader_packs_meanwhile() {
        long id = host("web-1");
        write(id, RandomSamples.run(new SplittableRandom(2), 1, T0, 100, 10_000));
        clock.advance(Duration.ofHours(2));
        String headRows = "SELECT count(*) FROM sample_head WHERE host_id = :host";

        long[] seen = db.inSnapshot(h -> {
            long before = h.createQuery(headRows).bind("host", id).mapTo(Long.class).one();
            // Packing commits on another connection (another thread: Jdbi hands a thread its open
            // handle) between this snapshot's two statements: a raw read (blocks, then head) must
            // not miss the window in both.
            assertThat(CompletableFuture.supplyAsync(() -> raw.compact(clock.millis())).join()).isEqualTo(1);
            long after = h.createQuery(headRows).bind("host", id).mapTo(Long.class).one();
            return new long[] {before, after};
        });

        assertThat(seen).as("head rows seen before and after the packing, in one snapshot").containsExactly(100, 100);
        long headAfter = db.jdbi().withHandle(h -> h.createQuery(headRows).bind("host", id).mapTo(Long.class).one());
        assertThat(headAfter).as("the packing did happen").isZero();
        assertThat(raw.read(id, T0, T0 + HOUR)).hasSize(100);
    }

    @Test
    void a_replayed_seq_is_a_duplicate_in_the_head_in_a_block_and_after_retention() {
        long id = host("replay");
        var rnd = new SplittableRandom(2);
        List<Sample> samples = RandomSamples.run(rnd, 100, T0, 30, 60_000);
        assertThat(write(id, samples)).isEqualTo(new IngestAck(129, 30, 0));
        assertThat(write(id, samples.subList(10, 20))).as("replay while in the head").isEqualTo(new IngestAck(119, 0, 10));

        clock.advance(Duration.ofHours(2));
        maintenance(Retention.DEFAULT).runOnce();
        assertThat(write(id, samples.subList(0, 30))).as("replay after packing").isEqualTo(new IngestAck(129, 0, 30));
        List<Sample> mixed = new ArrayList<>(samples.subList(25, 30));
        mixed.addAll(RandomSamples.run(rnd, 130, T0 + 30 * MINUTE, 5, 60_000));
        assertThat(write(id, mixed)).as("half old, half new").isEqualTo(new IngestAck(134, 5, 5));

        clock.advance(Duration.ofDays(8));
        var pass = maintenance(Retention.DEFAULT).runOnce();
        assertThat(pass.rawSamplesExpired()).isEqualTo(35);
        assertThat(raw.count(id)).isZero();
        assertThat(write(id, samples.subList(0, 5))).as("replay after retention removed them").isEqualTo(new IngestAck(104, 0, 5));
        assertThat(raw.count(id)).isZero();
    }

    // ---------------------------------------------------------------- rollups

    @Test
    void rollups_equal_a_brute_force_computation_on_random_data_written_out_of_order() {
        var rnd = new SplittableRandom(42);
        long a = host("a");
        long b = host("b");
        Map<Long, List<Sample>> all = new HashMap<>();
        all.put(a, RandomSamples.run(rnd, 1, T0 + 17_000, 900, 10_000 + rnd.nextInt(3_000)));
        all.put(b, RandomSamples.run(rnd, 1_000, T0 - 2 * HOUR, 300, 45_000));
        var maintenance = maintenance(Retention.DEFAULT);
        clock.advance(Duration.ofHours(3));
        for (var e : all.entrySet()) {
            // Batches in random order with passes of the background task in between: minutes get
            // rolled up, hours packed, and then more samples arrive for them.
            List<List<Sample>> batches = batches(e.getValue(), rnd);
            Collections.shuffle(batches, new java.util.Random(rnd.nextLong()));
            for (List<Sample> batch : batches) {
                write(e.getKey(), batch);
                if (rnd.nextInt(5) == 0) {
                    maintenance.runOnce();
                }
            }
        }
        maintenance.runOnce();

        assertThat(rollups.pending()).isZero();
        for (var e : all.entrySet()) {
            for (Rollups.Tier tier : Rollups.Tier.values()) {
                assertRollupsMatch(e.getKey(), tier, bruteForce(e.getValue(), tier.widthMs()));
            }
        }
    }

    @Test
    void samples_older_than_the_raw_retention_are_merged_into_rollups_once() {
        long id = host("late");
        var rnd = new SplittableRandom(7);
        List<Sample> samples = RandomSamples.run(rnd, 1, T0, 360, 10_000); // one hour
        var maintenance = maintenance(Retention.DEFAULT);
        write(id, samples.subList(0, 200));
        clock.advance(Duration.ofHours(2));
        maintenance.runOnce();
        clock.advance(Duration.ofDays(8));
        maintenance.runOnce();
        assertThat(raw.count(id)).as("raw expired").isZero();

        // The agent was cut off for 8 days and replays the rest of that hour, then all of it again.
        write(id, samples.subList(200, 360));
        maintenance.runOnce();
        write(id, samples);
        maintenance.runOnce();

        assertThat(raw.count(id)).isZero();
        assertRollupsMatch(id, Rollups.Tier.M1, bruteForce(samples, MINUTE));
        assertRollupsMatch(id, Rollups.Tier.H1, bruteForce(samples, HOUR));
    }

    // ---------------------------------------------------------------- retention

    @Test
    void retention_keeps_each_tier_exactly_from_its_cut_off_hour() {
        long id = host("ret");
        var rnd = new SplittableRandom(9);
        List<Sample> samples = RandomSamples.run(rnd, 1, T0, 30 * 60, 60_000); // 30 hours, one a minute
        var retention = new Retention(Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12), Duration.ofHours(24));
        var maintenance = maintenance(retention);
        for (int i = 0; i < samples.size(); i += 200) {
            write(id, samples.subList(i, Math.min(samples.size(), i + 200)));
        }
        clock.advance(Duration.ofHours(30).plusMinutes(30));
        maintenance.runOnce();

        long now = clock.millis();
        long rawCut = T0 + 27 * HOUR;
        assertThat(retention.rawCutoff(now)).isEqualTo(rawCut);
        List<RawSample> kept = raw.read(id, 0, Long.MAX_VALUE / 2);
        assertThat(kept).isNotEmpty().allMatch(s -> s.atMs() >= rawCut);
        assertThat(kept).hasSize((int) samples.stream().filter(s -> s.atMs() >= rawCut).count()).hasSize(3 * 60);
        String cpu = "cpu";
        assertOldest(Rollups.Tier.M1, id, cpu, T0 + 24 * HOUR);
        assertOldest(Rollups.Tier.M15, id, cpu, T0 + 18 * HOUR);
        assertOldest(Rollups.Tier.H1, id, cpu, T0 + 6 * HOUR);
        assertThat(rollups.read(Rollups.Tier.H1, id, List.of(cpu), 0, Long.MAX_VALUE / 2)).hasSize(24);
        assertThat(rollups.read(Rollups.Tier.M1, id, List.of(cpu), 0, Long.MAX_VALUE / 2)).hasSize(6 * 60);
    }

    private void assertOldest(Rollups.Tier tier, long hostId, String series, long expectedMs) {
        var rows = rollups.read(tier, hostId, List.of(series), 0, Long.MAX_VALUE / 2);
        assertThat(rows).as(tier.label()).isNotEmpty();
        assertThat(rows.get(0).bucketMs()).as(tier.label() + " oldest bucket").isEqualTo(expectedMs);
    }

    // ---------------------------------------------------------------- delete host

    @Test
    void deleting_a_host_removes_its_samples_series_and_rollups_and_nothing_else() {
        long gone = host("gone");
        long kept = host("kept");
        var rnd = new SplittableRandom(3);
        for (long id : new long[] {gone, kept}) {
            write(id, RandomSamples.run(rnd, 1, T0, 200, 30_000));
        }
        clock.advance(Duration.ofMinutes(90));
        maintenance(Retention.DEFAULT).runOnce();
        write(gone, RandomSamples.run(rnd, 500, T0 + 100 * MINUTE, 5, 10_000)); // leaves head rows and dirty minutes
        Map<String, Long> before = rowsPerTable(kept);

        assertThat(hosts.delete(gone)).isTrue();

        assertThat(rowsPerTable(gone)).allSatisfy((table, n) -> assertThat(n).as(table).isZero());
        assertThat(rowsPerTable(kept)).isEqualTo(before);
        assertThat(before.get("sample_blocks")).isPositive();
        assertThat(before.get("rollup_blocks")).isPositive();
    }

    private Map<String, Long> rowsPerTable(long hostId) {
        Map<String, Long> out = new TreeMap<>();
        for (String t : List.of("sample_head", "sample_blocks", "series", "rollup_dirty", "rollup_blocks")) {
            out.put(t, db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + t + " WHERE host_id = :h")
                    .bind("h", hostId).mapTo(Long.class).one()));
        }
        return out;
    }

    // ---------------------------------------------------------------- queries

    @Test
    void chart_queries_are_aligned_and_match_brute_force_at_every_resolution() {
        long id = host("chart");
        var rnd = new SplittableRandom(11);
        List<Sample> samples = RandomSamples.run(rnd, 1, T0, 6 * 360, 10_000); // 6 hours at 10 s
        for (int i = 0; i < samples.size(); i += 300) {
            write(id, samples.subList(i, Math.min(samples.size(), i + 300)));
        }
        clock.advance(Duration.ofHours(6).plusMinutes(30));
        maintenance(Retention.DEFAULT).runOnce();
        var query = new MetricsQuery(raw, rollups, Retention.DEFAULT, clock);

        for (long step : new long[] {30_000, 5 * MINUTE, 30 * MINUTE, 2 * HOUR}) {
            var result = query.query(id, List.of("cpu", "net_rx:*", "nonexistent_is_not_checked_here"), T0, T0 + 6 * HOUR, step);
            assertThat(result.stepMs()).isEqualTo(step);
            assertThat(result.timestamps()).hasSize((int) (6 * HOUR / step));
            assertThat(result.series()).extracting(MetricsQuery.Series::name)
                    .startsWith("cpu").contains("net_rx:eth0").endsWith("nonexistent_is_not_checked_here");
            var cpu = result.series().get(0);
            var expected = bruteForce(samples, step).get("cpu");
            for (int i = 0; i < result.timestamps().length; i++) {
                var agg = expected.get(result.timestamps()[i]);
                assertThat(cpu.avg()[i]).as("step %d point %d", step, i).isCloseTo(agg.avg(), within(1e-9));
                assertThat(cpu.min()[i]).isEqualTo(agg.min());
                assertThat(cpu.max()[i]).isEqualTo(agg.max());
            }
            assertThat(result.series().get(result.series().size() - 1).avg()).containsOnlyNulls();
        }
        assertThat(query.query(id, List.of("cpu"), T0, T0 + 6 * HOUR, 0).resolution()).isEqualTo("raw");
        assertThat(query.query(id, List.of("cpu"), T0, T0 + 6 * HOUR, 5 * MINUTE).resolution()).isEqualTo("1m");
    }

    @Test
    void the_right_edge_of_a_chart_is_current_before_the_rollup_task_runs() {
        long id = host("edge");
        var rnd = new SplittableRandom(12);
        List<Sample> samples = RandomSamples.run(rnd, 1, T0, 120, 30_000); // one hour
        write(id, samples.subList(0, 100));
        clock.advance(Duration.ofMinutes(55));
        maintenance(Retention.DEFAULT).runOnce();
        write(id, samples.subList(100, 120)); // not rolled up yet
        clock.advance(Duration.ofMinutes(10));

        var result = new MetricsQuery(raw, rollups, Retention.DEFAULT, clock).query(id, List.of("mem_used"), T0, T0 + HOUR, 15 * MINUTE);

        assertThat(result.resolution()).isEqualTo("15m");
        var expected = bruteForce(samples, 15 * MINUTE).get("mem_used");
        for (int i = 0; i < 4; i++) {
            assertThat(result.series().get(0).max()[i]).isEqualTo(expected.get(T0 + i * 15 * MINUTE).max());
            assertThat(result.series().get(0).avg()[i]).isCloseTo(expected.get(T0 + i * 15 * MINUTE).avg(), within(1e-6));
        }
    }

    @Test
    void history_pages_through_head_rows_and_blocks_in_either_order() {
        long id = host("history");
        var rnd = new SplittableRandom(13);
        List<Sample> samples = RandomSamples.run(rnd, 1, T0 + 5 * MINUTE, 500, 20_000); // ~2.8 hours
        write(id, samples.subList(0, 400));
        clock.advance(Duration.ofHours(3));
        maintenance(Retention.DEFAULT).runOnce();
        write(id, samples.subList(400, 500));
        var history = new HistoryQuery(raw);
        long from = T0 + 30 * MINUTE;
        long to = T0 + 150 * MINUTE;
        List<Sample> inRange = samples.stream().filter(s -> s.atMs() >= from && s.atMs() < to).toList();

        List<Long> asc = new ArrayList<>();
        List<Long> desc = new ArrayList<>();
        for (int page = 0; page < 10; page++) {
            var p = history.page(id, List.of(), from, to, page, 37, true);
            assertThat(p.total()).isEqualTo(inRange.size());
            p.rows().forEach(r -> asc.add(r.seq()));
            history.page(id, List.of("cpu", "fs_used:*"), from, to, page, 37, false).rows().forEach(r -> desc.add(r.seq()));
        }
        List<Long> expected = inRange.stream().map(Sample::seq).toList();
        assertThat(asc).isEqualTo(expected);
        List<Long> reversed = new ArrayList<>(expected);
        Collections.reverse(reversed);
        assertThat(desc).isEqualTo(reversed);

        var page = history.page(id, List.of("cpu", "fs_used:*"), from, to, 0, 1, true);
        Sample first = inRange.get(0);
        assertThat(page.columns()).startsWith("cpu", "fs_used:/");
        assertThat(page.rows().get(0).values().get("cpu")).isEqualTo(BlockCodec.quantize("cpu", first.cpu().percent()));
    }

    // ---------------------------------------------------------------- helpers

    static List<List<Sample>> batches(List<Sample> samples, SplittableRandom rnd) {
        List<List<Sample>> out = new ArrayList<>();
        for (int i = 0; i < samples.size(); ) {
            int n = 1 + rnd.nextInt(40);
            out.add(samples.subList(i, Math.min(samples.size(), i + n)));
            i += n;
        }
        return out;
    }

    static Map<String, Map<Long, Rollups.Agg>> bruteForce(List<Sample> samples, long widthMs) {
        return RollupCheck.bruteForce(samples, widthMs);
    }

    void assertRollupsMatch(long hostId, Rollups.Tier tier, Map<String, Map<Long, Rollups.Agg>> expected) {
        RollupCheck.assertMatches(rollups, hostId, tier, expected);
    }
}
