package dev.servmon.hub.cluster;

import dev.servmon.hub.storage.Database;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /healthz} on both ports, without login, for load balancers and orchestrators: 200
 * while the database answers, 503 when it does not, with this replica's role, so a check can
 * also find the leader.
 */
public final class HealthHandler {
    private static final Logger log = LoggerFactory.getLogger(HealthHandler.class);

    private final Database db;
    private final Leadership leadership;
    private final String version;

    public HealthHandler(Database db, Leadership leadership, String version) {
        this.db = db;
        this.leadership = leadership;
        this.version = version;
    }

    /**
     * The answer.
     *
     * @param status {@code ok}, or {@code unavailable} when the database does not answer
     * @param role {@code leader} or {@code follower}
     * @param database {@code sqlite} or {@code postgresql}
     */
    record Health(String status, String role, String version, String database) {}

    public void handle(Context ctx) {
        boolean up;
        try {
            up = db.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            log.warn("health check: the database does not answer: {}", e.getMessage());
            up = false;
        }
        ctx.header("Cache-Control", "no-store");
        ctx.status(up ? 200 : 503).json(new Health(up ? "ok" : "unavailable", leadership.role().label(), version,
                db.dialect().label()));
    }
}
