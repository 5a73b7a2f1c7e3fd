package dev.servmon.hub.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.api.Json;
import dev.servmon.hub.cluster.Broadcast;
import dev.servmon.hub.hosts.HostStore;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.hub.hosts.Liveness;
import dev.servmon.hub.storage.Database;
import dev.servmon.hub.storage.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two replicas' host registries and updates on one PostgreSQL, wired as the hub wires them. */
class HostUpdatesTest {
    @TempDir
    Path dir;

    /** One replica's share: its own pool, registry (with its key cache), live bus and broadcast. */
    private record Replica(Database db, Hosts hosts, Broadcast broadcast, HostUpdates updates, LiveBus live) implements AutoCloseable {
        static Replica start(dev.servmon.hub.storage.DbConfig config) {
            Database db = Database.open(config);
            Hosts hosts = new Hosts(new HostStore(db), Json.mapper(), new Liveness(5_000), Clock.systemUTC());
            LiveBus live = new LiveBus(Json.mapper());
            Broadcast broadcast = Broadcast.open(db);
            HostUpdates updates = new HostUpdates(hosts, new dev.servmon.hub.hosts.HostTags(db), new Liveness(5_000), Clock.systemUTC(), live, broadcast);
            broadcast.start();
            updates.start();
            return new Replica(db, hosts, broadcast, updates, live);
        }

        @Override
        public void close() {
            updates.close();
            broadcast.close();
            live.close();
            db.close();
        }
    }

    @Test
    void a_key_replaced_on_one_replica_stops_working_on_the_others_within_a_second() throws Exception {
        var config = TestPostgres.freshDatabase(dir);
        List<Replica> replicas = new ArrayList<>();
        try {
            replicas.add(Replica.start(config));
            replicas.add(Replica.start(config));
            Replica a = replicas.get(0);
            Replica b = replicas.get(1);
            var registered = a.hosts().register("rekeyed-1");
            long id = registered.host().id();
            String oldKey = registered.key();
            assertThat(b.hosts().authenticate(oldKey)).hasValue(id); // now cached on B

            String newKey = a.hosts().rotateKey(id);
            a.updates().keyRevoked(id);

            long deadline = System.currentTimeMillis() + 1_000;
            while (b.hosts().authenticate(oldKey).isPresent() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(b.hosts().authenticate(oldKey)).as("old key on B").isEmpty();
            assertThat(b.hosts().authenticate(newKey)).as("new key on B").hasValue(id);
            assertThat(a.hosts().authenticate(oldKey)).as("old key on A").isEmpty();
        } finally {
            replicas.forEach(Replica::close);
        }
    }
}
