package dev.servmon.hub.power;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.Samples;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wake-on-LAN: a UDP listener on loopback stands in for the sleeping machine's NIC and checks
 * the magic packet byte by byte, sent by the hub itself and relayed by a real agent process.
 */
class WakeOnLanTest {
    private static final String MAC = "52:54:00:12:ab:cd";
    private static final byte[] EXPECTED = expected();
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(cfg -> cfg.withPower(cfg.power().withWakeTimeout(Duration.ofSeconds(3))));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** 6 × 0xFF, then 52 54 00 12 ab cd sixteen times, written out by hand. */
    private static byte[] expected() {
        byte[] p = new byte[102];
        Arrays.fill(p, 0, 6, (byte) 0xFF);
        byte[] mac = {0x52, 0x54, 0x00, 0x12, (byte) 0xab, (byte) 0xcd};
        for (int i = 0; i < 16; i++) {
            System.arraycopy(mac, 0, p, 6 + 6 * i, 6);
        }
        return p;
    }

    /** Receives one datagram on 127.0.0.1. */
    static final class Listener implements AutoCloseable {
        final DatagramSocket socket;

        Listener() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(10_000);
        }

        int port() {
            return socket.getLocalPort();
        }

        byte[] receive() throws IOException {
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            return Arrays.copyOf(buf, p.getLength());
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static JsonNode awaitWake(String id, String state) throws InterruptedException {
        return hub.awaitCommand(id, state, Duration.ofSeconds(15));
    }

    @Test
    void the_hub_sends_the_exact_magic_packet_and_the_wake_succeeds_when_the_host_reports() throws Exception {
        var host = hub.registerHost("sleeper");
        long id = host.get("id").asLong();
        var admin = hub.admin();
        try (var nic = new Listener()) {
            var r = admin.post("/api/v1/hosts/" + id + "/wake",
                    "{\"via\":\"hub\",\"mac\":\"52-54-00-12-AB-CD\",\"broadcast\":\"127.0.0.1\",\"port\":" + nic.port() + "}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(nic.receive()).isEqualTo(EXPECTED);
            JsonNode wake = admin.json(r);
            assertThat(wake.get("type").asText()).isEqualTo("power.wake");
            assertThat(wake.get("state").asText()).as("waking").isEqualTo("ACKED");
            assertThat(wake.get("message").asText()).contains("magic packet sent by the hub to 127.0.0.1:" + nic.port());
            assertThat(wake.get("requestedBy").asText()).isEqualTo("admin");

            // The MAC entered by hand is kept for the host.
            JsonNode wol = admin.json(admin.get("/api/v1/hosts/" + id + "/wol"));
            assertThat(wol.get("mac").asText()).isEqualTo(MAC);
            assertThat(wol.get("macSource").asText()).isEqualTo("manual");

            assertThat(hub.ingest(host.get("key").asText(), Samples.batch(System.currentTimeMillis(), 1)).statusCode()).isEqualTo(200);
            assertThat(awaitWake(wake.get("id").asText(), "SUCCEEDED").get("message").asText()).startsWith("woke: the host reported");
        }
    }

    @Test
    void a_host_that_does_not_report_within_the_wake_timeout_did_not_wake() throws Exception {
        var host = hub.registerHost("heavy-sleeper");
        long id = host.get("id").asLong();
        var admin = hub.admin();
        try (var nic = new Listener()) {
            assertThat(admin.put("/api/v1/hosts/" + id + "/wol", "{\"mac\":\"" + MAC + "\",\"broadcast\":\"127.0.0.1\",\"port\":" + nic.port() + "}")
                    .statusCode()).isEqualTo(200);
            var r = admin.post("/api/v1/hosts/" + id + "/wake", "{}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(nic.receive()).as("the host's stored settings are used").isEqualTo(EXPECTED);
            JsonNode failed = awaitWake(admin.json(r).get("id").asText(), "FAILED");
            assertThat(failed.get("message").asText()).startsWith("did not wake: no report within 3 s");
        }
    }

    @Test
    void the_mac_comes_from_the_inventory_when_none_was_entered_and_bad_input_gets_400() throws Exception {
        var host = hub.registerHost("inventoried");
        long id = host.get("id").asLong();
        var admin = hub.admin();
        var none = admin.post("/api/v1/hosts/" + id + "/wake", "{}");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).contains("no MAC address is known for host inventoried");

        ObjectMapper json = Json.mapper();
        ObjectNode batch = (ObjectNode) json.readTree(Samples.batch(System.currentTimeMillis() - 60_000, 1));
        ((ObjectNode) batch.get("samples").get(0)).set("inventory", json.readTree("""
                {"hostname":"inventoried","nics":[
                  {"name":"lo","mac":"00:00:00:00:00:00","addresses":["127.0.0.1/8"]},
                  {"name":"wlan0","mac":"aa:aa:aa:aa:aa:aa","addresses":[]},
                  {"name":"eth0","mac":"52:54:00:12:AB:CD","addresses":["192.168.1.5/24"]}]}"""));
        assertThat(hub.ingest(host.get("key").asText(), json.writeValueAsString(batch)).statusCode()).isEqualTo(200);
        JsonNode wol = admin.json(admin.get("/api/v1/hosts/" + id + "/wol"));
        assertThat(wol.get("mac").asText()).as("the NIC with an IPv4 address").isEqualTo(MAC);
        assertThat(wol.get("macSource").asText()).isEqualTo("inventory");
        assertThat(wol.get("defaultBroadcast").asText()).isEqualTo("255.255.255.255");
        assertThat(wol.get("defaultPort").asInt()).isEqualTo(9);
        assertThat(admin.json(admin.get("/api/v1/power/wakeable")).findValuesAsText("hostId")).contains(String.valueOf(id));

        assertThat(admin.post("/api/v1/hosts/" + id + "/wake", "{\"mac\":\"52:54:00:12:ab\"}").body()).contains("not a MAC address");
        assertThat(admin.post("/api/v1/hosts/" + id + "/wake", "{\"broadcast\":\"example.com\"}").body()).contains("IPv4");
        assertThat(admin.post("/api/v1/hosts/" + id + "/wake", "{\"port\":70000}").statusCode()).isEqualTo(400);
        assertThat(admin.post("/api/v1/hosts/" + id + "/wake", "{\"via\":\"carrier-pigeon\"}").statusCode()).isEqualTo(400);
        assertThat(admin.post("/api/v1/hosts/" + id + "/wake", "{\"via\":\"agent\"}").body()).contains("relayHostId");
        assertThat(admin.put("/api/v1/hosts/" + id + "/wol", "{\"mac\":\"ff:ff:ff:ff:ff:ff\"}").statusCode()).isEqualTo(400);
        var on = admin.post("/api/v1/hosts/" + id + "/wake", "{}");
        assertThat(on.statusCode()).isEqualTo(409);
        assertThat(on.body()).contains("host inventoried is ON already");
        assertThat(admin.post("/api/v1/hosts/999999/wake", "{}").statusCode()).isEqualTo(404);
        assertThat(hub.anonymous().post("/api/v1/hosts/" + id + "/wake", "{}").statusCode()).isEqualTo(401);
    }

    @Test
    void a_real_agent_process_relays_the_exact_magic_packet_on_its_lan(@TempDir Path state) throws Exception {
        var target = hub.registerHost("relay-target");
        var relay = hub.registerHost("relay-agent");
        long relayId = relay.get("id").asLong();
        var admin = hub.admin();
        try (var nic = new Listener()) {
            String body = "{\"via\":\"agent\",\"relayHostId\":" + relayId + ",\"mac\":\"" + MAC + "\",\"broadcast\":\"127.0.0.1\",\"port\":"
                    + nic.port() + "}";
            var offline = admin.post("/api/v1/hosts/" + target.get("id").asLong() + "/wake", body);
            assertThat(offline.statusCode()).isEqualTo(409);
            assertThat(offline.body()).contains("the agent of host relay-agent is not connected");

            Process agent = startAgent(relay.get("key").asText(), state);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!hub.hub().commands().isConnected(relayId)) {
                    assertThat(System.nanoTime()).as("agent connected; its log:\n" + log(state)).isLessThan(deadline);
                    assertThat(agent.isAlive()).as("agent alive; its log:\n" + log(state)).isTrue();
                    Thread.sleep(100);
                }
                var r = admin.post("/api/v1/hosts/" + target.get("id").asLong() + "/wake", body);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                assertThat(nic.receive()).isEqualTo(EXPECTED);
                String wakeId = admin.json(r).get("id").asText();
                long t0 = System.nanoTime();
                JsonNode wake = admin.json(admin.get("/api/v1/commands/" + wakeId));
                while (!wake.get("message").asText().contains("sent by relay-agent")) {
                    assertThat(System.nanoTime() - t0).as("relay outcome: " + wake).isLessThan(TimeUnit.SECONDS.toNanos(10));
                    Thread.sleep(50);
                    wake = admin.json(admin.get("/api/v1/commands/" + wakeId));
                }
                assertThat(wake.get("state").asText()).isEqualTo("ACKED");
                JsonNode relayed = admin.json(admin.get("/api/v1/hosts/" + relayId + "/commands"));
                assertThat(relayed.get(0).get("type").asText()).isEqualTo("wol.relay");
                assertThat(relayed.get(0).get("state").asText()).isEqualTo("SUCCEEDED");
                assertThat(relayed.get(0).get("message").asText()).isEqualTo("magic packet for " + MAC + " sent to 127.0.0.1:" + nic.port());
                assertThat(relayed.get(1).get("state").asText()).as("the refused first try").isEqualTo("REFUSED");
            } finally {
                agent.destroy();
                agent.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The agent's main class as its own process, on this test's class path (the agent's classes and the protocol). */
    static Process startAgent(String key, Path state, String... extra) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-cp", System.getProperty("java.class.path"), "dev.servmon.agent.AgentMain",
                "--hub", hub.ingestUrl(), "--key", key, "--state-dir", state.toString(), "--interval", "5"));
        cmd.addAll(List.of(extra));
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(state.resolve("agent.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SERVMON_"));
        return pb.start();
    }

    static String log(Path state) {
        try {
            return Files.readString(state.resolve("agent.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
