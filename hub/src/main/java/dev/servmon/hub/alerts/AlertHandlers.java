package dev.servmon.hub.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.hosts.Hosts;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Handlers of {@code /api/v1/alerts} (history, acknowledgement, summary), {@code /api/v1/silences}
 * and {@code /api/v1/hosts/{id}/dependencies}.
 */
public final class AlertHandlers {
    static final int MAX_COMMENT = 1_000;

    private final AlertStore alerts;
    private final Silences silences;
    private final Dependencies dependencies;
    private final RuleStore rules;
    private final Hosts hosts;
    private final ObjectMapper json;
    private final Clock clock;
    private final Runnable onChange;

    public AlertHandlers(AlertStore alerts, Silences silences, Dependencies dependencies, RuleStore rules, Hosts hosts, ObjectMapper json,
                         Clock clock, Runnable onChange) {
        this.alerts = alerts;
        this.silences = silences;
        this.dependencies = dependencies;
        this.rules = rules;
        this.hosts = hosts;
        this.json = json;
        this.clock = clock;
        this.onChange = onChange;
    }

    /** {@code GET /api/v1/alerts?state=&host=&rule=&from=&to=&limit=}: newest first. */
    public void list(Context ctx) {
        String state = ctx.queryParam("state");
        AlertState s = state == null || state.isBlank() ? null : Params.valid(() -> AlertState.of(state.strip()));
        Long from = Params.time(ctx, "from");
        Long to = Params.time(ctx, "to");
        if (from != null && to != null && from >= to) {
            throw ApiException.badRequest("from must be before to, got from=" + from + " to=" + to);
        }
        ctx.json(alerts.query(new AlertStore.Filter(s, Params.optionalId(ctx, "host"), Params.optionalId(ctx, "rule"), from, to,
                Params.limit(ctx, 200, AlertStore.MAX_LIMIT))).stream().map(AlertHandlers::withMaintenance).toList());
    }

    public void get(Context ctx) {
        long id = Params.id(ctx, "alert");
        ctx.json(withMaintenance(alerts.find(id).orElseThrow(() -> ApiException.notFound("no alert with id " + id))));
    }

    private static Map<String, Object> withMaintenance(AlertView a) {
        Map<String, Object> m = new LinkedHashMap<>(Json.mapper().convertValue(a, Map.class));
        m.put("inMaintenance", a.inMaintenance());
        return m;
    }

    record Ack(String comment) {}

    /** {@code POST /api/v1/alerts/{id}/ack} with an optional {@code comment}: no more repeats of it. */
    public void ack(Context ctx) {
        long id = Params.id(ctx, "alert");
        byte[] body = ctx.bodyAsBytes();
        Ack b = body.length == 0 ? new Ack(null) : Json.read(json, body, Ack.class);
        String who = AuthHandlers.principal(ctx).user().username();
        if (!alerts.acknowledge(id, who, Params.text(b.comment(), "comment", MAX_COMMENT, false), clock.millis())) {
            if (alerts.find(id).isEmpty()) {
                throw ApiException.notFound("no alert with id " + id);
            }
            throw new ApiException(409, "alert " + id + " is resolved; there is nothing to acknowledge");
        }
        onChange.run();
        ctx.json(withMaintenance(alerts.find(id).orElseThrow()));
    }

    /** {@code GET /api/v1/alerts/summary}: open alerts per state, resolved in the last 24 h. */
    public void summary(Context ctx) {
        ctx.json(alerts.summary(clock.millis() - 24 * 3_600_000L));
    }

    record SilenceBody(Long ruleId, Long hostId, Long startsAtMs, Long endsAtMs, Long durationMinutes, String comment) {}

    public void silences(Context ctx) {
        ctx.json(silences.current(clock.millis()));
    }

    /** A silence needs a rule, a host or both, and an end: {@code endsAtMs} or {@code durationMinutes}. */
    public void createSilence(Context ctx) {
        SilenceBody b = Json.read(json, ctx.bodyAsBytes(), SilenceBody.class);
        long now = clock.millis();
        if (b.ruleId() == null && b.hostId() == null) {
            throw ApiException.badRequest("a silence needs ruleId, hostId or both (silencing everything is what maintenance windows are for)");
        }
        if (b.ruleId() != null && rules.find(b.ruleId()).isEmpty()) {
            throw ApiException.badRequest("ruleId: no alert rule with id " + b.ruleId());
        }
        if (b.hostId() != null && hosts.find(b.hostId(), false).isEmpty()) {
            throw ApiException.badRequest("hostId: no host with id " + b.hostId());
        }
        long starts = b.startsAtMs() == null ? now : b.startsAtMs();
        Long ends = b.endsAtMs();
        if (ends == null && b.durationMinutes() != null) {
            if (b.durationMinutes() < 1 || b.durationMinutes() > 366L * 24 * 60) {
                throw ApiException.badRequest("durationMinutes must be between 1 and 527040 (a year)");
            }
            ends = starts + b.durationMinutes() * 60_000L;
        }
        if (ends == null || ends <= starts || ends <= now) {
            throw ApiException.badRequest("a silence needs an end in the future: endsAtMs after startsAtMs, or durationMinutes");
        }
        Silence s = silences.insert(new Silence(0, b.ruleId(), b.hostId(), starts, ends, Params.text(b.comment(), "comment", MAX_COMMENT, false),
                AuthHandlers.principal(ctx).user().username(), now));
        onChange.run();
        ctx.status(201).json(s);
    }

    public void deleteSilence(Context ctx) {
        long id = Params.id(ctx, "silence");
        if (!silences.delete(id)) {
            throw ApiException.notFound("no silence with id " + id);
        }
        onChange.run();
        ctx.status(204);
    }

    record DependencyBody(List<Long> parentIds) {}

    /** {@code GET /api/v1/hosts/{id}/dependencies}: {@code {"hostId": 3, "parentIds": [1]}}. */
    public void dependencies(Context ctx) {
        long id = hostId(ctx);
        ctx.json(Map.of("hostId", id, "parentIds", dependencies.parentsOf(id)));
    }

    /** {@code PUT /api/v1/hosts/{id}/dependencies} with {@code {"parentIds": [..]}} replaces the host's parents. */
    public void setDependencies(Context ctx) {
        long id = hostId(ctx);
        DependencyBody b = Json.read(json, ctx.bodyAsBytes(), DependencyBody.class);
        Set<Long> parents = new HashSet<>(b.parentIds() == null ? List.of() : b.parentIds());
        Set<Long> known = new HashSet<>();
        hosts.findAll(parents).forEach(h -> known.add(h.id()));
        for (long p : parents) {
            if (!known.contains(p)) {
                throw ApiException.badRequest("parentIds: no host with id " + p);
            }
        }
        Params.valid(() -> {
            dependencies.setParents(id, parents);
            return null;
        });
        onChange.run();
        ctx.json(Map.of("hostId", id, "parentIds", dependencies.parentsOf(id)));
    }

    private long hostId(Context ctx) {
        long id = Params.id(ctx, "host");
        if (hosts.find(id, false).isEmpty()) {
            throw ApiException.notFound("no host with id " + id);
        }
        return id;
    }
}
