package dev.servmon.hub.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.MutableClock;
import dev.servmon.hub.Samples;
import dev.servmon.hub.TestHub;
import java.net.http.HttpResponse;

/** What the alert tests share: a hub on a clock they move, hosts that report chosen figures, API shortcuts. */
final class AlertKit {
    final MutableClock clock;
    final TestHub hub;
    final TestHub.Client admin;

    AlertKit(MutableClock clock, TestHub hub) {
        this.clock = clock;
        this.hub = hub;
        this.admin = hub.admin();
    }

    static AlertKit start() {
        var clock = new MutableClock(1_800_000_000_000L);
        return new AlertKit(clock, TestHub.start(clock));
    }

    /** The same on a fresh database of the embedded PostgreSQL server, evaluated by the leader. */
    static AlertKit startPostgres() {
        var clock = new MutableClock(1_800_000_000_000L);
        return new AlertKit(clock, TestHub.startPostgres(clock));
    }

    /** A registered host that reports through the real ingest port. */
    final class Host {
        final long id;
        final String name;
        final String key;
        long seq;

        Host(String name) {
            JsonNode h = hub.registerHost(name);
            this.id = h.get("id").asLong();
            this.name = name;
            this.key = h.get("key").asText();
        }

        /** Reports a sample with this CPU busy share, at the clock's time. */
        void report(double cpuPercent) {
            HttpResponse<String> r = hub.ingest(key, Samples.cpuBatch(++seq, clock.millis(), cpuPercent));
            if (r.statusCode() != 200) {
                throw new AssertionError("ingest failed: " + r.statusCode() + " " + r.body());
            }
        }
    }

    static JsonNode json(String text) {
        try {
            return dev.servmon.hub.api.Json.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    Host host(String name) {
        return new Host(name);
    }

    AlertEngine engine() {
        return hub.hub().alerts().engine();
    }

    /** Creates through the API; returns the created JSON. */
    JsonNode create(String path, String body) {
        var r = admin.post(path, body);
        if (r.statusCode() != 201) {
            throw new AssertionError("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return admin.json(r);
    }

    long webhook(String name, String url, String secret) {
        return create("/api/v1/notifiers", "{\"name\":\"" + name + "\",\"type\":\"webhook\",\"config\":{\"urls\":[\"" + url + "\"]"
                + (secret == null ? "" : ",\"secret\":\"" + secret + "\"") + "}}").get("id").asLong();
    }

    long rule(String json) {
        return create("/api/v1/alert-rules", json).get("id").asLong();
    }

    /** The alerts of a rule, newest first. */
    JsonNode alerts(long ruleId) {
        return admin.json(admin.get("/api/v1/alerts?rule=" + ruleId));
    }

    /** The state of the rule's newest alert, or "none". */
    String state(long ruleId) {
        JsonNode a = alerts(ruleId);
        return a.isEmpty() ? "none" : a.get(0).get("state").asText();
    }

    /** Moves the clock in steps, the hosts reporting this CPU share every {@code stepSeconds}, evaluating after each. */
    void run(int seconds, int stepSeconds, double cpu, Host... hosts) {
        for (int t = 0; t < seconds; t += stepSeconds) {
            clock.advance(java.time.Duration.ofSeconds(stepSeconds));
            for (Host h : hosts) {
                h.report(cpu);
            }
            engine().evaluateNow();
        }
    }
}
