package dev.servmon.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.Samples;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hub wires health-check results and program events into the built-in alert rules: a real
 * TCP check against a closed loopback port fires "Health check failing", and a program event
 * ingested in a sample fires "Program exited unexpectedly" until the program starts again.
 */
class SignalBridgeTest {
    AlertKit kit;
    final Map<String, Long> rules = new HashMap<>();

    @BeforeEach
    void start() {
        kit = AlertKit.start();
        for (JsonNode r : kit.admin.json(kit.admin.get("/api/v1/alert-rules"))) {
            rules.put(r.get("kind").asText(), r.get("id").asLong());
        }
    }

    @AfterEach
    void stop() {
        kit.hub.close();
    }

    @Test
    void a_failing_check_fires_check_failing_and_recovers_when_it_answers_again() throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var created = kit.admin.post("/api/v1/checks", """
                {"name":"db-port","type":"tcp","intervalSeconds":3600,"settings":{"host":"127.0.0.1","port":%d}}""".formatted(port));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = kit.admin.json(created).get("id").asLong();

        assertThat(kit.admin.json(kit.admin.post("/api/v1/checks/" + id + "/run", "")).get("up").asBoolean()).isFalse();
        kit.engine().evaluateNow();
        JsonNode alert = kit.alerts(rules.get("check_failing")).get(0);
        assertThat(alert.get("state").asText()).isEqualTo("firing");
        assertThat(alert.get("subject").asText()).isEqualTo("db-port");

        try (var listener = new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(kit.admin.json(kit.admin.post("/api/v1/checks/" + id + "/run", "")).get("up").asBoolean()).isTrue();
        }
        kit.engine().evaluateNow();
        assertThat(kit.state(rules.get("check_failing"))).isEqualTo("resolved");
    }

    @Test
    void a_program_that_exits_fires_program_exited_until_it_starts_again() {
        var host = kit.host("app-1");
        ingest(host, new Sample.ProgramEvent("worker", "exited", kit.clock.millis(), 3, null));
        kit.engine().evaluateNow();
        JsonNode alert = kit.alerts(rules.get("program_exited")).get(0);
        assertThat(alert.get("state").asText()).isEqualTo("firing");
        assertThat(alert.get("subject").asText()).isEqualTo("worker");
        assertThat(alert.get("detail").asText()).isEqualTo("worker exited unexpectedly with code 3");

        ingest(host, new Sample.ProgramEvent("worker", "started", kit.clock.millis(), null, null));
        kit.engine().evaluateNow();
        assertThat(kit.state(rules.get("program_exited"))).isEqualTo("resolved");
    }

    private void ingest(AlertKit.Host host, Sample.ProgramEvent event) {
        Sample s = Samples.sample(++host.seq, kit.clock.millis()).withPrograms(List.of(), List.of(event));
        var r = kit.hub.ingest(host.key, Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10, List.of(s))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
