package dev.servmon.hub.power;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.control.CommandChannel;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.hosts.Hosts;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Locale;

/** {@code GET/PUT /api/v1/hosts/{id}/idle-policy}. */
public final class IdlePolicyHandlers {
    private final IdlePolicyStore store;
    private final Hosts hosts;
    private final ObjectMapper json;
    private final Clock clock;

    public IdlePolicyHandlers(IdlePolicyStore store, Hosts hosts, ObjectMapper json, Clock clock) {
        this.store = store;
        this.hosts = hosts;
        this.json = json;
        this.clock = clock;
    }

    /** The policy as sent: protected hours as HH:MM with an IANA timeZone, or both null. */
    record PolicyBody(Boolean enabled, Double cpuBelowPercent, Integer noUsersMinutes, String action, Boolean useMaintenanceWindows,
                      String protectedFrom, String protectedTo, String timeZone) {}

    /**
     * The policy as shown. {@code state}: {@code off}, {@code watching}, or
     * {@code waiting-for-off} / {@code waiting-for-on} after it acted.
     */
    record PolicyView(long hostId, boolean enabled, double cpuBelowPercent, int noUsersMinutes, String action, boolean useMaintenanceWindows,
                      String protectedFrom, String protectedTo, String timeZone, String state, Long actedAtMs, String updatedBy,
                      Long updatedAtMs) {}

    public void get(Context ctx) {
        long id = HostHandlers.id(ctx);
        hosts.find(id, false).orElseThrow(() -> ApiException.notFound("no host with id " + id));
        ctx.json(view(store.find(id).orElse(IdlePolicy.defaults(id))));
    }

    public void put(Context ctx) {
        long id = HostHandlers.id(ctx);
        hosts.find(id, false).orElseThrow(() -> ApiException.notFound("no host with id " + id));
        var b = Json.read(json, ctx.bodyAsBytes(), PolicyBody.class);
        IdlePolicy d = IdlePolicy.defaults(id);
        IdlePolicy p;
        try {
            p = new IdlePolicy(id, Boolean.TRUE.equals(b.enabled()), b.cpuBelowPercent() == null ? d.cpuBelowPercent() : b.cpuBelowPercent(),
                    b.noUsersMinutes() == null ? d.noUsersMinutes() : b.noUsersMinutes(),
                    b.action() == null ? d.action() : b.action().strip().toLowerCase(Locale.ROOT),
                    b.useMaintenanceWindows() == null || b.useMaintenanceWindows(),
                    ScheduleHandlers.time(b.protectedFrom()), ScheduleHandlers.time(b.protectedTo()), ScheduleHandlers.zone(b.timeZone()),
                    null, null, CommandChannel.requester(AuthHandlers.principal(ctx)), clock.millis());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        store.save(p);
        ctx.json(view(store.find(id).orElseThrow()));
    }

    private static PolicyView view(IdlePolicy p) {
        String state = !p.enabled() ? "off" : p.actedAtMs() == null ? "watching" : p.offSeenAtMs() == null ? "waiting-for-off" : "waiting-for-on";
        return new PolicyView(p.hostId(), p.enabled(), p.cpuBelowPercent(), p.noUsersMinutes(), p.action(), p.useMaintenanceWindows(),
                p.protectedFrom() == null ? null : p.protectedFrom().toString(), p.protectedTo() == null ? null : p.protectedTo().toString(),
                p.zone() == null ? null : p.zone().getId(), state, p.actedAtMs(), p.updatedBy(), p.updatedAtMs() == 0 ? null : p.updatedAtMs());
    }
}
