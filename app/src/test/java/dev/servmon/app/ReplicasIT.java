package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.metrics.RawTier;
import dev.servmon.hub.metrics.Rollups;
import dev.servmon.hub.storage.Database;
import dev.servmon.hub.storage.DbConfig;
import dev.servmon.hub.storage.RandomSamples;
import dev.servmon.hub.storage.RollupCheck;
import dev.servmon.hub.storage.TestPostgres;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three {@code servmon hub} processes on one PostgreSQL, as replicas behind a load balancer: one
 * leader, a browser on one replica seeing a report made through another, the leader killed with
 * {@code kill -9} while samples flow, a new leader within two lock intervals, and rollups equal
 * to a brute-force computation afterwards — none skipped, none counted twice.
 */
class ReplicasIT {
    private static final ObjectMapper JSON = Json.mapper();
    private static final long LOCK_INTERVAL_MS = 1_000;
    private static final long HOUR = 3_600_000L;

    private final List<HubProcess> hubs = new ArrayList<>();

    @AfterEach
    void stop() {
        hubs.forEach(HubProcess::close);
    }

    @Test
    void three_hubs_elect_one_leader_fan_out_live_updates_and_survive_the_leader_being_killed() throws Exception {
        Path tmp = Files.createTempDirectory("servmon-replicas-it");
        DbConfig db = TestPostgres.freshDatabase(tmp);
        var env = Map.of("SERVMON_DB_PASSWORD", db.password());
        var flags = List.of("--db-url", db.url(), "--db-user", db.user(),
                "--leader-lock-interval", LOCK_INTERVAL_MS + "ms", "--maintenance-interval", "1s");
        // The first creates the schema and the admin; the other two join it together.
        hubs.add(HubProcess.start(tmp.resolve("h0"), env, flags));
        var others = List.of(tmp.resolve("h1"), tmp.resolve("h2")).parallelStream().map(dir -> {
            try {
                return HubProcess.start(dir, env, flags);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        hubs.addAll(others);

        assertThat(roles(hubs)).as("roles of the three hubs").containsExactly("leader", "follower", "follower");
        HubProcess leader = hubs.get(0);
        HubProcess a = hubs.get(1);
        HubProcess b = hubs.get(2);

        // A report made through A reaches a browser on B.
        JsonNode host = a.registerHost("replica-it-1");
        long id = host.get("id").asLong();
        String key = host.get("key").asText();
        BlockingQueue<String> onB = events(b);
        long t0 = System.currentTimeMillis() / HOUR * HOUR - 3 * HOUR;
        List<Sample> samples = RandomSamples.run(new SplittableRandom(5), 1, t0 + 4_000, 3 * 360, 10_000);
        List<List<Sample>> batches = new ArrayList<>();
        for (int i = 0; i < samples.size(); i += 40) {
            batches.add(samples.subList(i, Math.min(samples.size(), i + 40)));
        }
        send(a, key, batches.get(0));
        assertThat(next(onB, "host {\"id\":" + id + ",", "\"status\":\"ON\"", 5_000)).as("report via A seen on B").isNotNull();

        // Samples keep flowing through A while the leader is killed a third of the way in.
        for (int i = 1; i < batches.size() / 3; i++) {
            send(a, key, batches.get(i));
        }
        leader.kill();
        long killedAt = System.nanoTime();
        var survivors = List.of(a, b);
        HubProcess newLeader = null;
        while (newLeader == null && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(10)) {
            for (HubProcess h : survivors) {
                if ("leader".equals(role(h))) {
                    newLeader = h;
                }
            }
            Thread.sleep(20);
        }
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(newLeader).as("a new leader among the survivors").isNotNull();
        assertThat(takeoverMs).as("takeover after kill -9, lock interval %d ms", LOCK_INTERVAL_MS).isLessThanOrEqualTo(2 * LOCK_INTERVAL_MS);
        System.out.printf("ReplicasIT: new leader %s %d ms after kill -9 of the leader%n", newLeader.apiUrl(), takeoverMs);
        for (int i = batches.size() / 3; i < batches.size(); i++) {
            send(a, key, batches.get(i));
        }
        assertThat(roles(survivors)).as("exactly one leader among the survivors").containsExactlyInAnyOrder("leader", "follower");

        try (Database check = Database.open(db)) {
            var rollups = new Rollups(check);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (rollups.pending() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(rollups.pending()).as("minutes left to roll up").isZero();
            assertThat(new RawTier(check).count(id)).as("raw samples stored").isEqualTo(samples.size());
            for (Rollups.Tier tier : Rollups.Tier.values()) {
                RollupCheck.assertMatches(rollups, id, tier, RollupCheck.bruteForce(samples, tier.widthMs()));
            }
        }
    }

    private static void send(HubProcess hub, String key, List<Sample> batch) throws IOException, InterruptedException {
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.ingestUrl() + "/api/v1/ingest"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(new IngestBatch(ProtocolVersion.CURRENT, "it", 10, batch))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("stored").asInt()).as(r.body()).isEqualTo(batch.size());
    }

    /** Each hub's role from {@code GET /healthz}, in order; fails unless each answers 200. */
    private static List<String> roles(List<HubProcess> hubs) {
        return hubs.stream().map(ReplicasIT::role).toList();
    }

    private static String role(HubProcess hub) {
        try {
            var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.apiUrl() + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body()).get("role").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A signed-in browser's live stream on {@code hub}: "event data" strings. */
    private static BlockingQueue<String> events(HubProcess hub) throws IOException, InterruptedException {
        var admin = hub.signIn();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        BlockingQueue<Boolean> open = new LinkedBlockingQueue<>();
        admin.http().sendAsync(HttpRequest.newBuilder(URI.create(hub.apiUrl() + "/api/v1/events"))
                        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> {
                    open.add(r.statusCode() == 200);
                    String[] event = {null};
                    r.body().forEach(line -> {
                        if (line.startsWith("event:")) {
                            event[0] = line.substring(6).strip();
                        } else if (line.startsWith("data:") && event[0] != null) {
                            events.add(event[0] + " " + line.substring(5).strip());
                            event[0] = null;
                        }
                    });
                });
        assertThat(open.poll(10, TimeUnit.SECONDS)).as("event stream opened").isTrue();
        return events;
    }

    /** The next event starting with {@code prefix} and containing {@code part}, or null after the timeout. */
    private static String next(BlockingQueue<String> q, String prefix, String part, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        for (long left; (left = deadline - System.currentTimeMillis()) > 0; ) {
            String e = q.poll(left, TimeUnit.MILLISECONDS);
            if (e != null && e.startsWith(prefix) && e.contains(part)) {
                return e;
            }
        }
        return null;
    }
}
