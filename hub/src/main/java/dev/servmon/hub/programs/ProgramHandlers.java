package dev.servmon.hub.programs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.control.CommandSender;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.hosts.HostView;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.metrics.MetricCatalog;
import dev.servmon.hub.metrics.MetricsQuery;
import dev.servmon.hub.metrics.QueryParams;
import dev.servmon.protocol.ProgramSpec;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/hosts/{id}/programs…}: definitions (every change sends the whole desired set to
 * the agent as {@code programs.apply}), start / stop / restart, status, history, events and the
 * output's tail. Commands go through {@link CommandSender}; without a command channel they are
 * answered 503, and definitions are saved all the same (the agent gets them once it can).
 */
public final class ProgramHandlers {
    /** How long a start / stop / restart may wait to be picked up. */
    static final Duration ACTION_EXPIRY = Duration.ofMinutes(2);
    /** How long the log route waits for the agent's answer. */
    static final Duration TAIL_WAIT = Duration.ofSeconds(5);

    private final Hosts hosts;
    private final ProgramStore store;
    private final CommandSender commands;
    private final CommandResults results;
    private final MetricsQuery metrics;
    private final ObjectMapper json;
    private final ProgramApply applies;
    private final Clock clock;

    public ProgramHandlers(Hosts hosts, ProgramStore store, CommandSender commands, CommandResults results, MetricsQuery metrics,
            ObjectMapper json, Clock clock) {
        this.hosts = hosts;
        this.store = store;
        this.commands = commands;
        this.results = results;
        this.metrics = metrics;
        this.json = json;
        this.applies = new ProgramApply(store, json);
        this.clock = clock;
    }

    /**
     * A program with its latest status ({@code null} before the agent reported it); watched units
     * come with {@code id} and {@code spec} null.
     */
    public record ProgramView(Long id, String name, String kind, ProgramSpec spec, ProgramStore.Status status,
                              Long createdAtMs, Long updatedAtMs) {}

    /** Whether the agent was sent the new desired set: the command, or why not. */
    public record Delivery(String commandId, String state, String error) {}

    /** A program as created or changed, with the delivery of the new set to the agent. */
    public record Changed(ProgramView program, Delivery delivery) {}

    /** {@code GET /api/v1/hosts/{id}/programs}: every program, then every watched unit, with status. */
    public void list(Context ctx) {
        long hostId = host(ctx).id();
        var statuses = store.statuses(hostId);
        List<ProgramView> out = new ArrayList<>();
        for (var d : store.list(hostId)) {
            out.add(view(d, statuses.remove(d.name())));
        }
        statuses.values().stream().filter(s -> !"program".equals(s.kind()))
                .forEach(s -> out.add(new ProgramView(null, s.name(), s.kind(), null, s, null, null)));
        ctx.json(out);
    }

    /** {@code POST /api/v1/hosts/{id}/programs} with a {@link ProgramSpec}. */
    public void create(Context ctx) {
        long hostId = host(ctx).id();
        ProgramSpec spec = validated(Json.read(json, ctx.bodyAsBytes(), ProgramSpec.class));
        var created = store.insert(hostId, spec, clock.millis()).orElseThrow(() ->
                new ApiException(409, "this host already has a program named '" + spec.name() + "'"));
        ctx.status(201).json(new Changed(view(created, null), apply(ctx, hostId)));
    }

    /** {@code GET /api/v1/hosts/{id}/programs/{pid}}. */
    public void get(Context ctx) {
        var d = program(ctx);
        ctx.json(view(d, store.statuses(d.hostId()).get(d.name())));
    }

    /** {@code PUT /api/v1/hosts/{id}/programs/{pid}}: a whole new spec; the name cannot change. */
    public void update(Context ctx) {
        var d = program(ctx);
        ProgramSpec body = Json.read(json, ctx.bodyAsBytes(), ProgramSpec.class);
        if (body.name() != null && !body.name().equals(d.name())) {
            throw ApiException.badRequest("a program's name cannot change (it keys its status, events and history): "
                    + "delete '" + d.name() + "' and define '" + body.name() + "'");
        }
        ProgramSpec spec = validated(new ProgramSpec(d.name(), body.command(), body.args(), body.cwd(), body.env(), body.runAs(),
                body.autostart(), body.restart(), body.backoffFirstSeconds(), body.backoffMaxSeconds(), body.maxRestarts(),
                body.restartWindowSeconds(), body.stopSignal(), body.stopTimeoutSeconds(), body.startSeconds(), body.healthCheck()));
        long now = clock.millis();
        if (!store.update(d.hostId(), d.id(), spec, now)) {
            throw ApiException.notFound("no program with id " + d.id() + " on host " + d.hostId());
        }
        var changed = new ProgramStore.Definition(d.id(), d.hostId(), d.name(), spec, d.createdAtMs(), now);
        ctx.json(new Changed(view(changed, store.statuses(d.hostId()).get(d.name())), apply(ctx, d.hostId())));
    }

    /** {@code DELETE /api/v1/hosts/{id}/programs/{pid}}: the agent stops it and forgets it. */
    public void delete(Context ctx) {
        var d = program(ctx);
        if (!store.delete(d.hostId(), d, clock.millis())) {
            throw ApiException.notFound("no program with id " + d.id() + " on host " + d.hostId());
        }
        ctx.json(new Changed(view(d, null), apply(ctx, d.hostId())));
    }

    /** {@code POST /api/v1/hosts/{id}/programs/{pid}/start}. */
    public void start(Context ctx) {
        act(ctx, "start");
    }

    /** {@code POST /api/v1/hosts/{id}/programs/{pid}/stop}. */
    public void stop(Context ctx) {
        act(ctx, "stop");
    }

    /** {@code POST /api/v1/hosts/{id}/programs/{pid}/restart}. */
    public void restart(Context ctx) {
        act(ctx, "restart");
    }

    private void act(Context ctx, String action) {
        var d = program(ctx);
        var submitted = submitNow(ctx, d, "program." + action, Map.of("name", d.name()), ACTION_EXPIRY);
        ctx.status(202).json(submitted);
    }

    /**
     * Submits a command that only makes sense now (start / stop / restart, tail): refused, not
     * queued, when the agent is away — a stop carried out hours later, when the agent is back,
     * would surprise. The 409 says so in the programs' terms.
     */
    private CommandSender.SubmittedCommand submitNow(Context ctx, ProgramStore.Definition d, String type, Map<String, Object> args,
            Duration expiry) {
        try {
            return commands.submit(d.hostId(), type, args, CommandSender.WhenOffline.REFUSE, expiry, AuthHandlers.principal(ctx));
        } catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            throw new ApiException(409, "the agent of host " + host(ctx).name() + " is not connected, so " + type + " was not sent to '"
                    + d.name() + "' (program commands are not queued); the states shown are the last the agent reported. "
                    + "Start the agent and try again; definition changes are kept and sent when it connects");
        }
    }

    /** {@code GET /api/v1/hosts/{id}/programs/{pid}/history?from=&to=&step=}: CPU %, RSS and restarts over time. */
    public void history(Context ctx) {
        var d = program(ctx);
        HostView host = host(ctx);
        var range = QueryParams.range(ctx.queryParam("from"), ctx.queryParam("to"), clock.millis(), Duration.ofHours(24));
        long step = QueryParams.stepMs(ctx.queryParam("step"));
        List<String> names = List.of(MetricCatalog.series("prog_cpu", d.name()), MetricCatalog.series("prog_rss", d.name()),
                MetricCatalog.series("prog_restarts", d.name()));
        try {
            long intervalMs = host.intervalSeconds() == null ? 0 : host.intervalSeconds() * 1000L;
            ctx.json(metrics.query(d.hostId(), names, range.fromMs(), range.toMs(), step, intervalMs));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** {@code GET /api/v1/hosts/{id}/programs/{pid}/events?limit=&before=}: newest first. */
    public void events(Context ctx) {
        var d = program(ctx);
        int limit = QueryParams.integer("limit", ctx.queryParam("limit"), 100, 1, 1_000);
        String before = ctx.queryParam("before");
        Long beforeId = null;
        if (before != null && !before.isBlank()) {
            try {
                beforeId = Long.parseLong(before.strip());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("before must be an event id, got '" + before + "'");
            }
        }
        ctx.json(store.events(d.hostId(), d.name(), beforeId, limit));
    }

    /**
     * {@code GET /api/v1/hosts/{id}/programs/{pid}/log?lines=200}: asks the agent for the tail of the
     * program's output and waits up to {@link #TAIL_WAIT} for it.
     */
    public void log(Context ctx) throws InterruptedException {
        var d = program(ctx);
        int lines = QueryParams.integer("lines", ctx.queryParam("lines"), 200, 1, 5_000);
        var submitted = submitNow(ctx, d, "program.tail", Map.of("name", d.name(), "lines", lines), TAIL_WAIT);
        var result = results.await(submitted.id(), TAIL_WAIT).orElseThrow(() ->
                new ApiException(504, "the agent did not send the output of '" + d.name() + "' within " + TAIL_WAIT.toSeconds() + " s; try again"));
        if (!result.ok()) {
            throw new ApiException(502, "the agent could not read the output of '" + d.name() + "': " + result.message());
        }
        Object got = result.data().get("lines");
        List<String> out = new ArrayList<>();
        if (got instanceof List<?> list) {
            list.forEach(o -> out.add(String.valueOf(o)));
        }
        ctx.json(Map.of("program", d.name(), "lines", out));
    }

    /** Sends the host's whole desired set and its revision to its agent; a missing channel or offline agent is reported, not fatal. */
    private Delivery apply(Context ctx, long hostId) {
        try {
            var c = commands.submit(hostId, ProgramApply.TYPE, applies.current(hostId).args(), CommandSender.WhenOffline.QUEUE,
                    ProgramApply.EXPIRY, AuthHandlers.principal(ctx));
            return new Delivery(c.id(), c.state(), null);
        } catch (ApiException e) {
            return new Delivery(null, null, e.getMessage());
        }
    }

    private static ProgramSpec validated(ProgramSpec spec) {
        try {
            return spec.validate("program");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static ProgramView view(ProgramStore.Definition d, ProgramStore.Status status) {
        return new ProgramView(d.id(), d.name(), "program", d.spec(), status, d.createdAtMs(), d.updatedAtMs());
    }

    private HostView host(Context ctx) {
        long id = HostHandlers.id(ctx);
        return hosts.find(id, false).orElseThrow(() -> ApiException.notFound("no host with id " + id));
    }

    private ProgramStore.Definition program(Context ctx) {
        long hostId = host(ctx).id();
        String raw = ctx.pathParam("pid");
        long pid;
        try {
            pid = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("program id must be a number, got '" + raw + "'");
        }
        return store.find(hostId, pid).orElseThrow(() -> ApiException.notFound("no program with id " + pid + " on host " + hostId));
    }
}
