package dev.servmon.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the agent needs to run, validated once at start.
 *
 * <p>Build it with {@link #of}, which fills in defaults and stores or loads the host key.
 * Every {@link IllegalArgumentException} from here names the option to change and how, so the
 * CLI can print its message as is.
 *
 * @param hubUrl the hub's ingest base URL, e.g. {@code http://hub.example.com:8081}: http or
 *     https, no query; a trailing slash or {@code /api/v1/ingest} is dropped
 * @param key the host key, or {@code null} before it is resolved (the {@link Agent} needs it)
 * @param keyFile where the key is kept
 * @param stateDir where the agent keeps its state (sequence numbers)
 * @param intervalSeconds seconds between samples, {@value #MIN_INTERVAL_SECONDS}..{@value #MAX_INTERVAL_SECONDS}
 */
public record AgentConfig(URI hubUrl, String key, Path keyFile, Path stateDir, int intervalSeconds) {
    /** Shortest interval. */
    public static final int MIN_INTERVAL_SECONDS = 1;
    /** Longest interval. */
    public static final int MAX_INTERVAL_SECONDS = 3600;
    /** Interval when none is given. */
    public static final int DEFAULT_INTERVAL_SECONDS = 10;
    /** Name of the key file in the state directory. */
    public static final String KEY_FILE_NAME = "host.key";
    /** State directory of an agent run as root (or as a service user owning it). */
    public static final Path SYSTEM_STATE_DIR = Path.of("/var/lib/servmon-agent");
    private static final int MAX_KEY_CHARS = 512;
    private static final String INGEST_SUFFIX = "/api/v1/ingest";

    public AgentConfig {
        hubUrl = checkHubUrl(hubUrl);
        if (intervalSeconds < MIN_INTERVAL_SECONDS || intervalSeconds > MAX_INTERVAL_SECONDS) {
            throw new IllegalArgumentException("--interval must be between " + MIN_INTERVAL_SECONDS + " and "
                    + MAX_INTERVAL_SECONDS + " seconds, got " + intervalSeconds);
        }
        if (keyFile == null) {
            throw new IllegalArgumentException("no key file: pass --key-file FILE");
        }
        if (stateDir == null) {
            throw new IllegalArgumentException("no state directory: pass --state-dir DIR");
        }
        if (key != null) {
            key = checkKey(key, "--key");
        }
    }

    /**
     * Validates the options, fills in defaults and resolves the host key: a given {@code key}
     * is saved to the key file (mode 0600, directories created) and used; without one, the key
     * file is read.
     *
     * @param hubUrl the hub's ingest URL (required)
     * @param key the host key, or {@code null} to read it from the key file
     * @param keyFile the key file, or {@code null} for {@code <stateDir>/host.key}
     * @param stateDir the state directory, or {@code null} for {@link #defaultStateDir()}
     * @param intervalSeconds seconds between samples
     * @return a config whose {@link #key()} is set
     * @throws IllegalArgumentException with a message saying what to do, when an option is
     *     invalid, there is no key, or the key file cannot be written or read
     */
    public static AgentConfig of(URI hubUrl, String key, Path keyFile, Path stateDir, int intervalSeconds) {
        Path dir = stateDir != null ? stateDir : defaultStateDir();
        Path file = keyFile != null ? keyFile : dir.resolve(KEY_FILE_NAME);
        // Validate everything else before touching the disk.
        AgentConfig unresolved = new AgentConfig(hubUrl, key, file, dir, intervalSeconds);
        String resolved;
        if (unresolved.key() != null) {
            resolved = unresolved.key();
            try {
                HostKeyFile.save(file, resolved);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot save the host key to " + file + " (" + reason(e) + "): pass --key-file FILE or "
                        + "--state-dir DIR somewhere this user may write, or run as root", e);
            }
        } else {
            try {
                resolved = HostKeyFile.load(file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("no host key: pass --key KEY once (it is saved to " + file
                        + ") or --key-file FILE", e);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the host key file " + file + " (" + reason(e)
                        + "): fix its permissions, or pass --key KEY to write it again", e);
            }
            if (resolved.isEmpty()) {
                throw new IllegalArgumentException("the host key file " + file + " is empty: pass --key KEY once to write it again");
            }
            checkKey(resolved, "the host key file " + file);
        }
        return new AgentConfig(unresolved.hubUrl(), resolved, file, dir, intervalSeconds);
    }

    /**
     * The state directory when none is given: {@code /var/lib/servmon-agent} when this user may
     * write there (root, or a service user that owns it), else {@code ~/.servmon-agent}.
     */
    public static Path defaultStateDir() {
        return defaultStateDir(SYSTEM_STATE_DIR, Path.of(System.getProperty("user.home")));
    }

    static Path defaultStateDir(Path systemDir, Path home) {
        boolean usable = Files.isDirectory(systemDir)
                ? Files.isWritable(systemDir)
                : Files.isDirectory(systemDir.getParent()) && Files.isWritable(systemDir.getParent());
        return usable ? systemDir : home.resolve(".servmon-agent");
    }

    /** The host key shortened to its first characters, safe to show in logs and messages. */
    public String keyPrefix() {
        return HostKeyFile.prefix(key);
    }

    /** Like the default, but shows only the key's prefix: configs end up in logs. */
    @Override
    public String toString() {
        return "AgentConfig[hubUrl=" + hubUrl + ", key=" + keyPrefix() + ", keyFile=" + keyFile
                + ", stateDir=" + stateDir + ", intervalSeconds=" + intervalSeconds + "]";
    }

    private static URI checkHubUrl(URI url) {
        if (url == null) {
            throw new IllegalArgumentException("--hub is required: the hub's ingest URL, e.g. http://hub.example.com:8081");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("--hub must start with http:// or https://, e.g. http://hub.example.com:8081, got " + url);
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("--hub must name the hub's host, e.g. http://hub.example.com:8081, got " + url);
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("--hub must be a plain URL without user, query or fragment, e.g. http://hub.example.com:8081, got " + url);
        }
        String text = url.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith(INGEST_SUFFIX)) {
            text = text.substring(0, text.length() - INGEST_SUFFIX.length());
        }
        return URI.create(text);
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String checkKey(String key, String where) {
        String k = key.strip();
        if (k.isEmpty()) {
            throw new IllegalArgumentException(where + " is empty: pass the host key shown when the host was added");
        }
        if (k.length() > MAX_KEY_CHARS) {
            throw new IllegalArgumentException(where + " is " + k.length() + " characters long, not a host key: pass the key shown when the host was added");
        }
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException(where + " contains a space or a character that cannot be in a host key (at position "
                        + (i + 1) + "): pass the key shown when the host was added, in quotes if your shell needs them");
            }
        }
        return k;
    }
}
