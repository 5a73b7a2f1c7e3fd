package dev.servmon.hub.metrics;

import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.hosts.HostView;
import dev.servmon.hub.hosts.Hosts;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;

/** Handlers of the metrics endpoints: the catalogue, a host's series, its charts and its history table. */
public final class MetricsHandlers {
    private final Hosts hosts;
    private final MetricsQuery query;
    private final HistoryQuery history;
    private final Clock clock;

    public MetricsHandlers(Hosts hosts, MetricsQuery query, HistoryQuery history, Clock clock) {
        this.hosts = hosts;
        this.query = query;
        this.history = history;
        this.clock = clock;
    }

    /** {@code GET /api/v1/metrics}: every metric name with its unit and what its instance is. */
    public void catalog(Context ctx) {
        ctx.json(MetricCatalog.all());
    }

    /** {@code GET /api/v1/hosts/{id}/series}: the series names a host has data for. */
    public void series(Context ctx) {
        ctx.json(query.names(existingHost(ctx).id()));
    }

    /** {@code GET /api/v1/hosts/{id}/metrics?names=&from=&to=&step=}. */
    public void metrics(Context ctx) {
        HostView host = existingHost(ctx);
        long id = host.id();
        var names = QueryParams.names(ctx.queryParams("names"), true);
        var range = QueryParams.range(ctx.queryParam("from"), ctx.queryParam("to"), clock.millis(), Duration.ofHours(1));
        long step = QueryParams.stepMs(ctx.queryParam("step"));
        try {
            long intervalMs = host.intervalSeconds() == null ? 0 : host.intervalSeconds() * 1000L;
            ctx.json(query.query(id, names, range.fromMs(), range.toMs(), step, intervalMs));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** {@code GET /api/v1/hosts/{id}/history?from=&to=&page=&size=&sort=&names=}. */
    public void history(Context ctx) {
        long id = existingHost(ctx).id();
        var names = QueryParams.names(ctx.queryParams("names"), false);
        var range = QueryParams.range(ctx.queryParam("from"), ctx.queryParam("to"), clock.millis(), Duration.ofHours(24));
        int page = QueryParams.integer("page", ctx.queryParam("page"), 0, 0, 1_000_000);
        int size = QueryParams.integer("size", ctx.queryParam("size"), 50, 1, HistoryQuery.MAX_PAGE_SIZE);
        boolean ascending = QueryParams.ascending(ctx.queryParam("sort"));
        ctx.json(history.page(id, names, range.fromMs(), range.toMs(), page, size, ascending));
    }

    private HostView existingHost(Context ctx) {
        long id = HostHandlers.id(ctx);
        return hosts.find(id, false).orElseThrow(() -> ApiException.notFound("no host with id " + id));
    }
}
