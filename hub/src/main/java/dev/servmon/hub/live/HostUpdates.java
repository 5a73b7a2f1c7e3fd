package dev.servmon.hub.live;

import dev.servmon.hub.cluster.Broadcast;
import dev.servmon.hub.hosts.HostTags;
import dev.servmon.hub.hosts.HostView;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.hosts.Liveness;
import dev.servmon.hub.hosts.LivenessWatcher;
import dev.servmon.hub.hosts.TaggedHost;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the browsers connected to this hub up to date about hosts — a report (latest figures),
 * ON/OFF, added, deleted — wherever the change happened.
 *
 * <p>Changes are only host ids: every {@value #FLUSH_EVERY_MS} ms the pending ids are reloaded
 * from the database in one query and sent as {@code host} events (or {@code host-deleted} when
 * the host is gone). Ids changed on this replica are then broadcast to the other replicas
 * (PostgreSQL NOTIFY, {@code "changed 3,17,42"}), which reload them the same way. A host whose key
 * stopped working (deleted, re-keyed) goes out as {@code "revoked 3"}: the other replicas also
 * drop the key from their caches, so it stops working on every replica at once. Reloading
 * instead of shipping state makes the order of messages irrelevant and a host changed many times
 * within a flush costs one row; a replica that may have missed messages reloads the whole list
 * and tells its browsers to do the same ({@code resync}).
 *
 * <p>A replica without browsers connected reloads only when the hosts last reported (a replica
 * serving only ingest, or a quiet night), not their latest samples.
 *
 * <p>Liveness: each replica runs its own {@link LivenessWatcher} over every host and tells only
 * its own browsers when one goes OFF; that is never broadcast, so a browser hears it once, from
 * the replica it is connected to. The state sent is reloaded from the database, so a replica
 * that missed a report cannot show a reporting host as OFF. (Electing one replica to announce
 * OFF to all was the alternative: a leader change would lose or repeat transitions.)
 */
public final class HostUpdates implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostUpdates.class);
    /** The channel replicas tell each other about changed hosts on. */
    public static final String CHANNEL = "servmon_hosts";
    static final long FLUSH_EVERY_MS = 100;
    /** Kinds of broadcast: reload these hosts; or also forget their keys. */
    static final String CHANGED = "changed";
    static final String REVOKED = "revoked";
    /** Ids per broadcast message: ~7 characters each, well within a message. */
    private static final int IDS_PER_MESSAGE = 500;
    /** Past this many pending ids, reload everything instead of growing the sets. */
    private static final int MAX_PENDING = 50_000;

    private final Hosts hosts;
    private final HostTags tags;
    private final LiveBus live;
    private final Broadcast broadcast;
    private final LivenessWatcher watcher;
    /** Changed here: published, then broadcast. */
    private final Set<Long> announce = ConcurrentHashMap.newKeySet();
    /** Key revoked here (deleted, re-keyed): published, then broadcast as such. */
    private final Set<Long> revoke = ConcurrentHashMap.newKeySet();
    /** Changed elsewhere, or status changed by time: published only. */
    private final Set<Long> refresh = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean resync = new AtomicBoolean();
    private final ScheduledExecutorService timer;
    private boolean failing;

    /**
     * Subscribes to {@code broadcast}, which the caller starts afterwards; then {@link #start}.
     */
    public HostUpdates(Hosts hosts, HostTags tags, Liveness liveness, Clock clock, LiveBus live, Broadcast broadcast) {
        this.hosts = hosts;
        this.tags = tags;
        this.live = live;
        this.broadcast = broadcast;
        this.watcher = new LivenessWatcher(liveness, clock, id -> pend(refresh, id));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "servmon-host-updates");
            t.setDaemon(true);
            return t;
        });
        broadcast.subscribe(CHANNEL, new Broadcast.Listener() {
            @Override
            public void onMessage(String body, boolean own) {
                if (!own) {
                    received(body);
                }
            }

            @Override
            public void onGap() {
                resync.set(true);
            }
        });
    }

    /** Loads every host's liveness and starts the flushes (after the broadcast listens, so nothing falls in between). */
    public void start() {
        hosts.list().forEach(this::track);
        timer.scheduleWithFixedDelay(this::flush, FLUSH_EVERY_MS, FLUSH_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** A host changed on this replica (a report was stored, it was added). */
    public void changed(long hostId) {
        pend(announce, hostId);
    }

    /** A host's key stopped working on this replica (the host was deleted, or given a new key). */
    public void keyRevoked(long hostId) {
        pend(revoke, hostId);
    }

    private void pend(Set<Long> set, long hostId) {
        if (set.size() >= MAX_PENDING) {
            resync.set(true);
        } else {
            set.add(hostId);
        }
    }

    private void received(String body) {
        boolean revoked = body.startsWith(REVOKED + " ");
        for (long id : ids(body)) {
            if (revoked) {
                hosts.forgetKey(id);
            }
            pend(refresh, id);
        }
    }

    /**
     * The host ids of a message on {@link #CHANNEL} ({@code "changed 3,17"}, {@code "revoked 3"}), for
     * any feature that follows host changes made on other replicas; bad parts are logged and skipped.
     */
    public static List<Long> ids(String body) {
        int space = body.indexOf(' ');
        String kind = space < 0 ? "" : body.substring(0, space);
        if (!kind.equals(CHANGED) && !kind.equals(REVOKED)) {
            log.warn("host update of unknown kind ignored: '{}'", body.length() > 40 ? body.substring(0, 40) : body);
            return List.of();
        }
        List<Long> ids = new ArrayList<>();
        for (String part : body.substring(space + 1).split(",")) {
            try {
                ids.add(Long.parseLong(part));
            } catch (NumberFormatException e) {
                log.warn("host update with a bad id ignored: '{}'", part.length() > 40 ? part.substring(0, 40) : part);
            }
        }
        return ids;
    }

    /** One round: status changes by time, pending ids reloaded and sent, ours broadcast. */
    void flush() {
        Set<Long> mine = drain(announce);
        Set<Long> revoked = drain(revoke);
        Set<Long> others = Set.of();
        try {
            watcher.tick();
            others = drain(refresh);
            if (resync.getAndSet(false)) {
                reloadAll();
            }
            Set<Long> ids = new HashSet<>(mine);
            ids.addAll(revoked);
            ids.addAll(others);
            publish(ids);
            broadcastIds(CHANGED, mine);
            broadcastIds(REVOKED, revoked);
            if (failing) {
                log.info("live host updates work again");
                failing = false;
            }
        } catch (RuntimeException e) {
            // Keep what was pending for the next round; the bound turns a long outage into a resync.
            mine.forEach(id -> pend(announce, id));
            revoked.forEach(id -> pend(revoke, id));
            others.forEach(id -> pend(refresh, id));
            if (!failing) {
                log.error("live host updates failed; retrying every {} ms", FLUSH_EVERY_MS, e);
                failing = true;
            }
        }
    }

    private void publish(Set<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        if (live.clientCount() == 0) {
            // Nobody to tell: keep the watcher current from the small columns, skip the samples.
            Set<Long> gone = new HashSet<>(ids);
            hosts.seen(ids).forEach(s -> {
                gone.remove(s.id());
                watcher.track(s.id(), s.lastSeenAtMs(), s.intervalSeconds());
            });
            gone.forEach(watcher::forget);
            return;
        }
        Map<Long, HostView> found = new HashMap<>();
        hosts.findAll(ids).forEach(v -> found.put(v.id(), v));
        Map<Long, List<String>> tagged = tags.of(found.keySet());
        for (long id : ids) {
            HostView v = found.get(id);
            if (v == null) {
                watcher.forget(id);
                live.publish("host-deleted", Map.of("id", id));
            } else {
                track(v);
                List<String> tags = tagged.getOrDefault(id, List.of());
                live.publishAbout(tags, "host", new TaggedHost(v, tags));
            }
        }
    }

    private void reloadAll() {
        // Revocations may have been missed too: ask the database about every key again.
        hosts.forgetAllKeys();
        List<HostView> all = hosts.list();
        Set<Long> ids = new HashSet<>();
        all.forEach(v -> {
            ids.add(v.id());
            track(v);
        });
        watcher.retainOnly(ids);
        live.publish("resync", Map.of("hosts", all.size()));
    }

    private void broadcastIds(String kind, Set<Long> ids) {
        List<Long> list = new ArrayList<>(ids);
        for (int from = 0; from < list.size(); from += IDS_PER_MESSAGE) {
            StringBuilder body = new StringBuilder(kind).append(' ');
            for (long id : list.subList(from, Math.min(list.size(), from + IDS_PER_MESSAGE))) {
                body.append(body.length() == kind.length() + 1 ? "" : ",").append(id);
            }
            broadcast.send(CHANNEL, body.toString());
        }
    }

    private void track(HostView v) {
        watcher.track(v.id(), v.lastSeenAtMs(), v.intervalSeconds());
    }

    private static Set<Long> drain(Set<Long> set) {
        Set<Long> out = new HashSet<>();
        for (Long id : set) {
            if (set.remove(id)) {
                out.add(id);
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
