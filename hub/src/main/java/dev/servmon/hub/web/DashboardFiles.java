package dev.servmon.hub.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.ResourceHandler;
import io.javalin.http.staticfiles.StaticFileConfig;
import io.javalin.security.RouteRole;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The dashboard's files (classpath {@code web/}), read once at start with their includes
 * expanded ({@link Includes}), each with a strong ETag and, for text, a gzipped copy. Javalin asks
 * a resource handler only for GET and HEAD requests no route matched, so an API route always wins
 * and an unknown {@code /api/...} path still gets the API's 404. Only paths of files that exist
 * are served — the request path is looked up in a map, never joined to a directory — so
 * {@code ..}, encoded dots or backslashes find nothing. {@code partials/} is not served.
 */
public final class DashboardFiles implements ResourceHandler {
    /** Where in the classpath the files are, and the folder of the partials inside it. */
    static final String FOLDER = "web";
    static final String PARTIALS = "partials/";

    private final Map<String, WebFile> byPath;

    private DashboardFiles(Map<String, WebFile> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    /**
     * Reads {@code web/} from the jar or directory the hub's classes come from.
     *
     * @throws IllegalStateException when the files are missing or a page names an unknown partial
     */
    public static DashboardFiles fromClasspath() {
        return of(ClasspathFolder.read(DashboardFiles.class, FOLDER));
    }

    /** The files given as path under web/ to bytes, with includes expanded; {@code index.html} is required. */
    static DashboardFiles of(Map<String, byte[]> files) {
        Map<String, String> partials = new HashMap<>();
        files.forEach((name, bytes) -> {
            if (name.startsWith(PARTIALS)) {
                if (!name.endsWith(".html") || name.indexOf('/', PARTIALS.length()) >= 0) {
                    throw new IllegalStateException("web/" + name + ": partials are web/partials/NAME.html");
                }
                String partial = name.substring(PARTIALS.length(), name.length() - ".html".length());
                String text = new String(bytes, StandardCharsets.UTF_8);
                Includes.checkPartial(partial, text);
                partials.put(partial, text);
            }
        });
        Map<String, WebFile> byPath = new HashMap<>();
        files.forEach((name, bytes) -> {
            if (!name.startsWith(PARTIALS)) {
                byte[] body = name.endsWith(".html")
                        ? Includes.expand(name, new String(bytes, StandardCharsets.UTF_8), partials).getBytes(StandardCharsets.UTF_8)
                        : bytes;
                byPath.put("/" + name, WebFile.of(name, body));
            }
        });
        WebFile index = byPath.get("/index.html");
        if (index == null) {
            throw new IllegalStateException("web/index.html is missing; the dashboard has no start page");
        }
        byPath.put("/", index);
        return new DashboardFiles(byPath);
    }

    /** The URL paths served ({@code /}, {@code /index.html}, {@code /js/api.js}, …), sorted. */
    public Set<String> paths() {
        return new TreeMap<>(byPath).keySet();
    }

    /** The bytes served for a path before compression, or null; for tests and the log line at start. */
    public byte[] body(String path) {
        WebFile f = byPath.get(path);
        return f == null ? null : f.body();
    }

    /** Bytes held: the files and their gzipped copies (index.html counted once). */
    public long heldBytes() {
        return byPath.entrySet().stream().filter(e -> !e.getKey().equals("/"))
                .mapToLong(e -> e.getValue().body().length + (e.getValue().gzip() == null ? 0 : e.getValue().gzip().length)).sum();
    }

    /**
     * Answers with the file at {@code path} (as {@code /status.html}), for routes that serve a
     * page under another name.
     *
     * @throws IllegalArgumentException when there is no such file (a wiring mistake)
     */
    public void serve(Context ctx, String path) {
        WebFile f = byPath.get(path);
        if (f == null) {
            throw new IllegalArgumentException("no dashboard file " + path);
        }
        send(ctx, f);
    }

    @Override
    public boolean canHandle(Context ctx) {
        return find(ctx) != null;
    }

    @Override
    public boolean handle(Context ctx) {
        WebFile f = find(ctx);
        if (f == null) {
            return false;
        }
        send(ctx, f);
        return true;
    }

    @Override
    public boolean addStaticFileConfig(StaticFileConfig config) {
        throw new UnsupportedOperationException("the dashboard serves classpath web/ only; Javalin's staticFiles.add is not supported here");
    }

    @Override
    public Set<RouteRole> resourceRouteRoles(Context ctx) {
        return Set.of(); // public files: the pages sign the user in themselves
    }

    private WebFile find(Context ctx) {
        if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
            return null;
        }
        String path = decode(ctx.path());
        return path == null ? null : byPath.get(path);
    }

    /** Percent-decoded path, or null when malformed. Decoded names are only looked up, so {@code %2e%2e} finds nothing. */
    static String decode(String rawPath) {
        if (rawPath.indexOf('%') < 0) {
            return rawPath;
        }
        try {
            return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void send(Context ctx, WebFile f) {
        boolean gzip = f.gzip() != null && HttpNegotiation.acceptsGzip(ctx.header("Accept-Encoding"));
        // The bytes are final (gzipped here or not worth it): Javalin must not compress them per request.
        ctx.minSizeForCompression(Integer.MAX_VALUE);
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", gzip ? f.gzipEtag() : f.etag());
        if (f.gzip() != null) {
            ctx.header("Vary", "Accept-Encoding");
        }
        ctx.contentType(f.contentType());
        if (HttpNegotiation.matchesAny(ctx.header("If-None-Match"), f.etag(), f.gzipEtag())) {
            ctx.status(304);
            return;
        }
        byte[] body = gzip ? f.gzip() : f.body();
        if (gzip) {
            ctx.header("Content-Encoding", "gzip");
        }
        ctx.header("Content-Length", Integer.toString(body.length));
        if (ctx.method() == HandlerType.GET) {
            ctx.result(body);
        }
    }
}
