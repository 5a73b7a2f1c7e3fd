package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.control.CommandSender;
import dev.servmon.hub.programs.RecordingChannel;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/hosts/{id}/programs…} over real HTTP on a real hub and database. Commands go to a
 * {@link RecordingChannel} (a recording implementation of the command channel's interface, as the
 * channel is built on another branch); status and events come in through real ingest.
 */
class ProgramsApiTest {
    static final String WEB = """
            {"name":"web","command":"/usr/bin/python3","args":["-m","http.server","8000"],"env":{"PORT":"8000"},
             "restart":"always","maxRestarts":3,"stopSignal":"INT","healthCheck":{"type":"http","url":"http://127.0.0.1:8000/"}}""";
    static RecordingChannel channel;
    static TestHub hub;
    static final List<String> heard = new ArrayList<>();

    @BeforeAll
    static void start() {
        channel = new RecordingChannel();
        hub = TestHub.start(channel, channel);
        hub.hub().programs().addListener((hostId, program, kind, exitCode, atMs) -> {
            synchronized (heard) {
                heard.add(hostId + " " + program + " " + kind + " " + exitCode);
            }
        });
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void programs_are_defined_changed_and_deleted_and_each_change_sends_the_whole_set() {
        var admin = hub.admin();
        long host = hub.registerHost("prog-crud").get("id").asLong();
        String base = "/api/v1/hosts/" + host + "/programs";

        var created = admin.post(base, WEB);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = admin.json(created);
        long id = body.at("/program/id").asLong();
        assertThat(body.at("/program/spec/stopSignal").asText()).isEqualTo("INT");
        assertThat(body.at("/program/spec/backoffFirstSeconds").asDouble()).as("defaults filled in").isEqualTo(1.0);
        assertThat(body.at("/delivery/state").asText()).isEqualTo("SENT");
        var apply = channel.last();
        assertThat(apply.type()).isEqualTo("programs.apply");
        assertThat(apply.hostId()).isEqualTo(host);
        assertThat(apply.whenOffline()).isEqualTo(CommandSender.WhenOffline.QUEUE);
        assertThat(apply.by()).isEqualTo("admin");
        List<?> specs = (List<?>) apply.args().get("programs");
        assertThat(specs).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec0 = (Map<String, Object>) specs.get(0);
        assertThat(spec0).containsEntry("name", "web").containsEntry("restart", "always")
                .containsEntry("args", List.of("-m", "http.server", "8000"));

        assertThat(admin.post(base, "{\"name\":\"worker\",\"command\":\"/bin/sleep\",\"args\":[\"1000\"]}").statusCode()).isEqualTo(201);
        assertThat((List<?>) channel.last().args().get("programs")).as("the whole desired set").hasSize(2);

        var list = admin.json(admin.get(base));
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("name").asText()).isEqualTo("web");
        assertThat(list.get(0).get("status").isNull()).as("no report yet").isTrue();

        var changed = admin.put(base + "/" + id, WEB.replace("\"INT\"", "\"TERM\""));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(admin.json(admin.get(base + "/" + id)).at("/spec/stopSignal").asText()).isEqualTo("TERM");
        assertThat(channel.last().type()).isEqualTo("programs.apply");

        assertThat(admin.delete(base + "/" + id).statusCode()).isEqualTo(200);
        List<?> after = (List<?>) channel.last().args().get("programs");
        assertThat(after).hasSize(1);
        assertThat(((Map<?, ?>) after.get(0)).get("name")).isEqualTo("worker");
        assertThat(admin.get(base + "/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void bad_definitions_are_refused_with_a_reason() {
        var admin = hub.admin();
        long host = hub.registerHost("prog-bad").get("id").asLong();
        String base = "/api/v1/hosts/" + host + "/programs";
        int before = channel.sent().size();

        assertThat(admin.post(base, "{\"name\":\"../etc\",\"command\":\"x\"}").body()).contains("program.name must be 1 to 64 letters");
        assertThat(admin.post(base, "{\"name\":\"a\"}").body()).contains("program.command is required");
        assertThat(admin.post(base, "{\"name\":\"a\",\"command\":\"x\",\"stopSignal\":\"STOP\"}").body())
                .contains("program.stopSignal must be one of TERM, INT, HUP, QUIT, USR1, USR2, KILL");
        assertThat(admin.post(base, "{\"name\":\"a\",\"command\":\"x\",\"restart\":\"sometimes\"}").body()).contains("program.restart must be one of");
        assertThat(admin.post(base, "{\"name\":\"a\",\"command\":\"x\",\"backoffFirstSeconds\":10,\"backoffMaxSeconds\":5}").body())
                .contains("program.backoffMaxSeconds must be between 10 and 86400");
        assertThat(admin.post(base, "{\"name\":\"a\",\"command\":\"x\",\"healthCheck\":{\"type\":\"tcp\"}}").body())
                .contains("program.healthCheck.port must be between 1 and 65535");
        assertThat(admin.post(base, "{\"name\":\"a\",\"command\":\"x\",\"env\":{\"SERVMON_KEY\":\"x\"}}").body()).contains("SERVMON_");
        assertThat(admin.post(base, "{\"name\":\"a\",\"command\":\"x\",\"cwd\":\"relative/dir\"}").body()).contains("cwd must be an absolute path");
        assertThat(admin.post(base, "{\"name\":\"a\",\"command\":\"x\",\"args\":\"not a list\"}").statusCode()).isEqualTo(400);
        assertThat(admin.post(base, "not json").statusCode()).isEqualTo(400);
        assertThat(channel.sent()).as("nothing sent for a refused definition").hasSize(before);

        assertThat(admin.post(base, "{\"name\":\"dup\",\"command\":\"x\"}").statusCode()).isEqualTo(201);
        var dup = admin.post(base, "{\"name\":\"dup\",\"command\":\"y\"}");
        assertThat(dup.statusCode()).isEqualTo(409);
        assertThat(dup.body()).contains("already has a program named 'dup'");
        long id = admin.json(admin.get(base)).get(0).get("id").asLong();
        assertThat(admin.put(base + "/" + id, "{\"name\":\"renamed\",\"command\":\"x\"}").body()).contains("a program's name cannot change");
        assertThat(admin.get(base + "/x").statusCode()).isEqualTo(400);
        assertThat(admin.get(base + "/999999").statusCode()).isEqualTo(404);
        assertThat(admin.get("/api/v1/hosts/999999/programs").statusCode()).isEqualTo(404);
        assertThat(hub.anonymous().get(base).statusCode()).isEqualTo(401);
    }

    @Test
    void start_stop_and_restart_submit_the_matching_command() {
        var admin = hub.admin();
        long host = hub.registerHost("prog-act").get("id").asLong();
        String base = "/api/v1/hosts/" + host + "/programs";
        long id = admin.json(admin.post(base, WEB)).at("/program/id").asLong();

        for (String action : List.of("start", "stop", "restart")) {
            var r = admin.post(base + "/" + id + "/" + action, "");
            assertThat(r.statusCode()).as(action).isEqualTo(202);
            assertThat(admin.json(r).get("type").asText()).isEqualTo("program." + action);
            var sent = channel.last();
            assertThat(sent.type()).isEqualTo("program." + action);
            assertThat(sent.args()).isEqualTo(Map.of("name", "web"));
            assertThat(sent.whenOffline()).isEqualTo(CommandSender.WhenOffline.REFUSE);
            assertThat(sent.hostId()).isEqualTo(host);
        }
        channel.offline = true;
        try {
            var refused = admin.post(base + "/" + id + "/start", "");
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.body()).contains("not connected");
        } finally {
            channel.offline = false;
        }
        var noCsrf = admin.send(admin.request(base + "/" + id + "/start").POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
    }

    @Test
    void the_log_route_returns_the_agents_tail() {
        var admin = hub.admin();
        long host = hub.registerHost("prog-log").get("id").asLong();
        String base = "/api/v1/hosts/" + host + "/programs";
        long id = admin.json(admin.post(base, WEB)).at("/program/id").asLong();
        channel.tailLines = List.of("Serving HTTP on 0.0.0.0 port 8000", "<script>alert(1)</script>");

        var r = admin.get(base + "/" + id + "/log?lines=50");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(admin.json(r).get("lines")).hasSize(2);
        assertThat(channel.last().args()).isEqualTo(Map.of("name", "web", "lines", 50));
        assertThat(admin.get(base + "/" + id + "/log?lines=0").statusCode()).isEqualTo(400);
    }

    @Test
    void reported_status_events_and_history_are_stored_once_and_announced_live() throws Exception {
        var admin = hub.admin();
        var registered = hub.registerHost("prog-report");
        long host = registered.get("id").asLong();
        String key = registered.get("key").asText();
        String base = "/api/v1/hosts/" + host + "/programs";
        long id = admin.json(admin.post(base, WEB)).at("/program/id").asLong();
        var live = LiveEventsTest.listen(admin);
        Thread.sleep(300);

        long t0 = System.currentTimeMillis() - 30_000;
        Sample first = Samples.sample(1, t0).withPrograms(
                List.of(new Sample.Program("web", "program", "RUNNING", 4321L, null, 0, t0 - 1000, 12.5, 50L << 20, "started on request"),
                        new Sample.Program("nginx.service", "systemd", "RUNNING", 812L, null, 0, null, null, null, "active (running)")),
                List.of(new Sample.ProgramEvent("web", "started", t0 - 1000, null, "started on request")));
        Sample second = Samples.sample(2, t0 + 10_000).withPrograms(
                List.of(new Sample.Program("web", "program", "BACKOFF", null, 1, 1, null, null, null, "restarting after it exited with status 1"),
                        new Sample.Program("nginx.service", "systemd", "RUNNING", 812L, null, 0, null, null, null, "active (running)")),
                List.of(new Sample.ProgramEvent("web", "exited", t0 + 9_000, 1, "exited with status 1")));
        String batch = Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10, List.of(first, second)));
        assertThat(hub.ingest(key, batch).statusCode()).isEqualTo(200);

        JsonNode list = admin.json(admin.get(base));
        assertThat(list).hasSize(2);
        assertThat(list.get(0).at("/status/state").asText()).isEqualTo("BACKOFF");
        assertThat(list.get(0).at("/status/exitCode").asInt()).isEqualTo(1);
        assertThat(list.get(0).at("/status/restarts").asInt()).isEqualTo(1);
        assertThat(list.get(1).get("name").asText()).isEqualTo("nginx.service");
        assertThat(list.get(1).get("kind").asText()).isEqualTo("systemd");
        assertThat(list.get(1).get("id").isNull()).isTrue();

        String status = LiveEventsTest.next(live, "programs {", 2_000);
        assertThat(status).isNotNull().contains("\"hostId\":" + host).contains("\"state\":\"BACKOFF\"");
        assertThat(LiveEventsTest.next(live, "program-event {", 2_000)).isNotNull().contains("\"kind\":\"started\"");

        // A replay of the same batch (lost ack) adds nothing; an older report does not undo a newer status.
        assertThat(hub.ingest(key, batch).statusCode()).isEqualTo(200);
        assertThat(hub.ingest(key, Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10,
                List.of(Samples.sample(3, t0 + 20_000))))).statusCode()).isEqualTo(200);
        JsonNode events = admin.json(admin.get(base + "/" + id + "/events"));
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("kind").asText()).as("newest first").isEqualTo("exited");
        assertThat(events.get(0).get("exitCode").asInt()).isEqualTo(1);
        assertThat(events.get(1).get("kind").asText()).isEqualTo("started");
        assertThat(admin.json(admin.get(base + "/" + id + "/events?limit=1&before=" + events.get(0).get("id").asLong())).get(0)
                .get("kind").asText()).isEqualTo("started");
        synchronized (heard) {
            assertThat(heard).contains(host + " web started null", host + " web exited 1");
            assertThat(heard.stream().filter(h -> h.startsWith(host + " ")).count()).as("each event heard once").isEqualTo(2);
        }

        JsonNode history = admin.json(admin.get(base + "/" + id + "/history?from=" + (t0 - 60_000) + "&to=" + (t0 + 60_000)));
        List<String> names = new ArrayList<>();
        history.get("series").forEach(s -> names.add(s.get("name").asText()));
        assertThat(names).contains("prog_cpu:web", "prog_rss:web", "prog_restarts:web");
        JsonNode cpu = null;
        for (JsonNode s : history.get("series")) {
            if (s.get("name").asText().equals("prog_cpu:web")) {
                cpu = s;
            }
        }
        List<Double> values = new ArrayList<>();
        cpu.get("avg").forEach(v -> {
            if (!v.isNull()) {
                values.add(v.asDouble());
            }
        });
        assertThat(values).containsExactly(12.5);
    }

    @Test
    void with_the_agent_away_definitions_are_queued_for_it_and_actions_are_refused() {
        try (var plain = TestHub.start()) {
            var admin = plain.admin();
            long host = plain.registerHost("agent-away").get("id").asLong();
            String base = "/api/v1/hosts/" + host + "/programs";
            var created = admin.post(base, WEB);
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(admin.json(created).toString()).contains("QUEUED");
            long id = admin.json(created).at("/program/id").asLong();
            var start = admin.post(base + "/" + id + "/start", "");
            assertThat(start.statusCode()).as(start.body()).isEqualTo(409);
            assertThat(start.body()).contains("not connected");
            assertThat(admin.get(base + "/" + id + "/log").statusCode()).isEqualTo(409);
        }
    }

    @Test
    void on_postgresql_status_and_events_are_stored_the_same_way() {
        try (var pg = TestHub.startPostgres(java.time.Clock.systemUTC())) {
            var admin = pg.admin();
            var registered = pg.registerHost("pg-programs");
            long host = registered.get("id").asLong();
            String base = "/api/v1/hosts/" + host + "/programs";
            long id = admin.json(admin.post(base, WEB)).at("/program/id").asLong();
            long t0 = System.currentTimeMillis() - 10_000;
            Sample s = Samples.sample(1, t0).withPrograms(
                    List.of(new Sample.Program("web", "program", "FAILED", null, 2, 5, null, null, null, "gave up: 5 restarts within 300 s")),
                    List.of(new Sample.ProgramEvent("web", "gave_up", t0, 2, "gave up")));
            String batch = Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10, List.of(s)));
            assertThat(pg.ingest(registered.get("key").asText(), batch).statusCode()).isEqualTo(200);
            assertThat(pg.ingest(registered.get("key").asText(), batch).statusCode()).isEqualTo(200);

            assertThat(admin.json(admin.get(base + "/" + id)).at("/status/state").asText()).isEqualTo("FAILED");
            JsonNode events = admin.json(admin.get(base + "/" + id + "/events"));
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("kind").asText()).isEqualTo("gave_up");
            assertThat(admin.delete(base + "/" + id).statusCode()).isEqualTo(200);
        }
    }
}
