package dev.servmon.hub.hosts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import io.javalin.http.Context;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/** Handlers of {@code /api/v1/hosts}. */
public final class HostHandlers {
    private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]");

    private final Hosts hosts;
    private final ObjectMapper json;
    private final String publicIngestUrl;
    private final int ingestPort;
    private final Consumer<HostView> onChanged;
    private final LongConsumer onDeleted;

    /**
     * @param publicIngestUrl the ingest URL agents should use, or null to derive it from the
     *     address the browser used plus the ingest port
     */
    public HostHandlers(Hosts hosts, ObjectMapper json, String publicIngestUrl, int ingestPort,
                        Consumer<HostView> onChanged, LongConsumer onDeleted) {
        this.hosts = hosts;
        this.json = json;
        this.publicIngestUrl = publicIngestUrl;
        this.ingestPort = ingestPort;
        this.onChanged = onChanged;
        this.onDeleted = onDeleted;
    }

    record NewHost(String name) {}

    record Created(long id, String name, String key, String ingestUrl, String agentCommand) {}

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
        String ingestUrl = ingestUrl(ctx);
        ctx.status(201).json(new Created(registered.host().id(), registered.host().name(), registered.key(), ingestUrl,
                "servmon agent --hub " + ingestUrl + " --key " + registered.key()));
    }

    public void delete(Context ctx) {
        long id = id(ctx);
        hosts.delete(id);
        onDeleted.accept(id);
        ctx.status(204);
    }

    private String ingestUrl(Context ctx) {
        if (publicIngestUrl != null) {
            return publicIngestUrl;
        }
        String host = ctx.req().getServerName();
        if (host == null || !SAFE_HOST.matcher(host).matches()) {
            host = "127.0.0.1";
        } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return ctx.scheme() + "://" + host + ":" + ingestPort;
    }

    static long id(Context ctx) {
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
