package dev.servmon.hub.api;

import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.auth.Role;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import io.javalin.websocket.WsConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Registers routes together with who may call them, and remembers the table so a test can check
 * every route against every kind of caller (a new route without a declared role cannot be
 * registered at all). A route's handler runs only after {@link AuthHandlers#require} let the
 * caller in: 401 without credentials, 403 with a role too low.
 */
public final class RouteTable {
    /** One registered route. {@code role} is null for a public route (no sign-in). */
    public record Entry(String method, String path, Role role) {
        public boolean isPublic() {
            return role == null;
        }

        /** The path parameters of {@code requestPath} when this route's path matches it, else null. */
        Map<String, String> match(String requestPath) {
            String[] want = path.split("/", -1);
            String[] got = requestPath.split("/", -1);
            if (want.length != got.length) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < want.length; i++) {
                if (want[i].startsWith("{") && want[i].endsWith("}") && !got[i].isEmpty()) {
                    params.put(want[i].substring(1, want[i].length() - 1), got[i]);
                } else if (!want[i].equals(got[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    /** A request matched to its route: the route and the values of its path parameters. */
    public record Match(Entry entry, Map<String, String> pathParams) {}

    private final JavalinConfig cfg;
    private final List<Entry> entries = new ArrayList<>();

    public RouteTable(JavalinConfig cfg) {
        this.cfg = cfg;
    }

    public void get(String path, Role role, Handler handler) {
        add(HandlerType.GET, path, role, handler);
    }

    public void post(String path, Role role, Handler handler) {
        add(HandlerType.POST, path, role, handler);
    }

    public void put(String path, Role role, Handler handler) {
        add(HandlerType.PUT, path, role, handler);
    }

    public void patch(String path, Role role, Handler handler) {
        add(HandlerType.PATCH, path, role, handler);
    }

    public void delete(String path, Role role, Handler handler) {
        add(HandlerType.DELETE, path, role, handler);
    }

    /** A route anyone may call without signing in (health, installer, sign-in itself). */
    public void open(HandlerType method, String path, Handler handler) {
        entries.add(new Entry(method.name(), path, null));
        cfg.routes.addHttpHandler(method, path, handler);
    }

    /** A Server-Sent Events stream readable with at least {@code role}. */
    public void sse(String path, Role role, Handler precondition, Consumer<SseClient> client) {
        entries.add(new Entry(HandlerType.GET.name(), path, role));
        cfg.routes.before(path, ctx -> {
            AuthHandlers.require(ctx, role);
            precondition.handle(ctx);
        });
        cfg.routes.sse(path, client);
    }

    /**
     * A WebSocket for agents: {@code beforeUpgrade} authenticates the upgrade request (by host
     * key; throwing refuses it with that status, so no socket opens), then {@code ws} serves it.
     * Listed as a public GET: it takes no session.
     */
    public void openWebSocket(String path, Handler beforeUpgrade, Consumer<WsConfig> ws) {
        entries.add(new Entry(HandlerType.GET.name(), path, null));
        cfg.routes.wsBeforeUpgrade(path, beforeUpgrade);
        cfg.routes.ws(path, ws);
    }

    private void add(HandlerType method, String path, Role role, Handler handler) {
        if (role == null) {
            throw new IllegalArgumentException(method + " " + path + ": declare a role, or register it with open()");
        }
        entries.add(new Entry(method.name(), path, role));
        cfg.routes.addHttpHandler(method, path, ctx -> {
            AuthHandlers.require(ctx, role);
            handler.handle(ctx);
        });
    }

    /**
     * The route a request goes to, found from the table alone, so it works wherever the request
     * ended (refused by the gate, failed in the handler): what the audit log records.
     */
    public Optional<Match> match(String method, String requestPath) {
        for (Entry e : entries) {
            if (e.method().equals(method)) {
                Map<String, String> params = e.match(requestPath);
                if (params != null) {
                    return Optional.of(new Match(e, params));
                }
            }
        }
        return Optional.empty();
    }

    /** Every route registered so far, in registration order. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }
}
