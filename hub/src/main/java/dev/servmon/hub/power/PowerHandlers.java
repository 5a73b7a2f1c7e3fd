package dev.servmon.hub.power;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.control.CommandChannel;
import dev.servmon.hub.control.CommandSender.WhenOffline;
import dev.servmon.hub.hosts.HostHandlers;
import dev.servmon.protocol.MagicPacket;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Power routes: shut down, reboot or suspend a host through its agent, wake it with
 * Wake-on-LAN, and its Wake-on-LAN settings.
 */
public final class PowerHandlers {
    /** What {@code POST /power} may ask; the agent runs {@code power.<action>}. */
    public static final Set<String> ACTIONS = Set.of("shutdown", "reboot", "suspend");
    /** A power command to an offline host waits at most this long unless the caller says otherwise. */
    private static final Duration DEFAULT_QUEUE_EXPIRY = Duration.ofMinutes(10);

    private final CommandChannel channel;
    private final Wakes wakes;
    private final PowerStore store;
    private final PowerSettings settings;
    private final ObjectMapper json;

    public PowerHandlers(CommandChannel channel, Wakes wakes, PowerStore store, PowerSettings settings, ObjectMapper json) {
        this.channel = channel;
        this.wakes = wakes;
        this.store = store;
        this.settings = settings;
        this.json = json;
    }

    /**
     * @param action shutdown, reboot or suspend
     * @param whenOffline {@code refuse} (default: 409 when the agent is not connected) or {@code queue}
     * @param expiresInSeconds with {@code queue}: how long the command may wait for the agent
     */
    record PowerRequest(String action, String whenOffline, Long expiresInSeconds) {}

    /** {@code POST /api/v1/hosts/{id}/power}: 202 with the command. */
    public void power(Context ctx) {
        long hostId = HostHandlers.id(ctx);
        var req = Json.read(json, ctx.bodyAsBytes(), PowerRequest.class);
        String action = req.action() == null ? "" : req.action().strip().toLowerCase(Locale.ROOT);
        if (!ACTIONS.contains(action)) {
            throw ApiException.badRequest("action must be shutdown, reboot or suspend, got '" + req.action() + "'");
        }
        WhenOffline when = whenOffline(req.whenOffline());
        Duration expiry = req.expiresInSeconds() == null ? DEFAULT_QUEUE_EXPIRY : Duration.ofSeconds(req.expiresInSeconds());
        var command = channel.submitCommand(hostId, "power." + action, json.createObjectNode(), when, expiry, AuthHandlers.principal(ctx));
        ctx.status(202).json(command);
    }

    /** {@code POST /api/v1/hosts/{id}/wake}: 202 with the wake's record, which shows its progress. */
    public void wake(Context ctx) {
        long hostId = HostHandlers.id(ctx);
        byte[] body = ctx.bodyAsBytes();
        var req = body.length == 0 ? new Wakes.Request(null, null, null, null, null) : Json.read(json, body, Wakes.Request.class);
        ctx.status(202).json(wakes.wake(hostId, req, AuthHandlers.principal(ctx)));
    }

    /** A host's Wake-on-LAN settings as shown, with the hub's defaults and whether its agent is connected. */
    record WolView(long hostId, String mac, String macSource, String broadcast, Integer port, String defaultBroadcast,
                   int defaultPort, boolean agentConnected) {}

    /** {@code GET /api/v1/hosts/{id}/wol}. */
    public void getWol(Context ctx) {
        ctx.json(view(HostHandlers.id(ctx)));
    }

    record WolUpdate(String mac, String broadcast, Integer port) {}

    /** {@code PUT /api/v1/hosts/{id}/wol} with {@code {mac, broadcast, port}}; null fields fall back to the inventory and the defaults. */
    public void putWol(Context ctx) {
        long hostId = HostHandlers.id(ctx);
        store.find(hostId).orElseThrow(() -> ApiException.notFound("no host with id " + hostId));
        var req = Json.read(json, ctx.bodyAsBytes(), WolUpdate.class);
        String mac = req.mac() == null || req.mac().isBlank() ? null : MagicPacket.format(mac(req.mac()));
        String broadcast = req.broadcast() == null || req.broadcast().isBlank() ? null : req.broadcast().strip();
        if (broadcast != null && !WakeOnLan.isIpv4(broadcast)) {
            throw ApiException.badRequest("broadcast must be an IPv4 address such as 192.168.1.255, got '" + broadcast + "'");
        }
        if (req.port() != null && (req.port() < 1 || req.port() > 65535)) {
            throw ApiException.badRequest("port must be between 1 and 65535, got " + req.port());
        }
        store.save(hostId, mac, broadcast, req.port());
        ctx.json(view(hostId));
    }

    /** {@code GET /api/v1/power/wakeable}: hosts whose MAC address is known, for the overview's Wake buttons. */
    public void wakeable(Context ctx) {
        List<PowerStore.Wol> all = store.wakeable();
        ctx.json(all.stream().map(w -> new Wakeable(w.hostId(), w.mac(), w.macSource())).toList());
    }

    record Wakeable(long hostId, String mac, String macSource) {}

    private WolView view(long hostId) {
        var w = store.find(hostId).orElseThrow(() -> ApiException.notFound("no host with id " + hostId));
        return new WolView(hostId, w.mac(), w.macSource(), w.broadcast(), w.port(), settings.wolBroadcast(), settings.wolPort(),
                channel.isConnected(hostId));
    }

    /** A MAC address from a request; 400 saying how to write one. */
    static byte[] mac(String text) {
        try {
            return MagicPacket.parseMac(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("mac: " + e.getMessage());
        }
    }

    private static WhenOffline whenOffline(String raw) {
        if (raw == null || raw.equalsIgnoreCase("refuse")) {
            return WhenOffline.REFUSE;
        }
        if (raw.equalsIgnoreCase("queue")) {
            return WhenOffline.QUEUE;
        }
        throw ApiException.badRequest("whenOffline must be \"refuse\" (409 when the agent is not connected) or \"queue\" "
                + "(deliver when it connects, until expiresInSeconds), got '" + raw + "'");
    }
}
