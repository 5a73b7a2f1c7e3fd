package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.MutableClock;
import dev.servmon.hub.Samples;
import dev.servmon.hub.sim.SyntheticHost;
import dev.servmon.hub.storage.TestPostgres;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code servmon migrate}: an SQLite hub with raw blocks, head rows and rollups, copied to PostgreSQL. */
class MigrateTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void an_sqlite_hub_migrated_to_postgresql_serves_the_same_hosts_samples_and_charts(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        long start = System.currentTimeMillis() / HOUR * HOUR - 3 * HOUR;
        var clock = new MutableClock(start);
        Map<String, List<Long>> seqs;
        JsonNode hosts;
        JsonNode rules;
        List<String> charts = new ArrayList<>();
        try (var hub = LocalHub.sqlite(data, clock)) {
            var admin = hub.admin();
            List<String> keys = new ArrayList<>();
            List<SyntheticHost> figures = new ArrayList<>();
            for (int h = 0; h < 3; h++) {
                keys.add(admin.registerHost("host-" + h).get("key").asText());
                figures.add(new SyntheticHost(h, 1));
                for (long from = start; from < start + 2 * HOUR; from += HOUR) {
                    report(hub, keys.get(h), figures.get(h), from, 60, 60_000);
                }
            }
            clock.advance(Duration.ofMinutes(135));
            var pass = hub.hub().maintenance().runOnce();
            assertThat(pass.windowsPacked()).as("two closed hours of three hosts packed into blocks").isEqualTo(6);
            // And some samples of the open hour, still in the head, with their minutes still dirty.
            report(hub, keys.get(0), figures.get(0), start + 2 * HOUR, 5, 60_000);

            seqs = hub.seqsByHost();
            hosts = admin.get("/api/v1/hosts");
            // The built-in rules a new database is seeded with come along, and do not stop the copy.
            admin.create("/api/v1/alert-rules", Map.of("name", "CPU hot", "condition", "cpuPercent > 90"));
            rules = admin.get("/api/v1/alert-rules");
            for (JsonNode h : hosts) {
                charts.add(admin.get("/api/v1/hosts/" + h.get("id").asLong() + "/metrics?names=cpu,mem_used,fs_used:*&from=" + start
                        + "&to=" + (start + 3 * HOUR) + "&step=15m").toString());
                charts.add(admin.get("/api/v1/hosts/" + h.get("id").asLong() + "/metrics?names=cpu&from=" + start
                        + "&to=" + (start + 3 * HOUR) + "&step=60").toString());
            }
            var whileRunning = CliTest.run("migrate", "--data", data.toString(), "--to", "jdbc:postgresql://127.0.0.1:1/x");
            assertThat(whileRunning.code()).isEqualTo(2);
            assertThat(whileRunning.err()).contains("a hub is running on " + data, "stop it first");
        }
        assertThat(seqs.get("host-0")).hasSize(120 + 5);

        var pg = TestPostgres.freshDatabase(tmp.resolve("pg"));
        Path password = Files.writeString(tmp.resolve("pg-password"), pg.password() + "\n");
        String[] migrate = {"migrate", "--data", data.toString(), "--to", pg.url(), "--db-user", pg.user(), "--db-password-file", password.toString()};
        var r = CliTest.run(migrate);
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("counts match", "sample_blocks", "rollup_blocks", "start the hub with: servmon hub --db-url " + pg.url());
        assertThat(r.err()).as("progress bar on stderr").contains("100%", "rows/s");

        try (var hub = LocalHub.postgres(pg, clock)) {
            var admin = hub.admin();
            assertThat(hub.seqsByHost()).isEqualTo(seqs);
            assertThat(admin.get("/api/v1/hosts")).isEqualTo(hosts);
            assertThat(admin.get("/api/v1/alert-rules")).isEqualTo(rules);
            List<String> after = new ArrayList<>();
            for (JsonNode h : hosts) {
                after.add(admin.get("/api/v1/hosts/" + h.get("id").asLong() + "/metrics?names=cpu,mem_used,fs_used:*&from=" + start
                        + "&to=" + (start + 3 * HOUR) + "&step=15m").toString());
                after.add(admin.get("/api/v1/hosts/" + h.get("id").asLong() + "/metrics?names=cpu&from=" + start
                        + "&to=" + (start + 3 * HOUR) + "&step=60").toString());
            }
            assertThat(after).isEqualTo(charts);
            long maxId = 0;
            for (JsonNode h : hosts) {
                maxId = Math.max(maxId, h.get("id").asLong());
            }
            assertThat(admin.registerHost("after-migration").get("id").asLong()).as("id sequences moved past the copied ids").isEqualTo(maxId + 1);
        }

        var again = CliTest.run(migrate);
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("already holds data (", "hosts 4", "--force");
        var forced = CliTest.run(append(migrate, "--force"));
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("emptying it first", "counts match");
        try (var hub = LocalHub.postgres(pg, clock)) {
            assertThat(hub.seqsByHost()).isEqualTo(seqs);
        }
    }

    /** {@code count} samples from {@code figures}, {@code stepMs} apart from {@code fromMs}, in one report. */
    private static void report(LocalHub hub, String key, SyntheticHost figures, long fromMs, int count, long stepMs) {
        List<Sample> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(figures.next(fromMs + i * stepMs));
        }
        var response = ApiClient.ingest(hub.ingestUrl(), key, Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 60, batch)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static String[] append(String[] args, String more) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = more;
        return out;
    }
}
