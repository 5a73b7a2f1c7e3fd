package dev.servmon.hub.checks;

import dev.servmon.hub.hosts.HostView;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.web.DashboardFiles;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The public status page: {@code GET /status} (HTML, no login) and {@code GET /api/v1/status}
 * (its JSON). Only checks and hosts marked public, and of them only their name, up/down, uptime
 * and a 90-day bar — never a target, URL, host id, value or message, which could tell a stranger
 * about the inside of the network.
 */
public final class StatusPage {
    public static final int DAYS = 90;
    private static final long DAY_MS = 86_400_000L;
    private static final String PAGE = "/status.html";

    private final Checks checks;
    private final Hosts hosts;
    private final DashboardFiles dashboard;

    /** @param dashboard serves the page itself, web/status.html */
    public StatusPage(Checks checks, Hosts hosts, DashboardFiles dashboard) {
        this.checks = checks;
        this.hosts = hosts;
        this.dashboard = dashboard;
        if (!dashboard.paths().contains(PAGE)) {
            throw new IllegalStateException("the status page web" + PAGE + " is missing from the hub's classpath");
        }
    }

    /**
     * A public check: {@code up} is null before its first result; {@code days} holds the
     * uptime percentage of each UTC day, oldest first, null for days without results.
     */
    public record PublicCheck(String name, Boolean up, Double uptime24h, Double uptime30d, List<Double> days) {}

    /** A public host: its name and ON, OFF or EMPTY. */
    public record PublicHost(String name, String status) {}

    public record Status(long generatedAtMs, long firstDayStartMs, List<PublicCheck> checks, List<PublicHost> hosts) {}

    /** {@code GET /status}. */
    public void html(Context ctx) {
        dashboard.serve(ctx, PAGE);
    }

    /** {@code GET /api/v1/status}. */
    public void json(Context ctx) {
        ctx.header("Cache-Control", "no-cache").json(status());
    }

    Status status() {
        CheckStore store = checks.store();
        long now = checks.clock().millis();
        long firstDay = Math.floorDiv(now, DAY_MS) * DAY_MS - (DAYS - 1) * DAY_MS;
        List<Check> shown = store.listPublic();
        Map<Long, CheckResult> last = store.latest(shown.stream().map(Check::id).toList());
        List<PublicCheck> out = new ArrayList<>();
        for (Check c : shown) {
            Double[] days = new Double[DAYS];
            for (var b : store.buckets(c.id(), firstDay, now, DAY_MS)) {
                int i = (int) ((b.atMs() - firstDay) / DAY_MS);
                if (i >= 0 && i < DAYS) {
                    days[i] = CheckStore.Uptime.percent(b.up(), b.total());
                }
            }
            var uptime = store.uptime(c.id(), now);
            CheckResult r = last.get(c.id());
            out.add(new PublicCheck(c.name(), r == null ? null : r.up(), uptime.percent24h(), uptime.percent30d(), Arrays.asList(days)));
        }
        List<PublicHost> shownHosts = hosts.findAll(store.publicHostIds()).stream()
                .sorted(java.util.Comparator.comparing(HostView::name, String.CASE_INSENSITIVE_ORDER))
                .map(h -> new PublicHost(h.name(), h.status().name())).toList();
        return new Status(now, firstDay, out, shownHosts);
    }
}
