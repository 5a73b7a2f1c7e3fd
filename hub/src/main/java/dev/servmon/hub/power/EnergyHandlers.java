package dev.servmon.hub.power;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.hub.hosts.HostScope;
import dev.servmon.hub.hosts.HostView;
import dev.servmon.hub.hosts.Hosts;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/energy} (the report) and {@code PUT /api/v1/hosts/{id}/energy} (nominal watts). */
public final class EnergyHandlers {
    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 400;
    /** Assumed for a host that never said how often it reports (it has no samples then, so this rarely matters). */
    private static final int DEFAULT_INTERVAL_SECONDS = 10;
    private static final double MAX_NOMINAL_WATTS = 100_000;

    private final EnergyReport report;
    private final EnergyStore store;
    private final Hosts hosts;
    private final HostScope scope;
    private final PowerSettings settings;
    private final ObjectMapper json;
    private final Clock clock;

    public EnergyHandlers(EnergyReport report, EnergyStore store, Hosts hosts, HostScope scope, PowerSettings settings, ObjectMapper json,
                          Clock clock) {
        this.report = report;
        this.store = store;
        this.hosts = hosts;
        this.scope = scope;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    /** Fleet totals over the period. */
    record Totals(double kwh, double cost, double hoursOn, double savedKwh, double savedCost, double savedHoursOff) {}

    record Report(long fromMs, long toMs, String timeZone, double pricePerKwh, String currency, List<EnergyReport.HostEnergy> hosts,
                  Totals totals) {}

    /**
     * {@code GET /api/v1/energy?from&to&tz&host}: from and to as dates (YYYY-MM-DD, both
     * included) or epoch ms; default the last {@value #DEFAULT_DAYS} days up to now; tz an IANA
     * zone for day boundaries (default UTC); host one host id (default every host the caller sees).
     */
    public void get(Context ctx) {
        ZoneId zone = zone(ctx.queryParam("tz"));
        long now = clock.millis();
        LocalDate today = Instant.ofEpochMilli(now).atZone(zone).toLocalDate();
        long from = bound(ctx.queryParam("from"), "from", zone, false, today.minusDays(DEFAULT_DAYS - 1L).atStartOfDay(zone).toInstant().toEpochMilli());
        long to = bound(ctx.queryParam("to"), "to", zone, true, now);
        if (to <= from) {
            throw ApiException.badRequest("to must be after from");
        }
        if (to - from > MAX_DAYS * 86_400_000L) {
            throw ApiException.badRequest("the period is at most " + MAX_DAYS + " days");
        }
        var p = AuthHandlers.principal(ctx);
        List<HostView> chosen;
        String host = ctx.queryParam("host");
        if (host != null && !host.isBlank()) {
            long id = ScheduleHandlers.hostId(host);
            HostView h = hosts.find(id, false).filter(v -> scope.allows(p.scope(), v.id()))
                    .orElseThrow(() -> ApiException.notFound("no host with id " + id));
            chosen = List.of(h);
        } else {
            chosen = scope.visible(p.scope(), hosts.list());
        }
        Map<Long, Double> nominal = store.nominalWatts();
        double price = settings.energyPricePerKwh();
        List<EnergyReport.HostEnergy> out = new ArrayList<>();
        double kwh = 0;
        double hoursOn = 0;
        double savedKwh = 0;
        double savedHours = 0;
        for (HostView h : chosen) {
            int interval = h.intervalSeconds() == null ? DEFAULT_INTERVAL_SECONDS : h.intervalSeconds();
            var e = report.host(h.id(), h.name(), interval, nominal.get(h.id()), from, to, now, zone, price);
            out.add(e);
            kwh += e.kwh();
            hoursOn += e.hoursOn();
            savedKwh += e.saved().kwh();
            savedHours += e.saved().hoursOff();
        }
        ctx.json(new Report(from, to, zone.getId(), price, settings.energyCurrency(), out,
                new Totals(kwh, kwh * price, hoursOn, savedKwh, savedKwh * price, savedHours)));
    }

    record NominalBody(Double nominalWatts) {}

    /** {@code PUT /api/v1/hosts/{id}/energy} with {@code {nominalWatts}} (null removes it): the host's draw when it has no sensor. */
    public void put(Context ctx) {
        long id = HostHandlers.id(ctx);
        hosts.find(id, false).orElseThrow(() -> ApiException.notFound("no host with id " + id));
        var b = Json.read(json, ctx.bodyAsBytes(), NominalBody.class);
        Double w = b.nominalWatts();
        if (w != null && !(w > 0 && w <= MAX_NOMINAL_WATTS)) {
            throw ApiException.badRequest("nominalWatts must be above 0 and at most " + (long) MAX_NOMINAL_WATTS + " (or null to remove it), got " + w);
        }
        store.setNominalWatts(id, w);
        ctx.json(b);
    }

    private static long bound(String raw, String name, ZoneId zone, boolean end, long fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        String t = raw.strip();
        try {
            if (t.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(t);
            }
            LocalDate day = LocalDate.parse(t);
            return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a date (YYYY-MM-DD) or epoch milliseconds, got '" + raw + "'");
        }
    }

    private static ZoneId zone(String raw) {
        if (raw == null || raw.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(raw.strip());
        } catch (DateTimeException e) {
            throw ApiException.badRequest("tz must be an IANA time zone such as Europe/Berlin or UTC, got '" + raw + "'");
        }
    }
}
