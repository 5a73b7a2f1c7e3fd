package dev.servmon.hub.install;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The agent's jar as the hub hands it to installers, with its SHA-256 computed at start, so the
 * bytes served always match the hash in the install script. The jar servmon.jar carries is read
 * from servmon.jar on each download (the JVM keeps that file open, so replacing it on disk
 * changes nothing until a restart) rather than held on the heap: 5 MB that every hub would keep
 * for a download that happens once per installed server. A jar given with {@code --agent-jar}
 * is held in memory, as a file replaced on disk while the hub runs must not change what is served.
 */
public final class AgentJar {
    /** Where servmon.jar carries the agent's jar (the app build puts it there). */
    public static final String RESOURCE = "META-INF/servmon/servmon-agent.jar";

    /** Opens the jar's bytes from the start. */
    @FunctionalInterface
    interface Content {
        InputStream open() throws IOException;
    }

    private final Content content;
    private final String sha256;
    private final long sizeBytes;
    private final String source;

    private AgentJar(Content content, String source) throws IOException {
        this.content = content;
        this.source = source;
        MessageDigest digest = sha256Digest();
        long size = 0;
        try (InputStream in = new DigestInputStream(content.open(), digest)) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                size += n;
            }
        }
        this.sha256 = HexFormat.of().formatHex(digest.digest());
        this.sizeBytes = size;
    }

    /**
     * The jar to serve: {@code configured} when given (it must exist), else the one servmon.jar
     * carries, else none (a hub run from unpacked classes).
     *
     * @throws IllegalArgumentException when {@code configured} cannot be read
     */
    public static Optional<AgentJar> find(Path configured, ClassLoader loader) {
        if (configured != null) {
            try {
                return Optional.of(of(Files.readAllBytes(configured), configured.toAbsolutePath().toString()));
            } catch (IOException e) {
                throw new IllegalArgumentException("servmon: cannot read --agent-jar " + configured.toAbsolutePath() + ": " + e, e);
            }
        }
        if (loader.getResource(RESOURCE) == null) {
            return Optional.empty();
        }
        Content fromClasspath = () -> {
            InputStream in = loader.getResourceAsStream(RESOURCE);
            if (in == null) {
                throw new IOException(RESOURCE + " is no longer in the hub's own jar; was servmon.jar replaced in place? Restart the hub");
            }
            return in;
        };
        try {
            return Optional.of(new AgentJar(fromClasspath, "classpath:" + RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the hub's own jar", e);
        }
    }

    /** A jar from these bytes, held in memory. */
    public static AgentJar of(byte[] bytes, String source) {
        byte[] copy = bytes.clone();
        try {
            return new AgentJar(() -> new ByteArrayInputStream(copy), source);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a byte array cannot fail", e);
        }
    }

    /** The jar's bytes from the start; the caller closes the stream. */
    InputStream open() throws IOException {
        return content.open();
    }

    /** Lower-case hex SHA-256 of the jar. */
    public String sha256() {
        return sha256;
    }

    /** Where it was read from, for the log. */
    public String source() {
        return source;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
