package dev.servmon.hub.power;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.alerts.MaintenanceWindows;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.api.PathIds;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.auth.Principal;
import dev.servmon.hub.control.CommandChannel;
import dev.servmon.hub.hosts.HostScope;
import dev.servmon.hub.hosts.HostTags;
import dev.servmon.hub.hosts.HostView;
import dev.servmon.hub.hosts.Hosts;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code /api/v1/power/schedules}: viewers read, operators change. A user limited to some host
 * tags sees and edits only schedules of hosts they may see and of their own tags.
 */
public final class ScheduleHandlers {
    private static final int MAX_TAG_CHARS = 64;

    private final ScheduleStore store;
    private final Hosts hosts;
    private final HostTags tags;
    private final HostScope scope;
    private final ObjectMapper json;
    private final java.time.Clock clock;

    public ScheduleHandlers(ScheduleStore store, Hosts hosts, HostTags tags, ObjectMapper json, java.time.Clock clock) {
        this.store = store;
        this.hosts = hosts;
        this.tags = tags;
        this.scope = new HostScope(tags);
        this.json = json;
        this.clock = clock;
    }

    /** A schedule as sent: one of hostId or tag; days as MON…SUN; time as HH:MM; enabled defaults to true. */
    record ScheduleBody(Long hostId, String tag, String action, List<String> days, String time, String timeZone, Boolean enabled) {}

    /** A schedule as shown, with its host's name and its next occurrence. */
    record ScheduleView(long id, Long hostId, String hostName, String tag, String action, List<String> days, String time, String timeZone,
                        boolean enabled, long lastRunAtMs, String lastOutcome, Long nextRunAtMs, String createdBy, long createdAtMs) {}

    /** {@code GET /api/v1/power/schedules[?host=ID]}: the schedules, those of one host (directly or by a tag it carries) with {@code host}. */
    public void list(Context ctx) {
        Principal p = AuthHandlers.principal(ctx);
        String hostParam = ctx.queryParam("host");
        Long host = hostParam == null || hostParam.isBlank() ? null : hostId(hostParam);
        List<String> hostTags = host == null ? List.of() : tags.of(host);
        Instant now = clock.instant();
        ctx.json(store.list().stream()
                .filter(s -> visible(p, s))
                .filter(s -> host == null || host.equals(s.hostId()) || (s.tag() != null && hostTags.contains(s.tag())))
                .map(s -> view(s, now)).toList());
    }

    /** {@code POST /api/v1/power/schedules}: 201 with the schedule. */
    public void create(Context ctx) {
        Principal p = AuthHandlers.principal(ctx);
        var b = Json.read(json, ctx.bodyAsBytes(), ScheduleBody.class);
        long now = clock.millis();
        // Occurrences before now never fire: a schedule made at noon for 08:00 waits for tomorrow.
        PowerSchedule s = schedule(0, b, now, CommandChannel.requester(p), now);
        requireVisible(p, s);
        ctx.status(201).json(view(store.insert(s), clock.instant()));
    }

    /** {@code PUT /api/v1/power/schedules/{id}}: the whole schedule; occurrences before the edit never fire. */
    public void update(Context ctx) {
        Principal p = AuthHandlers.principal(ctx);
        PowerSchedule old = existing(ctx, p);
        var b = Json.read(json, ctx.bodyAsBytes(), ScheduleBody.class);
        long now = clock.millis();
        PowerSchedule s = schedule(old.id(), b, Math.max(now, old.lastRunAtMs()), old.createdBy(), old.createdAtMs());
        requireVisible(p, s);
        if (!store.update(s)) {
            throw ApiException.notFound("no power schedule with id " + old.id());
        }
        ctx.json(view(store.find(old.id()).orElseThrow(), clock.instant()));
    }

    /** {@code DELETE /api/v1/power/schedules/{id}}: 204. */
    public void delete(Context ctx) {
        PowerSchedule s = existing(ctx, AuthHandlers.principal(ctx));
        store.delete(s.id());
        ctx.status(204);
    }

    private PowerSchedule existing(Context ctx, Principal p) {
        long id = PathIds.of(ctx, "schedule");
        return store.find(id).filter(s -> visible(p, s)).orElseThrow(() -> ApiException.notFound("no power schedule with id " + id));
    }

    private PowerSchedule schedule(long id, ScheduleBody b, long lastRunAtMs, String createdBy, long createdAtMs) {
        String tag = b.tag() == null || b.tag().isBlank() ? null : b.tag().strip();
        if (tag != null && tag.length() > MAX_TAG_CHARS) {
            throw ApiException.badRequest("tag must be at most " + MAX_TAG_CHARS + " characters");
        }
        if (b.hostId() != null && hosts.find(b.hostId(), false).isEmpty()) {
            throw ApiException.badRequest("hostId " + b.hostId() + " is not a host");
        }
        String action = b.action() == null ? null : b.action().strip().toLowerCase(Locale.ROOT);
        try {
            return new PowerSchedule(id, b.hostId(), tag, action, days(b.days()), time(b.time()), zone(b.timeZone()),
                    b.enabled() == null || b.enabled(), lastRunAtMs, null, createdBy, createdAtMs);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static Set<DayOfWeek> days(List<String> days) {
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String d : days == null ? List.<String>of() : days) {
            out.add(MaintenanceWindows.day(d));
        }
        return out;
    }

    /** HH:MM as a local time; 400 saying how to write one. */
    static LocalTime time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalTime.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("time must be HH:MM (24-hour clock), got '" + text + "'");
        }
    }

    /** An IANA zone; 400 saying what one looks like. */
    static ZoneId zone(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw ApiException.badRequest("timeZone must be an IANA time zone such as Europe/Berlin or UTC, got '" + text + "'");
        }
    }

    private boolean visible(Principal p, PowerSchedule s) {
        Set<String> limit = p.scope();
        if (limit.isEmpty()) {
            return true;
        }
        return s.hostId() != null ? scope.allows(limit, s.hostId()) : limit.contains(s.tag());
    }

    private void requireVisible(Principal p, PowerSchedule s) {
        if (!visible(p, s)) {
            throw s.hostId() != null ? ApiException.badRequest("hostId " + s.hostId() + " is not a host")
                    : new ApiException(403, "you may only schedule hosts with your own tags " + p.scope() + ", not tag " + s.tag());
        }
    }

    /** The {@code host} query parameter as a host id; 400 otherwise. */
    static long hostId(String raw) {
        try {
            return Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("host must be a host id, got '" + raw + "'");
        }
    }

    private ScheduleView view(PowerSchedule s, Instant now) {
        String hostName = s.hostId() == null ? null : hosts.find(s.hostId(), false).map(HostView::name).orElse(null);
        return new ScheduleView(s.id(), s.hostId(), hostName, s.tag(), s.action(),
                s.days().stream().sorted().map(d -> d.name().substring(0, 3)).toList(), s.time().toString(), s.zone().getId(),
                s.enabled(), s.lastRunAtMs(), s.lastOutcome(), s.enabled() ? s.nextOccurrence(now).toEpochMilli() : null,
                s.createdBy(), s.createdAtMs());
    }
}
