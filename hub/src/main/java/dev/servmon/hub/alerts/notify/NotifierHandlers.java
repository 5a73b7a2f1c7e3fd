package dev.servmon.hub.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Handlers of {@code /api/v1/notifiers}: channels, their delivery log and "send test". */
public final class NotifierHandlers {
    static final int MAX_NAME = 100;

    private final NotifierStore store;
    private final Outbox outbox;
    private final Dispatcher dispatcher;
    private final ObjectMapper json;
    private final Clock clock;
    private final java.util.function.Supplier<String> linkBase;

    public NotifierHandlers(NotifierStore store, Outbox outbox, Dispatcher dispatcher, ObjectMapper json, Clock clock, java.util.function.Supplier<String> linkBase) {
        this.store = store;
        this.outbox = outbox;
        this.dispatcher = dispatcher;
        this.json = json;
        this.clock = clock;
        this.linkBase = linkBase;
    }

    record Body(String name, String type, JsonNode config, String titleTemplate, String bodyTemplate) {}

    /** A notifier as shown: secrets replaced by the list of those that are set. */
    record View(long id, String name, String type, ObjectNode config, String titleTemplate, String bodyTemplate, long createdAtMs,
                long updatedAtMs) {
        static View of(Notifier n) {
            return new View(n.id(), n.name(), n.type().label(), NotifierConfig.redacted(n.type(), n.config()), n.titleTemplate(),
                    n.bodyTemplate(), n.createdAtMs(), n.updatedAtMs());
        }
    }

    public void list(Context ctx) {
        ctx.json(store.list().stream().map(View::of).toList());
    }

    public void get(Context ctx) {
        ctx.json(View.of(find(ctx)));
    }

    public void create(Context ctx) {
        Body b = Json.read(json, ctx.bodyAsBytes(), Body.class);
        NotifierType type = valid(() -> NotifierType.of(b.type()));
        ObjectNode config = valid(() -> NotifierConfig.validate(type, b.config(), null));
        String name = name(b.name());
        Notifier n = store.insert(name, type, config, template(b.titleTemplate(), "titleTemplate"), template(b.bodyTemplate(), "bodyTemplate"),
                clock.millis()).orElseThrow(() -> new ApiException(409, "a notifier named '" + name + "' already exists"));
        ctx.status(201).json(View.of(n));
    }

    /** Replaces the settings; secrets left out are kept, the type cannot change. */
    public void update(Context ctx) {
        Notifier old = find(ctx);
        Body b = Json.read(json, ctx.bodyAsBytes(), Body.class);
        if (b.type() != null && !b.type().equals(old.type().label())) {
            throw new ApiException(409, "a notifier's type cannot change (it is " + old.type().label() + "); create a new one");
        }
        ObjectNode config = b.config() == null ? old.config() : valid(() -> NotifierConfig.validate(old.type(), b.config(), old.config()));
        String name = b.name() == null ? old.name() : name(b.name());
        String title = b.titleTemplate() == null ? old.titleTemplate() : template(b.titleTemplate(), "titleTemplate");
        String body = b.bodyTemplate() == null ? old.bodyTemplate() : template(b.bodyTemplate(), "bodyTemplate");
        store.update(old.id(), name, config, title, body, clock.millis())
                .orElseThrow(() -> new ApiException(409, "a notifier named '" + name + "' already exists"));
        ctx.json(View.of(store.find(old.id()).orElseThrow()));
    }

    public void delete(Context ctx) {
        Notifier n = find(ctx);
        store.delete(n.id());
        ctx.status(204);
    }

    /** {@code GET /api/v1/notifiers/{id}/deliveries?limit=}: the delivery log, newest first. */
    public void deliveries(Context ctx) {
        Notifier n = find(ctx);
        String raw = ctx.queryParam("limit");
        int limit;
        try {
            limit = raw == null || raw.isBlank() ? 50 : Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 500) {
            throw ApiException.badRequest("limit must be an integer between 1 and 500");
        }
        ctx.json(outbox.forNotifier(n.id(), limit));
    }

    /** {@code POST /api/v1/notifiers/{id}/test}: sends a test message now and answers with the outcome per target. */
    public void test(Context ctx) {
        Notifier n = find(ctx);
        long now = clock.millis();
        Notification test = new Notification("test", null, 0, "Test notification", "test", "info", "firing", null, "servmon",
                "", "cpuPercent", 42.0, 90.0, now, null, linkBase.get() + "/alerts.html",
                "This is a test from servmon: the notifier '" + n.name() + "' works.", List.of());
        List<Long> ids = outbox.enqueue(n, test, now);
        List<Delivery> result = dispatcher.sendNow(ids, false);
        boolean ok = result.stream().allMatch(d -> d.status().equals("sent"));
        ctx.status(ok ? 200 : 502).json(Map.of("ok", ok, "deliveries", result));
    }

    private Notifier find(Context ctx) {
        String raw = ctx.pathParam("id");
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            id = -1;
        }
        if (id < 1) {
            throw ApiException.badRequest("notifier id must be a positive integer, got '" + (raw.length() > 20 ? raw.substring(0, 20) : raw) + "'");
        }
        long finalId = id;
        return store.find(id).orElseThrow(() -> ApiException.notFound("no notifier with id " + finalId));
    }

    private static String name(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw ApiException.badRequest("name must be 1 to " + MAX_NAME + " characters");
        }
        return name;
    }

    private static String template(String t, String field) {
        if (t == null || t.isBlank()) {
            return null;
        }
        if (t.length() > Templates.MAX_LENGTH) {
            throw ApiException.badRequest(field + " must be at most " + Templates.MAX_LENGTH + " characters");
        }
        return t;
    }

    private static <T> T valid(java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
