package dev.servmon.hub.hosts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.IngestUrls;
import dev.servmon.hub.api.Json;
import io.javalin.http.Context;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/** Handlers of {@code /api/v1/hosts}. */
public final class HostHandlers {
    private final Hosts hosts;
    private final ObjectMapper json;
    private final IngestUrls ingestUrls;
    private final boolean installable;
    private final Consumer<HostView> onChanged;
    private final LongConsumer onDeleted;

    /**
     * @param installable true when the hub serves the agent installer: new hosts then get the one-line install command
     */
    public HostHandlers(Hosts hosts, ObjectMapper json, IngestUrls ingestUrls, boolean installable,
                        Consumer<HostView> onChanged, LongConsumer onDeleted) {
        this.hosts = hosts;
        this.json = json;
        this.ingestUrls = ingestUrls;
        this.installable = installable;
        this.onChanged = onChanged;
        this.onDeleted = onDeleted;
    }

    record NewHost(String name) {}

    /** A new host: its key (shown once), the manual agent command and, when available, the one-line install. */
    record Created(long id, String name, String key, String ingestUrl, String agentCommand, String installCommand) {}

    public void list(Context ctx) {
        ctx.json(hosts.list());
    }

    public void get(Context ctx) {
        ctx.json(hosts.get(id(ctx)));
    }

    public void create(Context ctx) {
        var body = Json.read(json, ctx.bodyAsBytes(), NewHost.class);
        var registered = hosts.register(body.name());
        onChanged.accept(registered.host());
        String ingestUrl = ingestUrls.forRequest(ctx);
        ctx.status(201).json(new Created(registered.host().id(), registered.host().name(), registered.key(), ingestUrl,
                IngestUrls.agentCommand(ingestUrl, registered.key()),
                installable ? ingestUrls.installCommandFor(ingestUrl, registered.key()) : null));
    }

    /** {@code PATCH /api/v1/hosts/{id}} with {@code {"name": "..."}}: renames the host and announces it. */
    public void update(Context ctx) {
        long id = id(ctx);
        var body = Json.read(json, ctx.bodyAsBytes(), NewHost.class);
        HostView renamed = hosts.rename(id, body.name());
        onChanged.accept(renamed);
        ctx.json(renamed);
    }

    public void delete(Context ctx) {
        long id = id(ctx);
        hosts.delete(id);
        onDeleted.accept(id);
        ctx.status(204);
    }

    /** The {@code {id}} path parameter as a host id; 400 when it is not a positive integer. */
    public static long id(Context ctx) {
        String raw = ctx.pathParam("id");
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // fall through to the 400 below
        }
        throw ApiException.badRequest("host id must be a positive integer, got '" + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw) + "'");
    }
}
