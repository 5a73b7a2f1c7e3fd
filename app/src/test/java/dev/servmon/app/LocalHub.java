package dev.servmon.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.Hub;
import dev.servmon.hub.HubConfig;
import dev.servmon.hub.storage.DbConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hub in this JVM on loopback ports, on a data directory (or PostgreSQL database) the test
 * owns and keeps after {@link #close}, so the next step (backup, migrate, restart) can use it.
 */
final class LocalHub implements AutoCloseable {
    static final String ADMIN_PASSWORD = "ops-test-admin-password";

    private final Hub hub;

    private LocalHub(Hub hub) {
        this.hub = hub;
    }

    static LocalHub sqlite(Path data, Clock clock) {
        return start(HubConfig.defaults(data), clock);
    }

    static LocalHub postgres(DbConfig db, Clock clock) {
        return start(HubConfig.defaults(db.dataDir()).withDatabase(db), clock);
    }

    private static LocalHub start(HubConfig config, Clock clock) {
        return new LocalHub(Hub.start(config.withPorts("127.0.0.1", 0, "127.0.0.1", 0)
                .withInitialAdminPassword(ADMIN_PASSWORD).withClock(clock)));
    }

    Hub hub() {
        return hub;
    }

    String ingestUrl() {
        return "http://127.0.0.1:" + hub.ingestPort();
    }

    ApiClient admin() {
        return ApiClient.signIn("http://127.0.0.1:" + hub.port(), ADMIN_PASSWORD);
    }

    /** Host name → stored seqs, ascending, read back through the raw tier. */
    Map<String, List<Long>> seqsByHost() {
        Map<String, List<Long>> out = new TreeMap<>();
        for (JsonNode h : admin().get("/api/v1/hosts")) {
            out.put(h.get("name").asText(), hub.samples().seqs(h.get("id").asLong()));
        }
        return out;
    }

    @Override
    public void close() {
        hub.close();
    }
}
