package dev.servmon.hub.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The agent's jar as the hub hands it to installers, held in memory with its SHA-256, so the
 * bytes served always match the hash in the install script (a file replaced on disk while the
 * hub runs changes neither).
 */
public final class AgentJar {
    /** Where servmon.jar carries the agent's jar (the app build puts it there). */
    public static final String RESOURCE = "META-INF/servmon/servmon-agent.jar";

    private final byte[] bytes;
    private final String sha256;
    private final String source;

    private AgentJar(byte[] bytes, String source) {
        this.bytes = bytes;
        this.sha256 = sha256(bytes);
        this.source = source;
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
                return Optional.of(new AgentJar(Files.readAllBytes(configured), configured.toAbsolutePath().toString()));
            } catch (IOException e) {
                throw new IllegalArgumentException("servmon: cannot read --agent-jar " + configured.toAbsolutePath() + ": " + e, e);
            }
        }
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            return in == null ? Optional.empty() : Optional.of(new AgentJar(in.readAllBytes(), "classpath:" + RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the hub's own jar", e);
        }
    }

    /** A jar from these bytes (tests). */
    public static AgentJar of(byte[] bytes, String source) {
        return new AgentJar(bytes.clone(), source);
    }

    /** The jar's bytes; callers must not change them. */
    byte[] bytes() {
        return bytes;
    }

    /** Lower-case hex SHA-256 of the jar. */
    public String sha256() {
        return sha256;
    }

    /** Where it was read from, for the log. */
    public String source() {
        return source;
    }

    public int sizeBytes() {
        return bytes.length;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
