package dev.servmon.hub.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import java.util.List;
import java.util.Map;
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
 *
 * <p>A browser of a scoped user (limited to hosts with some tags) gets the events about a host
 * only when the host carries one of its tags (the publisher gives them with the event).
 */
public final class LiveBus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveBus.class);
    private static final int QUEUE_CAPACITY = 10_000;

    private final ObjectMapper json;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    /** The scope of each connected scoped client; unscoped clients are not in here. */
    private final Map<SseClient, Set<String>> scopes = new ConcurrentHashMap<>();
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
        join(client, Set.of());
    }

    /** Registers the stream of a browser limited to hosts with one of {@code scope}'s tags (empty: all hosts). */
    public void join(SseClient client, Set<String> scope) {
        client.keepAlive();
        client.onClose(() -> {
            clients.remove(client);
            scopes.remove(client);
        });
        if (!scope.isEmpty()) {
            scopes.put(client, Set.copyOf(scope));
        }
        clients.add(client);
        client.sendComment("connected");
    }

    /** Sends an event to every browser. */
    public void publish(String event, Object data) {
        publish(event, data, null);
    }

    /**
     * Sends an event about one host, which carries {@code hostTags}: to every unscoped browser, and
     * to scoped ones whose scope has one of the tags.
     */
    public void publishAbout(List<String> hostTags, String event, Object data) {
        publish(event, data, List.copyOf(hostTags));
    }

    /** @param hostTags the tags of the host the event is about; null for an event about no host */
    private void publish(String event, Object data, List<String> hostTags) {
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
                    scopes.remove(client);
                    continue;
                }
                Set<String> scope = hostTags == null ? null : scopes.get(client);
                if (scope != null && hostTags.stream().noneMatch(scope::contains)) {
                    continue;
                }
                try {
                    client.sendEvent(event, text);
                } catch (RuntimeException e) {
                    log.debug("live client went away while sending {}", event, e);
                    clients.remove(client);
                    scopes.remove(client);
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
