package dev.servmon.hub.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.alerts.notify.NotifierStore;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.metrics.MetricCatalog;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Handlers of {@code /api/v1/alert-rules} and {@code /api/v1/alert-metrics}. */
public final class RuleHandlers {
    static final int MAX_NAME = 100;
    static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");

    private final RuleStore rules;
    private final NotifierStore notifiers;
    private final Hosts hosts;
    private final ObjectMapper json;
    private final Clock clock;
    private final Runnable onChange;

    public RuleHandlers(RuleStore rules, NotifierStore notifiers, Hosts hosts, ObjectMapper json, Clock clock, Runnable onChange) {
        this.rules = rules;
        this.notifiers = notifiers;
        this.hosts = hosts;
        this.json = json;
        this.clock = clock;
        this.onChange = onChange;
    }

    /**
     * A rule as sent: {@code condition} for metric rules ({@code "cpuPercent > 90"}, may carry
     * {@code for} and {@code recover}); {@code forSeconds} and {@code recoverThreshold} set or override them.
     */
    record RuleBody(String name, String kind, String condition, Long forSeconds, Double recoverThreshold, Integer horizonHours,
                    ScopeBody scope, List<Long> notifierIds, Integer repeatMinutes, String severity, Boolean enabled) {}

    /** A rule as shown. */
    record RuleView(long id, String name, String kind, String condition, String metric, String op, Double threshold,
                    Double recoverThreshold, long forSeconds, Integer horizonHours, ScopeBody scope, List<Long> notifierIds,
                    int repeatMinutes, String severity, boolean enabled, boolean builtin, long createdAtMs, long updatedAtMs) {
        static RuleView of(AlertRule r) {
            Condition c = r.condition();
            return new RuleView(r.id(), r.name(), r.kind().label(),
                    c == null ? null : new Condition(c.metric(), c.op(), c.threshold(), null, null).text(),
                    c == null ? null : c.metric(), c == null ? null : c.op().symbol(), c == null ? null : c.threshold(),
                    c == null ? null : c.recover(), r.forMs() / 1000, r.horizonHours(), ScopeBody.of(r.scope()), r.notifierIds(),
                    r.repeatMinutes(), r.severity(), r.enabled(), r.builtin(), r.createdAtMs(), r.updatedAtMs());
        }
    }

    public void list(Context ctx) {
        ctx.json(rules.list().stream().map(RuleView::of).toList());
    }

    public void get(Context ctx) {
        ctx.json(RuleView.of(find(Params.id(ctx, "rule"))));
    }

    public void create(Context ctx) {
        RuleBody b = Json.read(json, ctx.bodyAsBytes(), RuleBody.class);
        AlertRule r = rules.insert(rule(0, b, null), clock.millis());
        onChange.run();
        ctx.status(201).json(RuleView.of(r));
    }

    public void update(Context ctx) {
        AlertRule old = find(Params.id(ctx, "rule"));
        RuleBody b = Json.read(json, ctx.bodyAsBytes(), RuleBody.class);
        if (b.kind() != null && !b.kind().equals(old.kind().label())) {
            throw new ApiException(409, "a rule's kind cannot change (it is " + old.kind().label() + "); create a new rule instead");
        }
        rules.update(rule(old.id(), b, old), clock.millis());
        onChange.run();
        ctx.json(RuleView.of(find(old.id())));
    }

    public void delete(Context ctx) {
        AlertRule r = find(Params.id(ctx, "rule"));
        if (r.builtin()) {
            throw new ApiException(409, "'" + r.name() + "' is built in; disable it instead (PUT with \"enabled\": false)");
        }
        rules.delete(r.id(), clock.millis());
        onChange.run();
        ctx.status(204);
    }

    /** The metrics rules may name: the derived ones, then the catalogue. */
    public void metrics(Context ctx) {
        List<Map<String, String>> out = new ArrayList<>();
        HostValues.DERIVED.forEach((name, description) -> out.add(Map.of("name", name, "description", description, "kind", "derived")));
        for (var m : MetricCatalog.all()) {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("name", m.name());
            e.put("description", m.description() + (m.instance() == null ? "" : " (add :<" + m.instance() + "> for one)"));
            e.put("kind", "series");
            e.put("unit", m.unit());
            out.add(e);
        }
        ctx.json(out);
    }

    private AlertRule find(long id) {
        return rules.find(id).orElseThrow(() -> ApiException.notFound("no alert rule with id " + id));
    }

    /** The rule {@code b} describes, based on {@code old} (null for a new rule); 400 on anything invalid. */
    private AlertRule rule(long id, RuleBody b, AlertRule old) {
        RuleKind kind = old != null ? old.kind() : Params.valid(() -> RuleKind.of(b.kind() == null ? "metric" : b.kind()));
        String name = Params.text(b.name() != null ? b.name() : old == null ? null : old.name(), "name", MAX_NAME, true);
        Condition condition = null;
        long forMs = b.forSeconds() != null ? b.forSeconds() * 1000 : old != null ? old.forMs() : 0;
        if (kind == RuleKind.METRIC) {
            Condition parsed = b.condition() == null && old != null ? old.condition() : Params.valid(() -> Condition.parse(b.condition()));
            if (!HostValues.known(parsed.metric())) {
                throw ApiException.badRequest("unknown metric '" + Params.cut(parsed.metric()) + "'; GET /api/v1/alert-metrics lists them");
            }
            if (b.forSeconds() == null && b.condition() != null && parsed.forMs() != null) {
                forMs = parsed.forMs();
            }
            Double recover = b.recoverThreshold() != null ? b.recoverThreshold() : parsed.recover();
            long finalFor = forMs;
            condition = Params.valid(() -> new Condition(parsed.metric(), parsed.op(), parsed.threshold(), finalFor, recover));
        } else if (b.condition() != null) {
            throw ApiException.badRequest("a " + kind.label() + " rule has no condition; only metric rules do");
        }
        if (forMs < 0 || forMs > Durations.MAX_MS) {
            throw ApiException.badRequest("forSeconds must be between 0 and " + Durations.MAX_MS / 1000);
        }
        Integer horizon = b.horizonHours() != null ? b.horizonHours() : old == null ? null : old.horizonHours();
        if (kind == RuleKind.DISK_FULL && (horizon == null || horizon < 1 || horizon > 24 * 90)) {
            throw ApiException.badRequest("a disk_full rule needs horizonHours between 1 and 2160");
        }
        Scope scope = b.scope() != null ? Params.valid(() -> ScopeBody.toScope(b.scope())) : old != null ? old.scope() : Scope.ALL;
        if (scope.kind() == Scope.Kind.HOSTS) {
            Set<Long> known = new HashSet<>();
            hosts.findAll(scope.hostIds()).forEach(h -> known.add(h.id()));
            for (long h : scope.hostIds()) {
                if (!known.contains(h)) {
                    throw ApiException.badRequest("scope.hostIds: no host with id " + h);
                }
            }
        }
        List<Long> notifierIds = b.notifierIds() != null ? List.copyOf(new java.util.LinkedHashSet<>(b.notifierIds()))
                : old != null ? old.notifierIds() : List.of();
        Set<Long> existing = new HashSet<>();
        notifiers.findAll(notifierIds).forEach(n -> existing.add(n.id()));
        for (long n : notifierIds) {
            if (!existing.contains(n)) {
                throw ApiException.badRequest("notifierIds: no notifier with id " + n);
            }
        }
        int repeat = b.repeatMinutes() != null ? b.repeatMinutes() : old != null ? old.repeatMinutes() : 0;
        if (repeat < 0 || repeat > 7 * 24 * 60) {
            throw ApiException.badRequest("repeatMinutes must be between 0 (never) and 10080 (a week)");
        }
        String severity = b.severity() != null ? b.severity() : old != null ? old.severity() : "warning";
        if (!SEVERITIES.contains(severity)) {
            throw ApiException.badRequest("severity must be info, warning or critical, got '" + Params.cut(severity) + "'");
        }
        boolean enabled = b.enabled() != null ? b.enabled() : old == null || old.enabled();
        return new AlertRule(id, name, kind, condition, forMs, kind == RuleKind.DISK_FULL ? horizon : null, scope, notifierIds, repeat,
                severity, enabled, old != null && old.builtin(), 0, 0);
    }
}
