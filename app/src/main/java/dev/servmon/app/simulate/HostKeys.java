package dev.servmon.app.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;

/**
 * The simulated hosts' names and keys: registered through the hub's API as an admin would in
 * the dashboard, or read from a keys file an earlier run wrote. The file has one host per line,
 * {@code name<TAB>key}; blank lines and lines starting with {@code #} are ignored.
 */
final class HostKeys {
    /** One simulated host as the hub knows it. */
    record HostKey(String name, String key) {}

    private static final int PARALLEL_REGISTRATIONS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private HostKeys() {}

    /** Parses a keys file's text; {@code file} is only for messages. */
    static List<HostKey> parse(String text, Path file) {
        List<HostKey> keys = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("servmon simulate: " + file + " line " + (i + 1)
                        + " must be '<host name> <key>' (as an earlier run with --keys wrote it), got '" + abbreviate(line) + "'");
            }
            keys.add(new HostKey(parts[0], parts[1]));
        }
        return keys;
    }

    static String format(List<HostKey> keys) {
        StringBuilder sb = new StringBuilder("# servmon simulate host keys: <name> <key>. Keep this file private.\n");
        for (HostKey k : keys) {
            sb.append(k.name()).append('\t').append(k.key()).append('\n');
        }
        return sb.toString();
    }

    static List<HostKey> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new UncheckedIOException("servmon simulate: cannot read --keys " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Writes the keys readable by the owner only: they let anyone report as these hosts. */
    static void write(Path file, List<HostKey> keys) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, "", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX filesystem (Windows): the directory's permissions apply.
            }
            Files.writeString(file, format(keys), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("servmon simulate: cannot write --keys " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Signs in to the hub's API as {@code user} and registers one host per name, a few at a time.
     *
     * @throws IllegalArgumentException when sign-in or a registration is refused, with the hub's reason
     */
    static List<HostKey> register(URI api, String user, String password, List<String> names, PrintStream progress)
            throws InterruptedException {
        ObjectMapper json = Json.mapper();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> login = send(http, post(api, "/api/v1/session", json, Map.of("username", user, "password", password)).build());
        if (login.statusCode() != 200) {
            throw new IllegalArgumentException("servmon simulate: signing in to " + api + " as '" + user + "' failed (" + login.statusCode() + " "
                    + abbreviate(login.body()) + "); check --admin-user and the password in the variable --admin-password-env names");
        }
        String csrf = tree(json, login).path("csrfToken").asText();
        Semaphore slots = new Semaphore(PARALLEL_REGISTRATIONS);
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>(names.size());
        for (String name : names) {
            slots.acquire();
            var request = post(api, "/api/v1/hosts", json, Map.of("name", name)).header("X-CSRF-Token", csrf).build();
            pending.add(sendRetrying(http, request, THROTTLED_RETRIES).whenComplete((r, e) -> slots.release()));
        }
        List<HostKey> keys = new ArrayList<>(names.size());
        long lastPrint = System.nanoTime();
        for (int i = 0; i < names.size(); i++) {
            HttpResponse<String> r = await(pending.get(i), api);
            if (r.statusCode() == 409) {
                throw new IllegalArgumentException("servmon simulate: the hub already has a host named '" + names.get(i)
                        + "' (its key cannot be read back); pass the --keys file of the run that registered it, or another --name-prefix");
            }
            if (r.statusCode() != 201) {
                throw new IllegalArgumentException("servmon simulate: registering host '" + names.get(i) + "' failed: " + r.statusCode() + " " + abbreviate(r.body()));
            }
            keys.add(new HostKey(names.get(i), tree(json, r).path("key").asText()));
            if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                progress.printf("simulate: registered %,d of %,d hosts%n", i + 1, names.size());
                lastPrint = System.nanoTime();
            }
        }
        return keys;
    }

    /** How often a registration the hub throttled (429, its API rate limit) is sent again. */
    private static final int THROTTLED_RETRIES = 60;

    /**
     * Sends {@code request}; a 429 (the hub's per-user API limit: a thousand registrations
     * exceed it) is sent again after the hub's Retry-After, so registering a large fleet just
     * takes longer instead of failing.
     */
    private static CompletableFuture<HttpResponse<String>> sendRetrying(HttpClient http, HttpRequest request, int retriesLeft) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(r -> {
            if (r.statusCode() != 429 || retriesLeft <= 0) {
                return CompletableFuture.completedFuture(r);
            }
            long wait = Math.max(1, Math.min(60, r.headers().firstValueAsLong("Retry-After").orElse(1)));
            var later = CompletableFuture.delayedExecutor(wait, java.util.concurrent.TimeUnit.SECONDS);
            return CompletableFuture.supplyAsync(() -> request, later).thenCompose(again -> sendRetrying(http, again, retriesLeft - 1));
        });
    }

    private static HttpRequest.Builder post(URI api, String path, ObjectMapper json, Object body) {
        try {
            return HttpRequest.newBuilder(api.resolve(path)).timeout(TIMEOUT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalArgumentException("servmon simulate: cannot reach the hub's API at " + request.uri() + ": " + describe(e)
                    + "; check --api-url (the hub's UI/API port, 8080 by default)", e);
        }
    }

    private static HttpResponse<String> await(CompletableFuture<HttpResponse<String>> f, URI api) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("servmon simulate: registering hosts at " + api + " failed: " + describe(e.getCause()), e.getCause());
        }
    }

    private static JsonNode tree(ObjectMapper json, HttpResponse<String> r) {
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("servmon simulate: the hub answered " + r.uri() + " with something that is not JSON: " + abbreviate(r.body()), e);
        }
    }

    static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }
}
