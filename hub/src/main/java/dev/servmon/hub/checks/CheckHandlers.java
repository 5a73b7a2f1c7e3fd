package dev.servmon.hub.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.metrics.QueryParams;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Handlers of {@code /api/v1/checks} and of a host's place on the status page. */
public final class CheckHandlers {
    /** A response-time series has at most this many points. */
    static final int MAX_POINTS = 300;

    private final Checks checks;
    private final ObjectMapper json;

    public CheckHandlers(Checks checks, ObjectMapper json) {
        this.checks = checks;
        this.json = json;
    }

    /** Results in a range, newest first, plus uptime and a bucketed series for charts. */
    public record ResultsPage(long checkId, long fromMs, long toMs, Double uptime24h, Double uptime30d, Double uptimeInRange,
                              boolean truncated, List<CheckResult> results, Series series) {}

    /**
     * Buckets of {@code stepMs} from {@code fromMs}: average response time and the share of UP
     * results (0..100) in each; null where a bucket has no results.
     */
    public record Series(long stepMs, List<Long> timestamps, List<Double> responseMs, List<Double> uptime) {}

    /** {@code GET /api/v1/checks[?hostId=3]}. */
    public void list(Context ctx) {
        String host = ctx.queryParam("hostId");
        ctx.json(checks.list(host == null || host.isBlank() ? null : positive("hostId", host)));
    }

    public void create(Context ctx) {
        ctx.status(201).json(checks.create(Json.read(json, ctx.bodyAsBytes(), CheckInput.class)));
    }

    public void get(Context ctx) {
        ctx.json(checks.view(id(ctx)));
    }

    /** {@code PUT}: the whole check, as on create; send the password back as {@code ********} to keep it. */
    public void update(Context ctx) {
        long id = id(ctx);
        ctx.json(checks.update(id, Json.read(json, ctx.bodyAsBytes(), CheckInput.class)));
    }

    public void delete(Context ctx) {
        checks.delete(id(ctx));
        ctx.status(204);
    }

    /** {@code POST /api/v1/checks/{id}/run}: runs it now, answers the stored result. */
    public void run(Context ctx) {
        ctx.json(checks.runNow(id(ctx)));
    }

    /** {@code GET /api/v1/checks/{id}/results?from=&to=} (default: the last 24 h). */
    public void results(Context ctx) {
        long id = id(ctx);
        checks.check(id);
        var clock = checks.clock();
        var range = QueryParams.range(ctx.queryParam("from"), ctx.queryParam("to"), clock.millis(), Duration.ofHours(24));
        CheckStore store = checks.store();
        List<CheckResult> rows = store.results(id, range.fromMs(), range.toMs(), CheckStore.MAX_RESULTS + 1);
        boolean truncated = rows.size() > CheckStore.MAX_RESULTS;
        if (truncated) {
            rows = rows.subList(0, CheckStore.MAX_RESULTS);
        }
        long span = range.toMs() - range.fromMs();
        long step = Math.max(1_000L, ((span + MAX_POINTS - 1) / MAX_POINTS + 999) / 1000 * 1000);
        var buckets = store.buckets(id, range.fromMs(), range.toMs(), step);
        List<Long> at = new ArrayList<>();
        List<Double> ms = new ArrayList<>();
        List<Double> up = new ArrayList<>();
        long total = 0;
        long upCount = 0;
        for (var b : buckets) {
            at.add(b.atMs());
            ms.add(b.responseMs());
            up.add(CheckStore.Uptime.percent(b.up(), b.total()));
            total += b.total();
            upCount += b.up();
        }
        var uptime = store.uptime(id, clock.millis());
        ctx.json(new ResultsPage(id, range.fromMs(), range.toMs(), uptime.percent24h(), uptime.percent30d(),
                CheckStore.Uptime.percent(upCount, total), truncated, rows, new Series(step, at, ms, up)));
    }

    /** {@code GET /api/v1/hosts/{id}/public}: whether the host is on the status page. */
    public void hostPublic(Context ctx) {
        long id = HostHandlers.id(ctx);
        ctx.json(Map.of("hostId", id, "public", checks.store().isPublicHost(id)));
    }

    /** {@code PUT /api/v1/hosts/{id}/public} with {@code {"public": true}}. */
    public void setHostPublic(Context ctx) {
        long id = HostHandlers.id(ctx);
        var body = Json.read(json, ctx.bodyAsBytes(), JsonNode.class);
        var flag = body.get("public");
        if (flag == null || !flag.isBoolean()) {
            throw ApiException.badRequest("send {\"public\": true} or {\"public\": false}");
        }
        if (!checks.store().setPublicHost(id, flag.asBoolean())) {
            throw ApiException.notFound("no host with id " + id);
        }
        ctx.json(Map.of("hostId", id, "public", flag.asBoolean()));
    }

    static long id(Context ctx) {
        return positive("check id", ctx.pathParam("id"));
    }

    private static long positive(String what, String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // fall through to the 400 below
        }
        throw ApiException.badRequest(what + " must be a positive integer, got '" + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw) + "'");
    }
}
