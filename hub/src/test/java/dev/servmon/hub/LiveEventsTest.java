package dev.servmon.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LiveEventsTest {

    /** Reads "event: X" + "data: Y" pairs off an SSE stream into a queue. */
    static BlockingQueue<String> listen(TestHub.Client c) {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        var response = c.http().sendAsync(c.request("/api/v1/events").header("Accept", "text/event-stream").timeout(Duration.ofMinutes(5)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Thread t = new Thread(() -> {
            try (InputStream in = response.get().body();
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String event = null;
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:") && event != null) {
                        events.add(event + " " + line.substring(5).strip());
                        event = null;
                    }
                }
            } catch (Exception e) {
                events.add("error " + e);
            }
        });
        t.setDaemon(true);
        t.start();
        return events;
    }

    static String next(BlockingQueue<String> q, String prefix, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        for (long left; (left = deadline - System.currentTimeMillis()) > 0; ) {
            String e = q.poll(left, TimeUnit.MILLISECONDS);
            if (e != null && e.startsWith(prefix)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void browsers_get_a_host_event_within_a_second_of_a_report_and_of_going_off() throws Exception {
        var clock = new MutableClock(System.currentTimeMillis());
        try (var hub = TestHub.start(clock)) {
            var host = hub.registerHost("live-1");
            long id = host.get("id").asLong();
            var events = listen(hub.admin());
            Thread.sleep(300); // let the stream open
            hub.ingest(host.get("key").asText(), Samples.batch(clock.millis(), 1));
            String on = next(events, "host {\"id\":" + id, 1000);
            assertThat(on).isNotNull().contains("\"status\":\"ON\"").contains("\"cpuPercent\":23.5").contains("\"tags\":[]");

            // The dashboard replaces its copy of a host with each event: the tags must be in it.
            assertThat(hub.admin().patch("/api/v1/hosts/" + id, "{\"tags\":[\"web\",\"prod\"]}").statusCode()).isEqualTo(200);
            assertThat(next(events, "host {\"id\":" + id, 1000)).isNotNull().contains("\"tags\":[\"prod\",\"web\"]");
            hub.ingest(host.get("key").asText(), Samples.batch(clock.millis(), 2));
            assertThat(next(events, "host {\"id\":" + id, 1000)).as("a report keeps them").isNotNull().contains("\"tags\":[\"prod\",\"web\"]");

            clock.advance(Duration.ofSeconds(40));
            String off = next(events, "host {\"id\":" + id, 1000);
            assertThat(off).isNotNull().contains("\"status\":\"OFF\"");

            assertThat(hub.admin().delete("/api/v1/hosts/" + id).statusCode()).isEqualTo(204);
            assertThat(next(events, "host-deleted {\"id\":" + id, 1000)).isNotNull();
        }
    }

    @Test
    void the_event_stream_refuses_clients_that_do_not_ask_for_one() {
        try (var hub = TestHub.start()) {
            var r = hub.admin().get("/api/v1/events");
            assertThat(r.statusCode()).isEqualTo(406);
            assertThat(r.body()).contains("text/event-stream");
        }
    }
}
