package dev.servmon.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.metrics.BlockCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * {@code servmon hub} as a child process on fixed loopback ports, so it can be killed, frozen
 * and started again on the same ports and data directory while agents keep talking to it.
 */
final class HubProcess implements AutoCloseable {
    static final String ADMIN_PASSWORD = "fault-test-admin-password";

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

    /** The running hub's process id. */
    long pid() {
        return process.pid();
    }

    /** A client signed in as admin (its cookie jar holds the session). */
    ApiClient signIn() {
        return ApiClient.signIn(apiUrl(), ADMIN_PASSWORD);
    }

    Path data() {
        return data;
    }

    String apiUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Registers a host as the admin would in the dashboard; returns {id, key, ...}. */
    JsonNode registerHost(String name) {
        return ApiClient.signIn(apiUrl(), ADMIN_PASSWORD).registerHost(name);
    }

    /** The seqs stored for a host, ascending, read straight from the database file (head rows and packed blocks). */
    List<Long> storedSeqs(long hostId) {
        List<Long> seqs = new ArrayList<>();
        storedSamples("WHERE host_id = " + hostId, (host, seq) -> seqs.add(seq));
        Collections.sort(seqs);
        return seqs;
    }

    /** Every stored seq of every host, by host name. */
    Map<String, Set<Long>> storedSeqsByHost() {
        Map<String, Set<Long>> seqs = new HashMap<>();
        storedSamples("", (host, seq) -> seqs.computeIfAbsent(host, h -> new HashSet<>()).add(seq));
        return seqs;
    }

    private void storedSamples(String where, BiConsumer<String, Long> sink) {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("servmon.db"))) {
            for (String table : List.of("sample_head", "sample_blocks")) {
                try (var st = c.prepareStatement("SELECT (SELECT name FROM hosts WHERE id = s.host_id), s.data FROM " + table + " s " + where);
                     var rs = st.executeQuery()) {
                    while (rs.next()) {
                        String host = rs.getString(1);
                        BlockCodec.decode(rs.getBytes(2)).forEach(sample -> sink.accept(host, sample.seq()));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read samples from " + data, e);
        }
    }

    String stderr() {
        return process.stderr();
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
