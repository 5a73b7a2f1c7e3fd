package dev.servmon.hub.hosts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.IngestUrls;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.api.PathIds;
import dev.servmon.hub.audit.AuditHandlers;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.auth.Principal;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/** Handlers of {@code /api/v1/hosts}. */
public final class HostHandlers {
    private final Hosts hosts;
    private final HostTags tags;
    private final HostScope scope;
    private final ObjectMapper json;
    private final IngestUrls ingestUrls;
    private final boolean installable;
    private final Consumer<HostView> onChanged;
    private final LongConsumer onKeyRevoked;

    /**
     * @param installable true when the hub serves the agent installer: new hosts then get the one-line install command
     * @param onKeyRevoked a host was deleted or re-keyed: its old key must stop working on every replica
     */
    public HostHandlers(Hosts hosts, HostTags tags, ObjectMapper json, IngestUrls ingestUrls, boolean installable,
                        Consumer<HostView> onChanged, LongConsumer onKeyRevoked) {
        this.hosts = hosts;
        this.tags = tags;
        this.scope = new HostScope(tags);
        this.json = json;
        this.ingestUrls = ingestUrls;
        this.installable = installable;
        this.onChanged = onChanged;
        this.onKeyRevoked = onKeyRevoked;
    }

    record NewHost(String name) {}

    /** {@code PATCH} body: either field may be left out. */
    record HostChange(String name, List<String> tags) {}


    /**
     * A new host or a new key for one: the key (shown once), the manual agent command and, when
     * available, the one-line install.
     */
    record Created(long id, String name, String key, String ingestUrl, String agentCommand, String installCommand) {}

    /** The scope check of {@code /api/v1/hosts/{id}} routes (a before-handler, see {@link HostScope}). */
    public HostScope scope() {
        return scope;
    }

    /** {@code GET /api/v1/hosts}: the hosts the caller may see, with their tags. */
    public void list(Context ctx) {
        Principal p = AuthHandlers.principal(ctx);
        Map<Long, List<String>> all = tags.all();
        ctx.json(scope.visible(p.scope(), hosts.list()).stream()
                .map(h -> new TaggedHost(h, all.getOrDefault(h.id(), List.of()))).toList());
    }

    public void get(Context ctx) {
        long id = id(ctx);
        ctx.json(new TaggedHost(hosts.get(id), tags.of(id)));
    }

    /** {@code POST /api/v1/hosts}: a scoped user's new host carries their tags, so it stays theirs to see. */
    public void create(Context ctx) {
        var body = Json.read(json, ctx.bodyAsBytes(), NewHost.class);
        var registered = hosts.register(body.name());
        Set<String> own = AuthHandlers.principal(ctx).scope();
        if (!own.isEmpty()) {
            tags.set(registered.host().id(), own);
        }
        AuditHandlers.target(ctx, "host " + registered.host().id() + " " + registered.host().name());
        onChanged.accept(registered.host());
        ctx.status(201).json(created(ctx, registered.host(), registered.key()));
    }

    /**
     * {@code PATCH /api/v1/hosts/{id}} with {@code {"name": "...", "tags": [...]}} (either):
     * renames and/or re-tags the host and announces it. A scoped user must leave one of their
     * own tags on it.
     */
    public void update(Context ctx) {
        long id = id(ctx);
        var body = Json.read(json, ctx.bodyAsBytes(), HostChange.class);
        if (body.name() == null && body.tags() == null) {
            throw ApiException.badRequest("send name, tags or both");
        }
        Set<String> newTags = body.tags() == null ? null : Tags.normalize(body.tags(), "tags");
        Set<String> own = AuthHandlers.principal(ctx).scope();
        if (newTags != null && !Tags.within(own, newTags)) {
            throw ApiException.badRequest("tags must keep one of your own (" + String.join(", ", own) + "), or you would lose this host");
        }
        HostView changed = body.name() == null
                ? hosts.find(id, false).orElseThrow(() -> ApiException.notFound("no host with id " + id))
                : hosts.rename(id, body.name());
        if (newTags != null) {
            tags.set(id, newTags);
        }
        onChanged.accept(changed);
        ctx.json(new TaggedHost(changed, tags.of(id)));
    }

    public void delete(Context ctx) {
        long id = id(ctx);
        hosts.delete(id);
        onKeyRevoked.accept(id);
        ctx.status(204);
    }

    /**
     * {@code POST /api/v1/hosts/{id}/key}: a new key, shown once; the old one stops working at
     * once, on every replica (the same path as a deleted host's key).
     */
    public void rotateKey(Context ctx) {
        long id = id(ctx);
        String key = hosts.rotateKey(id);
        onKeyRevoked.accept(id);
        HostView host = hosts.find(id, false).orElseThrow(() -> ApiException.notFound("no host with id " + id));
        AuditHandlers.target(ctx, "host " + id + " " + host.name() + " key=" + dev.servmon.hub.auth.Tokens.prefixOf(key));
        ctx.json(created(ctx, host, key));
    }

    private Created created(Context ctx, HostView host, String key) {
        String ingestUrl = ingestUrls.forRequest(ctx);
        return new Created(host.id(), host.name(), key, ingestUrl, IngestUrls.agentCommand(ingestUrl, key),
                installable ? ingestUrls.installCommandFor(ingestUrl, key) : null);
    }

    /** The {@code {id}} path parameter as a host id; 400 when it is not a positive integer. */
    public static long id(Context ctx) {
        return PathIds.of(ctx, "host");
    }
}
