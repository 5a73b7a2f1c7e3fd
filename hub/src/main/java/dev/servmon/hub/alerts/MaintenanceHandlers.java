package dev.servmon.hub.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.AuthHandlers;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Handlers of {@code /api/v1/maintenance-windows}. */
public final class MaintenanceHandlers {
    private final MaintenanceWindows windows;
    private final ObjectMapper json;
    private final java.time.Clock clock;
    private final Runnable onChange;

    public MaintenanceHandlers(MaintenanceWindows windows, ObjectMapper json, java.time.Clock clock, Runnable onChange) {
        this.windows = windows;
        this.json = json;
        this.clock = clock;
        this.onChange = onChange;
    }

    /** A window as sent and shown: one-off by {@code startsAtMs}/{@code endsAtMs}, recurring by the rest. */
    record WindowBody(Long id, String name, ScopeBody scope, Long startsAtMs, Long endsAtMs, List<String> days, String startTime,
                      Integer durationMinutes, String timeZone, String createdBy, Long createdAtMs, Boolean activeNow, Long activeUntilMs) {}

    public void list(Context ctx) {
        Instant now = clock.instant();
        ctx.json(windows.list().stream().map(w -> view(w, now)).toList());
    }

    public void create(Context ctx) {
        MaintenanceWindow saved = windows.insert(window(ctx, 0), clock.millis());
        onChange.run();
        ctx.status(201).json(view(saved, clock.instant()));
    }

    /** Replaces a window's settings (who made it and when stay). */
    public void update(Context ctx) {
        long id = Params.id(ctx, "maintenance window");
        MaintenanceWindow w = window(ctx, id);
        if (!windows.update(w)) {
            throw ApiException.notFound("no maintenance window with id " + id);
        }
        onChange.run();
        ctx.json(view(windows.find(id).orElseThrow(), clock.instant()));
    }

    /** The window the body describes; 400 on anything invalid. */
    private MaintenanceWindow window(Context ctx, long id) {
        WindowBody b = Json.read(json, ctx.bodyAsBytes(), WindowBody.class);
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (b.days() != null) {
            for (String d : b.days()) {
                days.add(Params.valid(() -> MaintenanceWindows.day(d)));
            }
        }
        LocalTime start = null;
        if (b.startTime() != null) {
            try {
                start = LocalTime.parse(b.startTime().strip());
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("startTime must be HH:MM (24-hour), got '" + Params.cut(b.startTime()) + "'");
            }
        }
        ZoneId zone = null;
        if (b.timeZone() != null) {
            try {
                zone = ZoneId.of(b.timeZone().strip());
            } catch (DateTimeException e) {
                throw ApiException.badRequest("timeZone must be a zone id like Europe/Berlin or UTC, got '" + Params.cut(b.timeZone()) + "'");
            }
        }
        LocalTime startTime = start;
        ZoneId z = zone;
        return Params.valid(() -> new MaintenanceWindow(id, Params.text(b.name(), "name", 100, true),
                ScopeBody.toScope(b.scope()), b.startsAtMs(), b.endsAtMs(), days, startTime, b.durationMinutes(), z,
                AuthHandlers.principal(ctx).user().username(), 0));
    }

    public void delete(Context ctx) {
        long id = Params.id(ctx, "maintenance window");
        if (!windows.delete(id)) {
            throw ApiException.notFound("no maintenance window with id " + id);
        }
        onChange.run();
        ctx.status(204);
    }

    private static WindowBody view(MaintenanceWindow w, Instant now) {
        Instant until = w.endOfOccurrence(now);
        return new WindowBody(w.id(), w.name(), ScopeBody.of(w.scope()), w.startsAtMs(), w.endsAtMs(),
                w.recurring() ? MaintenanceWindows.dayNames(w.days()) : null, w.startTime() == null ? null : w.startTime().toString(),
                w.durationMinutes(), w.zone() == null ? null : w.zone().getId(), w.createdBy(), w.createdAtMs(), until != null,
                until == null ? null : until.toEpochMilli());
    }
}
