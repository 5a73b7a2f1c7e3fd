package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IngestTest {
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    long now() {
        return System.currentTimeMillis();
    }

    static long storedSamples(long hostId) {
        return hub.storedSamples(hostId);
    }

    @Test
    void reports_from_unknown_key_are_rejected_with_401_and_a_problem_body() {
        var r = hub.ingest("smk_not-a-real-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Samples.batch(now(), 1));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(r.body()).contains("\"status\":401").contains("unknown or revoked host key smk_not-a-");
    }

    @Test
    void reports_without_authorization_are_rejected_with_401() {
        var r = hub.ingest(null, Samples.batch(now(), 1));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Authorization: Bearer");
    }

    @Test
    void a_malformed_body_is_rejected_with_400_without_a_stack_trace() throws Exception {
        JsonNode host = hub.registerHost("malformed-" + now());
        String key = host.get("key").asText();
        for (String body : new String[] {"", "{", "not json", "[]", "{\"protocolVersion\":\"x\"}", "{\"protocolVersion\":1,\"intervalSeconds\":10,\"samples\":[]}",
                "{\"protocolVersion\":1,\"intervalSeconds\":10,\"samples\":[{\"seq\":1,\"atMs\":1,\"cpu\":{\"percent\":\"high\"}}]}"}) {
            var r = hub.ingest(key, body);
            assertThat(r.statusCode()).as("body %s", body).isEqualTo(400);
            assertThat(r.body()).as("body %s", body).contains("\"status\":400").doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(storedSamples(host.get("id").asLong())).isZero();
    }

    @Test
    void a_gzip_body_is_inflated_and_stored() throws Exception {
        JsonNode host = hub.registerHost("gzip-" + now());
        var out = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(Samples.batch(now(), 1, 2, 3).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        var r = hub.ingest(host.get("key").asText(), out.toByteArray(), "gzip");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"stored\":3");
        assertThat(storedSamples(host.get("id").asLong())).isEqualTo(3);
    }

    @Test
    void a_broken_or_unknown_encoding_is_a_clear_4xx() throws Exception {
        JsonNode host = hub.registerHost("badgzip-" + now());
        String key = host.get("key").asText();
        byte[] plain = Samples.batch(now(), 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);

        var notGzip = hub.ingest(key, plain, "gzip");
        assertThat(notGzip.statusCode()).isEqualTo(400);
        assertThat(notGzip.body()).contains("not valid gzip").doesNotContain("\tat ");

        var brotli = hub.ingest(key, plain, "br");
        assertThat(brotli.statusCode()).isEqualTo(415);
        assertThat(brotli.body()).contains("Content-Encoding 'br' is not supported");
        assertThat(storedSamples(host.get("id").asLong())).isZero();
    }

    @Test
    void a_gzip_bomb_is_refused_with_413() throws Exception {
        JsonNode host = hub.registerHost("bomb-" + now());
        var out = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 65; i++) {
                gz.write(spaces); // 65 MiB of whitespace, about 64 KiB compressed
            }
        }

        var r = hub.ingest(host.get("key").asText(), out.toByteArray(), "gzip");

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("inflates to more than 64 MiB");
    }

    @Test
    void a_body_declared_larger_than_the_limit_is_refused_with_413_before_it_is_read() throws Exception {
        JsonNode host = hub.registerHost("huge-" + now());
        var uri = java.net.URI.create(hub.ingestUrl());
        try (var socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            // 17 MiB declared, nothing sent: the answer must not wait for the body.
            String head = "POST /api/v1/ingest HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer " + host.get("key").asText()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (17 << 20) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(in.readLine()).startsWith("HTTP/1.1 413");
        }
        assertThat(storedSamples(host.get("id").asLong())).isZero();
    }

    @Test
    void a_chunked_body_without_declared_length_is_read_too() throws Exception {
        JsonNode host = hub.registerHost("chunked-" + now());
        byte[] body = Samples.batch(now(), 1, 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.ingestUrl() + "/api/v1/ingest"))
                .header("Authorization", "Bearer " + host.get("key").asText()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();

        var r = hub.httpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"ackedThroughSeq\":2,\"stored\":2,\"duplicates\":0}");
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(r.body().length()));
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(storedSamples(host.get("id").asLong())).isEqualTo(2);
    }

    @Test
    void a_batch_with_one_bad_sample_is_not_half_stored() throws Exception {
        JsonNode host = hub.registerHost("half-" + now());
        // seq 2 then 1: out of order, the whole batch is refused
        var r = hub.ingest(host.get("key").asText(), Samples.batch(now(), 2, 1));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("samples[1].seq");
        assertThat(storedSamples(host.get("id").asLong())).isZero();
    }

    @Test
    void duplicate_seq_is_ignored_so_replays_are_idempotent() throws Exception {
        JsonNode host = hub.registerHost("replay-" + now());
        String key = host.get("key").asText();
        var first = hub.ingest(key, Samples.batch(now(), 1, 2));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"ackedThroughSeq\":2", "\"stored\":2", "\"duplicates\":0");
        var replay = hub.ingest(key, Samples.batch(now(), 2, 3));
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"ackedThroughSeq\":3", "\"stored\":1", "\"duplicates\":1");
        assertThat(storedSamples(host.get("id").asLong())).isEqualTo(3);
    }

    @Test
    void the_inventory_is_kept_until_a_newer_one_arrives_and_a_replay_never_overwrites_it() {
        JsonNode host = hub.registerHost("inventory-" + now());
        String key = host.get("key").asText();
        long id = host.get("id").asLong();
        long t = now();
        var v2 = inventory("6.1.0-27-amd64", "52:54:00:12:34:56");
        var v1 = inventory("5.10.0-9-amd64", "52:54:00:aa:bb:cc");
        // The newest inventory arrives with seq 2, the next sample (seq 3) carries none.
        String batch = Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10, List.of(
                Samples.sample(2, t).withInventory(v2), Samples.sample(3, t + 10_000))));
        assertThat(hub.ingest(key, batch).statusCode()).isEqualTo(200);
        // A backlog replayed later carries an older inventory.
        String old = Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10, List.of(
                Samples.sample(1, t - 10_000).withInventory(v1))));
        assertThat(hub.ingest(key, old).statusCode()).isEqualTo(200);

        var admin = hub.admin();
        JsonNode view = admin.json(admin.get("/api/v1/hosts/" + id));
        assertThat(view.get("inventory").get("kernel").asText()).isEqualTo("6.1.0-27-amd64");
        assertThat(view.get("inventory").get("nics").get(0).get("mac").asText()).isEqualTo("52:54:00:12:34:56");
        assertThat(view.get("inventoryAtMs").asLong()).isEqualTo(t);
        JsonNode listed = admin.json(admin.get("/api/v1/hosts"));
        listed.forEach(h -> assertThat(h.has("inventory")).as("the list stays light").isFalse());
    }

    @Test
    void the_newest_process_scan_is_kept_for_the_samples_between_scans_and_a_replay_never_overwrites_it() {
        JsonNode host = hub.registerHost("procs-" + now());
        String key = host.get("key").asText();
        long id = host.get("id").asLong();
        long t = now();
        String batch = Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10, List.of(
                withProcesses(Samples.sample(2, t), new Sample.Process(42, "postgres", "postgres", 12.5, 300L << 20)),
                Samples.sample(3, t + 10_000))));
        assertThat(hub.ingest(key, batch).statusCode()).isEqualTo(200);
        String old = Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10, List.of(
                withProcesses(Samples.sample(1, t - 10_000), new Sample.Process(7, "old-daemon", "root", 1.0, 1L << 20)))));
        assertThat(hub.ingest(key, old).statusCode()).isEqualTo(200);

        var admin = hub.admin();
        JsonNode view = admin.json(admin.get("/api/v1/hosts/" + id));
        assertThat(view.get("sample").get("seq").asLong()).isEqualTo(3);
        assertThat(view.get("sample").get("processes")).isEmpty();
        assertThat(view.get("processes")).hasSize(1);
        assertThat(view.get("processes").get(0).get("name").asText()).isEqualTo("postgres");
        assertThat(view.get("processesAtMs").asLong()).isEqualTo(t);
        admin.json(admin.get("/api/v1/hosts")).forEach(h -> assertThat(h.has("processes")).as("the list stays light").isFalse());
    }

    private static Sample withProcesses(Sample s, Sample.Process... processes) {
        return new Sample(s.seq(), s.atMs(), s.cpu(), s.memory(), s.filesystems(), s.network(), s.uptimeSeconds(), s.usersLoggedIn(),
                s.powerWatts(), s.powerSource(), s.disks(), s.temperatures(), s.fans(), s.gpus(), s.users(), List.of(processes),
                s.bootTimeMs(), s.inventory());
    }

    private static Sample.Inventory inventory(String kernel, String mac) {
        return new Sample.Inventory("web-1", "Debian GNU/Linux 12 (bookworm)", kernel, "amd64", "AMD EPYC 7B13",
                2, 1, 24L << 30, List.of(new Sample.InventoryDisk("vda", "QEMU HARDDISK", 100L << 30, false)),
                List.of(new Sample.Nic("eth0", mac, List.of("10.0.0.5/24"), 1000)), "0.1.0");
    }

    @Test
    void an_unsupported_protocol_version_is_refused_with_advice() {
        JsonNode host = hub.registerHost("proto-" + now());
        var r = hub.ingest(host.get("key").asText(), "{\"protocolVersion\":99,\"intervalSeconds\":10,\"samples\":[{\"seq\":1,\"atMs\":1}]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("protocolVersion 99 is not supported").contains("upgrade the hub");
    }

    @Test
    void a_report_turns_the_host_on_and_shows_its_latest_figures() {
        JsonNode host = hub.registerHost("figures-" + now());
        assertThat(hub.ingest(host.get("key").asText(), Samples.batch(now(), 5)).statusCode()).isEqualTo(200);
        var admin = hub.admin();
        JsonNode view = admin.json(admin.get("/api/v1/hosts/" + host.get("id").asLong()));
        assertThat(view.get("status").asText()).isEqualTo("ON");
        assertThat(view.get("lastSeenAtMs").asLong()).isPositive();
        JsonNode latest = view.get("latest");
        assertThat(latest.get("cpuPercent").asDouble()).isEqualTo(23.5);
        assertThat(latest.get("memUsedBytes").asLong()).isEqualTo(3L << 30);
        assertThat(latest.get("diskTotalBytes").asLong()).isEqualTo(300L << 30);
        assertThat(latest.get("netRxBytesPerSec").asDouble()).as("loopback is left out").isEqualTo(1000);
        assertThat(latest.get("usersLoggedIn").asInt()).isEqualTo(2);
        assertThat(view.get("sample").get("seq").asLong()).isEqualTo(5);
    }

    @Test
    void the_ingest_port_serves_agents_only_and_the_api_port_accepts_no_host_keys() {
        JsonNode host = hub.registerHost("ports-" + now());
        String key = host.get("key").asText();
        // The ingest route does not exist on the API port: host keys are useless there.
        var c = hub.anonymous();
        var onApi = c.send(c.request("/api/v1/ingest").header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Samples.batch(now(), 1))));
        assertThat(onApi.statusCode()).isIn(401, 404);
        var listWithKey = c.send(c.request("/api/v1/hosts").header("Authorization", "Bearer " + key).GET());
        assertThat(listWithKey.statusCode()).isEqualTo(401);
        // And the ingest port serves neither the API nor the dashboard.
        var ingestClient = new TestHub.Client(hub.ingestUrl(), dev.servmon.hub.api.Json.mapper());
        assertThat(ingestClient.get("/api/v1/hosts").statusCode()).isEqualTo(404);
        assertThat(ingestClient.get("/index.html").statusCode()).isEqualTo(404);
    }

    @Test
    void a_deleted_host_loses_its_samples_and_its_key_stops_working() throws Exception {
        JsonNode host = hub.registerHost("deleted-" + now());
        long id = host.get("id").asLong();
        String key = host.get("key").asText();
        assertThat(hub.ingest(key, Samples.batch(now(), 1, 2, 3)).statusCode()).isEqualTo(200);
        assertThat(storedSamples(id)).isEqualTo(3);
        var admin = hub.admin();
        assertThat(admin.delete("/api/v1/hosts/" + id).statusCode()).isEqualTo(204);
        assertThat(storedSamples(id)).isZero();
        assertThat(admin.get("/api/v1/hosts/" + id).statusCode()).isEqualTo(404);
        assertThat(hub.ingest(key, Samples.batch(now(), 4)).statusCode()).isEqualTo(401);
    }
}
