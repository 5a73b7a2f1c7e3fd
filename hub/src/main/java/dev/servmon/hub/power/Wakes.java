package dev.servmon.hub.power;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.auth.Principal;
import dev.servmon.hub.control.Command;
import dev.servmon.hub.control.CommandChannel;
import dev.servmon.hub.control.CommandSender.WhenOffline;
import dev.servmon.hub.control.CommandState;
import dev.servmon.hub.hosts.HostStatus;
import dev.servmon.hub.hosts.HostView;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.protocol.MagicPacket;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-on-LAN with progress. A wake is a command in the target host's history
 * ({@value #WAKE}) that the hub runs itself: ACKED ("waking") once the magic packet went out —
 * from the hub, or from a relay agent on the target's LAN through a {@value #RELAY} command —
 * SUCCEEDED when the host reports, FAILED when it does not within the wake timeout or the
 * packet could not be sent. {@link #check} (every few seconds, any replica: each change happens
 * once) moves them along.
 */
public final class Wakes {
    private static final Logger log = LoggerFactory.getLogger(Wakes.class);
    public static final String WAKE = "power.wake";
    public static final String RELAY = "wol.relay";
    /** A relay agent must take the command within this; it is on, so it usually does in milliseconds. */
    private static final Duration RELAY_EXPIRY = Duration.ofMinutes(1);

    private final CommandChannel channel;
    private final PowerStore store;
    private final Hosts hosts;
    private final PowerSettings settings;
    private final Clock clock;
    private final ObjectMapper json;

    public Wakes(CommandChannel channel, PowerStore store, Hosts hosts, PowerSettings settings, Clock clock, ObjectMapper json) {
        this.channel = channel;
        this.store = store;
        this.hosts = hosts;
        this.settings = settings;
        this.clock = clock;
        this.json = json;
        channel.hubRuns(WAKE);
        channel.onFinished(this::relayFinished);
    }

    /**
     * A wake request.
     *
     * @param via {@code hub} (default) or {@code agent}
     * @param relayHostId with {@code agent}: the host whose agent sends the packet on the target's LAN
     * @param mac the MAC to wake (saved as the host's); null for the one entered before or reported in the inventory
     * @param broadcast null for the host's own or the default
     * @param port null for the host's own or the default
     */
    public record Request(String via, Long relayHostId, String mac, String broadcast, Integer port) {}

    /** Starts a wake of {@code hostId}; returns its record. */
    public Command wake(long hostId, Request req, Principal by) {
        return wake(hostId, req, CommandChannel.requester(by));
    }

    /** A wake on behalf of {@code requestedBy} as the history shows it (e.g. {@code "schedule #3"}). */
    public Command wake(long hostId, Request req, String by) {
        HostView target = hosts.find(hostId, false).orElseThrow(() -> ApiException.notFound("no host with id " + hostId));
        String via = req.via() == null ? "hub" : req.via();
        if (!via.equals("hub") && !via.equals("agent")) {
            throw ApiException.badRequest("via must be \"hub\" (the hub sends the magic packet) or \"agent\" (an agent on the host's LAN does), got \""
                    + via + "\"");
        }
        PowerStore.Wol wol = store.find(hostId).orElseThrow(() -> ApiException.notFound("no host with id " + hostId));
        String mac;
        if (req.mac() != null && !req.mac().isBlank()) {
            mac = MagicPacket.format(PowerHandlers.mac(req.mac()));
        } else if (wol.mac() != null) {
            mac = wol.mac();
        } else {
            throw ApiException.badRequest("no MAC address is known for host " + target.name()
                    + ": its agent has not reported a network card yet; enter the MAC address (\"mac\")");
        }
        if (req.broadcast() != null && !WakeOnLan.isIpv4(req.broadcast())) {
            throw ApiException.badRequest("broadcast must be an IPv4 address such as 192.168.1.255, got '" + req.broadcast() + "'");
        }
        if (req.port() != null && (req.port() < 1 || req.port() > 65535)) {
            throw ApiException.badRequest("port must be between 1 and 65535, got " + req.port());
        }
        if (via.equals("agent") && req.relayHostId() == null) {
            throw ApiException.badRequest("a wake via an agent needs relayHostId: an ON host on the same LAN as " + target.name());
        }
        if (via.equals("agent") && req.relayHostId() == hostId) {
            throw ApiException.badRequest("a host cannot relay its own wake: choose another ON host on its LAN");
        }
        if (target.status() == HostStatus.ON) {
            throw new ApiException(409, "host " + target.name() + " is ON already");
        }
        if (!mac.equals(wol.mac())) {
            store.save(hostId, mac, wol.broadcast(), wol.port());
        }
        int port = req.port() != null ? req.port() : wol.port() != null ? wol.port() : settings.wolPort();
        ObjectNode args = json.createObjectNode().put("via", via).put("mac", mac).put("port", port);
        if (via.equals("hub")) {
            String broadcast = req.broadcast() != null ? req.broadcast() : wol.broadcast() != null ? wol.broadcast() : settings.wolBroadcast();
            args.put("broadcast", broadcast);
            try {
                WakeOnLan.send(MagicPacket.parseMac(mac), broadcast, port);
            } catch (UncheckedIOException e) {
                log.warn("wake of host {} failed: {}", hostId, e.getMessage());
                return channel.record(hostId, WAKE, args, CommandState.FAILED, "failed: " + e.getMessage(), settings.wakeTimeout(), by);
            }
            log.info("wake host={} mac={} via hub to {}:{}", hostId, mac, broadcast, port);
            return channel.record(hostId, WAKE, args, CommandState.ACKED,
                    "waking: magic packet sent by the hub to " + broadcast + ":" + port + "; waiting for the host to report", settings.wakeTimeout(), by);
        }
        HostView relay = hosts.find(req.relayHostId(), false)
                .orElseThrow(() -> ApiException.badRequest("relayHostId " + req.relayHostId() + " is not a host"));
        // On the relay's LAN the limited broadcast is right unless a broadcast was given for this host.
        String broadcast = req.broadcast() != null ? req.broadcast() : wol.broadcast() != null ? wol.broadcast() : MagicPacket.DEFAULT_BROADCAST;
        args.put("broadcast", broadcast).put("relayHostId", relay.id()).put("relayHostName", relay.name());
        Command wake = channel.record(hostId, WAKE, args, CommandState.ACKED,
                "waking: asking " + relay.name() + " to send the magic packet", settings.wakeTimeout(), by);
        ObjectNode relayArgs = json.createObjectNode().put("mac", mac).put("broadcast", broadcast).put("port", port).put("wakeId", wake.id());
        try {
            channel.submitCommand(relay.id(), RELAY, relayArgs, WhenOffline.REFUSE, RELAY_EXPIRY, by);
        } catch (ApiException e) {
            channel.transition(wake.id(), List.of(CommandState.ACKED), CommandState.FAILED, "failed: " + e.getMessage());
            throw e;
        }
        log.info("wake host={} mac={} via agent of host {} to {}:{}", hostId, mac, relay.id(), broadcast, port);
        return channel.get(wake.id());
    }

    /** A relay command ended: the wake it serves learns whether the packet went out. */
    private void relayFinished(Command relay) {
        if (!relay.type().equals(RELAY) || !relay.args().hasNonNull("wakeId")) {
            return;
        }
        String wakeId = relay.args().get("wakeId").asText();
        String relayName = hosts.find(relay.hostId(), false).map(HostView::name).orElse("host " + relay.hostId());
        if (relay.state() == CommandState.SUCCEEDED) {
            channel.transition(wakeId, List.of(CommandState.ACKED), CommandState.ACKED,
                    "waking: magic packet sent by " + relayName + " to " + relay.args().path("broadcast").asText() + ":"
                            + relay.args().path("port").asText() + "; waiting for the host to report");
        } else {
            channel.transition(wakeId, List.of(CommandState.ACKED), CommandState.FAILED,
                    "failed: " + relayName + " could not send the magic packet (" + relay.message() + ")");
        }
    }

    /** Wakes whose host reported succeed; those past the wake timeout fail. */
    public void check() {
        try {
            long now = clock.millis();
            for (Command w : channel.openCommands(WAKE, CommandState.ACKED)) {
                var host = hosts.find(w.hostId(), false);
                Long seen = host.map(HostView::lastSeenAtMs).orElse(null);
                if (seen != null && seen >= w.createdAtMs()) {
                    channel.transition(w.id(), List.of(CommandState.ACKED), CommandState.SUCCEEDED,
                            "woke: the host reported " + Math.max(0, (seen - w.createdAtMs()) / 1000) + " s after the wake");
                } else if (now - w.createdAtMs() >= settings.wakeTimeout().toMillis()) {
                    channel.transition(w.id(), List.of(CommandState.ACKED), CommandState.FAILED,
                            "did not wake: no report within " + settings.wakeTimeout().toSeconds() + " s (is Wake-on-LAN enabled in its "
                                    + "firmware and OS, and does the broadcast reach its LAN?)");
                }
            }
        } catch (RuntimeException e) {
            log.error("checking wakes failed; trying again soon", e);
        }
    }
}
