package dev.servmon.hub.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes events to every connected browser over Server-Sent Events.
 *
 * <p>Publishing never blocks the caller (the ingest path): events go to one sender thread
 * through a bounded queue. When browsers cannot keep up, the oldest pending events are dropped
 * and counted; every host event carries the host's whole state, so the next one repairs the view.
 */
public final class LiveBus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveBus.class);
    private static final int QUEUE_CAPACITY = 10_000;

    private final ObjectMapper json;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor sender;

    public LiveBus(ObjectMapper json) {
        this.json = json;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                r -> {
                    Thread t = new Thread(r, "servmon-live");
                    t.setDaemon(true);
                    return t;
                },
                (task, pool) -> {
                    // Drop the oldest pending event, then retry this one.
                    if (!pool.isShutdown()) {
                        pool.getQueue().poll();
                        long n = dropped.incrementAndGet();
                        if (n == 1 || n % 1000 == 0) {
                            log.warn("live updates dropped because browsers are slow; dropped={}", n);
                        }
                        pool.execute(task);
                    }
                });
    }

    /**
     * Refuses requests that do not ask for an event stream (Javalin would otherwise answer them
     * with an empty 200).
     */
    public static void requireEventStream(io.javalin.http.Context ctx) {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new dev.servmon.hub.api.ApiException(406, "this is a Server-Sent Events stream; send 'Accept: text/event-stream'");
        }
    }

    /** Registers a browser's stream; it is kept open until the browser goes away. */
    public void join(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        client.sendComment("connected");
    }

    public void publish(String event, Object data) {
        final String text;
        try {
            text = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            log.error("live event {} could not be serialised; not sent", event, e);
            return;
        }
        sender.execute(() -> {
            for (SseClient client : clients) {
                if (client.terminated()) {
                    clients.remove(client);
                    continue;
                }
                try {
                    client.sendEvent(event, text);
                } catch (RuntimeException e) {
                    log.debug("live client went away while sending {}", event, e);
                    clients.remove(client);
                }
            }
        });
    }

    /** Sends a keep-alive comment so proxies do not close idle streams. */
    public void ping() {
        sender.execute(() -> clients.forEach(c -> {
            if (!c.terminated()) {
                c.sendComment("ping");
            }
        }));
    }

    public int clientCount() {
        return clients.size();
    }

    @Override
    public void close() {
        sender.shutdown();
        clients.forEach(c -> {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.debug("closing live client failed", e);
            }
        });
        clients.clear();
    }
}
