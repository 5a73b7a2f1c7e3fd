package dev.servmon.hub.hosts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.auth.Tokens;
import dev.servmon.protocol.Sample;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host registry: registration with a one-time key, key authentication for ingest, views
 * with liveness for the API, deletion.
 */
public final class Hosts {
    private static final Logger log = LoggerFactory.getLogger(Hosts.class);
    /** Host keys start with this, so a leaked one is recognisable by secret scanners. */
    public static final String KEY_PREFIX = "smk_";
    public static final int MAX_NAME_LENGTH = 64;

    private final HostStore store;
    private final ObjectMapper json;
    private final Liveness liveness;
    private final Clock clock;
    /** key hash → host id; only positive answers are cached. */
    private final Map<String, Long> keyCache = new ConcurrentHashMap<>();
    private final List<KeyListener> keyListeners = new CopyOnWriteArrayList<>();

    public Hosts(HostStore store, ObjectMapper json, Liveness liveness, Clock clock) {
        this.store = store;
        this.json = json;
        this.liveness = liveness;
        this.clock = clock;
    }

    /** A newly registered host and its key, which is never shown again. */
    public record Registered(HostView host, String key) {}

    public Registered register(String rawName) {
        String name = validName(rawName);
        String key = Tokens.newSecret(KEY_PREFIX);
        var row = store.insert(name, Tokens.hash(key), Tokens.prefixOf(key), clock.millis())
                .orElseThrow(() -> new ApiException(409, "a host named '" + name + "' already exists"));
        log.info("host registered id={} name={} key={}", row.id(), name, row.keyPrefix());
        return new Registered(view(row, false), key);
    }

    /** Gives a host a new name (validated like a new host's); 404 unknown host, 409 name taken. */
    public HostView rename(long id, String rawName) {
        String name = validName(rawName);
        boolean found = store.rename(id, name)
                .orElseThrow(() -> new ApiException(409, "a host named '" + name + "' already exists"));
        if (!found) {
            throw ApiException.notFound("no host with id " + id);
        }
        log.info("host renamed id={} name={}", id, name);
        return find(id, false).orElseThrow(() -> ApiException.notFound("no host with id " + id));
    }

    /**
     * Replaces the host's key; the old key stops working at once here, and on other hub replicas
     * once they hear of it ({@code HostUpdates.keyRevoked}).
     */
    public String rotateKey(long id) {
        String key = Tokens.newSecret(KEY_PREFIX);
        if (!store.replaceKey(id, Tokens.hash(key), Tokens.prefixOf(key))) {
            throw ApiException.notFound("no host with id " + id);
        }
        forgetKey(id);
        log.info("host key rotated id={} key={}", id, Tokens.prefixOf(key));
        return key;
    }

    public List<HostView> list() {
        return store.list().stream().map(r -> view(r, false)).toList();
    }

    public Optional<HostView> find(long id, boolean withSample) {
        return store.find(id).map(r -> view(r, withSample));
    }

    /** The hosts with these ids that still exist, without their full sample. */
    public List<HostView> findAll(Collection<Long> ids) {
        return ids.isEmpty() ? List.of() : store.findAll(ids).stream().map(r -> view(r, false)).toList();
    }

    /** When these hosts (those that exist) last reported, without reading their samples. */
    public List<HostStore.Seen> seen(Collection<Long> ids) {
        return ids.isEmpty() ? List.of() : store.seen(ids);
    }

    public Optional<HostView> findByName(String name) {
        return store.findByName(name).map(r -> view(r, false));
    }

    public HostView get(long id) {
        return find(id, true).orElseThrow(() -> ApiException.notFound("no host with id " + id));
    }

    public void delete(long id) {
        if (!store.delete(id)) {
            throw ApiException.notFound("no host with id " + id);
        }
        forgetKey(id);
        log.info("host deleted id={}", id);
    }

    /** Drops the cached answer for the host's key (it was deleted or re-keyed, here or on another replica). */
    public void forgetKey(long id) {
        keyCache.values().removeIf(v -> v == id);
        keyListeners.forEach(l -> l.forgotten.accept(id));
    }

    /** Drops every cached key answer (after this replica may have missed revocations). */
    public void forgetAllKeys() {
        keyCache.clear();
        keyListeners.forEach(l -> l.all.run());
    }

    /**
     * Tells connections authenticated by host key (the agents' command channels) when a key
     * stops working: {@code forgotten} with the host id when its key was revoked here or on
     * another replica, {@code all} when any key may have been (check yours again).
     */
    public void onKeyForgotten(LongConsumer forgotten, Runnable all) {
        keyListeners.add(new KeyListener(forgotten, all));
    }

    private record KeyListener(LongConsumer forgotten, Runnable all) {}

    /** The host a key belongs to, or empty for an unknown or revoked key. */
    public OptionalLong authenticate(String key) {
        if (key == null || !key.startsWith(KEY_PREFIX) || key.length() > 100) {
            return OptionalLong.empty();
        }
        String hash = Tokens.hash(key);
        Long cached = keyCache.get(hash);
        if (cached != null) {
            return OptionalLong.of(cached);
        }
        var id = store.idForKeyHash(hash);
        id.ifPresent(v -> keyCache.put(hash, v));
        return id.map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    public HostStatus status(Long lastSeenAtMs, Integer intervalSeconds) {
        return liveness.status(lastSeenAtMs, intervalSeconds, clock.millis());
    }

    private HostView view(HostStore.Row r, boolean withSample) {
        Sample sample = null;
        if (r.latestSampleJson() != null) {
            try {
                sample = json.readValue(r.latestSampleJson(), Sample.class);
            } catch (JsonProcessingException e) {
                log.error("stored latest sample of host id={} is unreadable; showing the host without figures", r.id(), e);
            }
        }
        var inventory = withSample ? read(r.id(), "inventory", store.inventory(r.id()), INVENTORY) : null;
        var processes = withSample ? read(r.id(), "process scan", store.processes(r.id()), PROCESSES) : null;
        return new HostView(r.id(), r.name(), status(r.lastSeenAtMs(), r.intervalSeconds()), r.createdAtMs(),
                r.lastSeenAtMs(), r.intervalSeconds(), r.agentVersion(),
                sample == null ? null : HostView.Latest.of(sample), withSample ? sample : null,
                inventory == null ? null : inventory.value(), inventory == null ? null : inventory.atMs(),
                processes == null ? null : processes.value(), processes == null ? null : processes.atMs());
    }

    private static final TypeReference<Sample.Inventory> INVENTORY = new TypeReference<>() {};
    private static final TypeReference<List<Sample.Process>> PROCESSES = new TypeReference<>() {};

    private record Read<T>(T value, long atMs) {}

    /** A stored host detail, parsed; null (and an error logged) when it is unreadable. */
    private <T> Read<T> read(long hostId, String what, Optional<HostStore.Detail> stored, TypeReference<T> type) {
        if (stored.isEmpty()) {
            return null;
        }
        try {
            return new Read<>(json.readValue(stored.get().json(), type), stored.get().atMs());
        } catch (JsonProcessingException e) {
            log.error("stored {} of host id={} is unreadable; showing the host without it", what, hostId, e);
            return null;
        }
    }

    static String validName(String raw) {
        if (raw == null) {
            throw ApiException.badRequest("name is required");
        }
        String name = raw.strip();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw ApiException.badRequest("name must be 1 to " + MAX_NAME_LENGTH + " characters, got " + name.length());
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw ApiException.badRequest("name must not contain control characters (position " + i + ")");
            }
        }
        return name;
    }
}
