package dev.servmon.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code servmon hub} as a child process on fixed loopback ports, so it can be killed, frozen
 * and started again on the same ports and data directory while agents keep talking to it.
 */
final class HubProcess implements AutoCloseable {
    static final String ADMIN_PASSWORD = "fault-test-admin-password";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path data;
    private final int port;
    private final int ingestPort;
    private final Map<String, String> env;
    private final List<String> moreArgs;
    private ServmonProcess process;

    private HubProcess(Path data, int port, int ingestPort, Map<String, String> env, List<String> moreArgs) {
        this.data = data;
        this.port = port;
        this.ingestPort = ingestPort;
        this.env = env;
        this.moreArgs = moreArgs;
    }

    /** Starts a hub on two free ports with its database in {@code data}. */
    static HubProcess start(Path data) throws IOException, InterruptedException {
        return start(data, Map.of(), List.of());
    }

    /** As {@link #start(Path)}, with more environment and flags (e.g. {@code --db-url} for PostgreSQL). */
    static HubProcess start(Path data, Map<String, String> env, List<String> moreArgs) throws InterruptedException {
        HubProcess hub = new HubProcess(data, freePort(), freePort(), env, moreArgs);
        hub.startAgain();
        return hub;
    }

    /** Starts the hub (again) on the same ports and data, and waits until it listens. */
    void startAgain() throws InterruptedException {
        var allEnv = new java.util.HashMap<>(env);
        allEnv.put("SERVMON_ADMIN_PASSWORD", ADMIN_PASSWORD);
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("hub", "--bind", "127.0.0.1",
                "--port", Integer.toString(port), "--ingest-port", Integer.toString(ingestPort), "--data", data.toString()),
                moreArgs.stream()).toArray(String[]::new);
        process = ServmonProcess.start(allEnv, args);
        process.awaitStdout("is running", Duration.ofSeconds(60));
    }

    /** kill -9: no shutdown, no final commit, sockets torn down mid-request. */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGSTOP: the ports still accept connections (the kernel does that) but nothing answers. */
    void freeze() throws IOException, InterruptedException {
        process.signal("STOP");
    }

    void thaw() throws IOException, InterruptedException {
        process.signal("CONT");
    }

    String ingestUrl() {
        return "http://127.0.0.1:" + ingestPort;
    }

    String apiUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** A client signed in as admin (its cookie jar holds the session); returns it and the CSRF token. */
    SignedIn signIn() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> login = http.send(post("/api/v1/session",
                JSON.writeValueAsString(Map.of("username", "admin", "password", ADMIN_PASSWORD))).build(), HttpResponse.BodyHandlers.ofString());
        if (login.statusCode() != 200) {
            throw new IllegalStateException("admin login failed: " + login.statusCode() + " " + login.body());
        }
        return new SignedIn(http, JSON.readTree(login.body()).get("csrfToken").asText());
    }

    record SignedIn(HttpClient http, String csrf) {}

    /** Registers a host as the admin would in the dashboard; returns {id, key, ...}. */
    JsonNode registerHost(String name) throws IOException, InterruptedException {
        SignedIn admin = signIn();
        HttpResponse<String> host = admin.http().send(post("/api/v1/hosts", JSON.writeValueAsString(Map.of("name", name)))
                .header("X-CSRF-Token", admin.csrf()).build(), HttpResponse.BodyHandlers.ofString());
        if (host.statusCode() != 201) {
            throw new IllegalStateException("registering host " + name + " failed: " + host.statusCode() + " " + host.body());
        }
        return JSON.readTree(host.body());
    }

    /** The seqs stored for a host, ascending, read straight from the database file. */
    List<Long> storedSeqs(long hostId) {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("servmon.db"));
             var st = c.prepareStatement("SELECT seq FROM samples WHERE host_id = ? ORDER BY seq")) {
            st.setLong(1, hostId);
            var rs = st.executeQuery();
            List<Long> seqs = new ArrayList<>();
            while (rs.next()) {
                seqs.add(rs.getLong(1));
            }
            return seqs;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read samples of host " + hostId + " from " + data, e);
        }
    }

    String stderr() {
        return process.stderr();
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
