package dev.servmon.hub.power;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.MutableClock;
import dev.servmon.hub.Samples;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.control.Command;
import dev.servmon.hub.control.CommandState;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idle policies over samples sent through the real ingest and rolled up by the real maintenance
 * pass, on a hand-moved clock: an idle host gets one shutdown (and another only after it was
 * OFF and came back), a host with a user logged in or busy CPU gets none, and a protected host
 * gets a "skipped" decision with the reason instead.
 */
class IdlePolicyTest {
    /** Monday 2026-03-23 10:00 UTC (11:00 in Berlin). */
    private static final Instant T0 = Instant.parse("2026-03-23T10:00:00Z");
    MutableClock clock;
    TestHub hub;
    TestHub.Client admin;

    @BeforeEach
    void start() {
        clock = new MutableClock(T0.toEpochMilli());
        hub = TestHub.start(clock);
        admin = hub.admin();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    /** A host that reported one sample a minute over the 20 minutes up to now, with this CPU and these users. */
    private long host(String name, String policy, double cpuPercent, int users) {
        JsonNode h = hub.registerHost(name);
        long id = h.get("id").asLong();
        var r = admin.put("/api/v1/hosts/" + id + "/idle-policy", policy);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        report(h.get("key").asText(), 0, clock.millis() - 20 * 60_000L, 21, cpuPercent, users);
        return id;
    }

    private void report(String key, long seq0, long firstMs, int count, double cpuPercent, int users) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Sample b = Samples.sample(seq0 + i + 1, firstMs + i * 60_000L);
            samples.add(new Sample(b.seq(), b.atMs(), new Sample.Cpu(cpuPercent, List.of(cpuPercent, cpuPercent), 0.1, 0.1, 0.1),
                    b.memory(), b.filesystems(), b.network(), b.uptimeSeconds(), users, null));
        }
        var res = hub.ingest(key, Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 60, samples)));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }

    private int evaluate() {
        clock.advance(Duration.ofSeconds(30));
        hub.hub().maintenance().runOnce();
        return hub.hub().powerPolicy().idleEvaluator().runOnce();
    }

    private List<Command> history(long hostId) {
        return hub.hub().commands().history(hostId, Long.MAX_VALUE, 50);
    }

    private static final String POLICY = "{\"enabled\":true,\"cpuBelowPercent\":10,\"noUsersMinutes\":15,\"action\":\"shutdown\"}";

    @Test
    void an_idle_host_is_shut_down_once_and_again_only_after_it_was_off_and_came_back() {
        JsonNode h = hub.registerHost("idle");
        long id = h.get("id").asLong();
        String key = h.get("key").asText();
        assertThat(admin.put("/api/v1/hosts/" + id + "/idle-policy", POLICY).statusCode()).isEqualTo(200);
        // Only 10 idle minutes so far: not yet.
        report(key, 0, T0.toEpochMilli() - 10 * 60_000L, 11, 3, 0);
        assertThat(evaluate()).isZero();
        assertThat(history(id)).isEmpty();
        // 20 minutes idle.
        report(key, 100, T0.toEpochMilli() + 60_000L, 10, 3, 0);
        clock.advance(Duration.ofMinutes(10));
        report(key, 200, clock.millis() - 30_000, 1, 3, 0);
        assertThat(evaluate()).isEqualTo(1);
        List<Command> commands = history(id);
        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).type()).isEqualTo("power.shutdown");
        assertThat(commands.get(0).requestedBy()).isEqualTo("idle policy");
        assertThat(commands.get(0).state()).isEqualTo(CommandState.QUEUED);
        // Still reporting idle (the shutdown takes a moment): no second command.
        report(key, 300, clock.millis(), 1, 3, 0);
        assertThat(evaluate()).isZero();
        assertThat(admin.json(admin.get("/api/v1/hosts/" + id + "/idle-policy")).get("state").asText()).isEqualTo("waiting-for-off");
        // OFF for half an hour, then back and idle again for 5 minutes: armed again, not idle long enough.
        clock.advance(Duration.ofMinutes(30));
        assertThat(evaluate()).isZero();
        admin = hub.admin();
        assertThat(admin.json(admin.get("/api/v1/hosts/" + id + "/idle-policy")).get("state").asText()).isEqualTo("waiting-for-on");
        clock.advance(Duration.ofMinutes(5));
        long back = clock.millis();
        report(key, 400, back - 5 * 60_000L, 6, 3, 0);
        assertThat(evaluate()).isZero();
        assertThat(admin.json(admin.get("/api/v1/hosts/" + id + "/idle-policy")).get("state").asText()).isEqualTo("watching");
        // Idle for 15 more minutes: the second shutdown.
        clock.advance(Duration.ofMinutes(15));
        report(key, 500, back + 60_000L, 15, 3, 0);
        assertThat(evaluate()).isEqualTo(1);
        assertThat(history(id)).hasSize(2);
        JsonNode decisions = admin.json(admin.get("/api/v1/hosts/" + id + "/power-decisions"));
        assertThat(decisions.findValuesAsText("outcome")).containsExactly("acted", "acted");
    }

    @Test
    void a_host_with_a_user_logged_in_or_a_busy_cpu_is_left_alone() {
        long user = host("with-user", POLICY, 2, 1);
        long busy = host("busy", POLICY, 40, 0);
        long off = host("policy-off", "{\"enabled\":false,\"cpuBelowPercent\":10,\"noUsersMinutes\":15}", 2, 0);
        long idle = host("control", POLICY, 2, 0);
        assertThat(evaluate()).isEqualTo(1);
        assertThat(history(user)).isEmpty();
        assertThat(history(busy)).isEmpty();
        assertThat(history(off)).isEmpty();
        assertThat(history(idle)).extracting(Command::type).containsExactly("power.shutdown");
    }

    @Test
    void a_protected_idle_host_is_skipped_with_the_reason() {
        long guarded = host("guarded", POLICY, 2, 0);
        var w = admin.post("/api/v1/maintenance-windows", "{\"name\":\"patching\",\"scope\":{\"kind\":\"hosts\",\"hostIds\":[" + guarded
                + "]},\"startsAtMs\":" + (T0.toEpochMilli() - 3_600_000L) + ",\"endsAtMs\":" + (T0.toEpochMilli() + 3_600_000L) + "}");
        assertThat(w.statusCode()).as(w.body()).isEqualTo(201);
        // 11:00 in Berlin is within 09:00–17:00 there.
        long office = host("office", "{\"enabled\":true,\"cpuBelowPercent\":10,\"noUsersMinutes\":15,\"action\":\"suspend\","
                + "\"protectedFrom\":\"09:00\",\"protectedTo\":\"17:00\",\"timeZone\":\"Europe/Berlin\"}", 2, 0);
        assertThat(evaluate()).isZero();
        assertThat(evaluate()).isZero();
        assertThat(history(guarded)).isEmpty();
        assertThat(history(office)).isEmpty();
        JsonNode g = admin.json(admin.get("/api/v1/hosts/" + guarded + "/power-decisions"));
        assertThat(g).hasSize(1); // recorded once, not every minute
        assertThat(g.get(0).get("outcome").asText()).isEqualTo("skipped");
        assertThat(g.get(0).get("reason").asText()).contains("maintenance window");
        JsonNode o = admin.json(admin.get("/api/v1/hosts/" + office + "/power-decisions"));
        assertThat(o.get(0).get("reason").asText()).contains("protected hours 09:00–17:00 Europe/Berlin");
        assertThat(o.get(0).get("action").asText()).isEqualTo("suspend");
    }

    @Test
    void bad_policies_are_refused_with_a_reason() {
        long id = hub.registerHost("bad").get("id").asLong();
        assertThat(admin.put("/api/v1/hosts/" + id + "/idle-policy", "{\"enabled\":true,\"cpuBelowPercent\":0}").body()).contains("cpuBelowPercent");
        assertThat(admin.put("/api/v1/hosts/" + id + "/idle-policy", "{\"enabled\":true,\"action\":\"reboot\"}").body()).contains("shutdown or suspend");
        assertThat(admin.put("/api/v1/hosts/" + id + "/idle-policy", "{\"enabled\":true,\"protectedFrom\":\"09:00\"}").body()).contains("both");
        JsonNode d = admin.json(admin.get("/api/v1/hosts/" + id + "/idle-policy"));
        assertThat(d.get("enabled").asBoolean()).isFalse();
        assertThat(d.get("state").asText()).isEqualTo("off");
    }
}
