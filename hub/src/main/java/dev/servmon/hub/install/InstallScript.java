package dev.servmon.hub.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The install script ({@code agent.sh} beside this class) with the hub's URL and the jar's hash filled in. */
public final class InstallScript {
    private static final String TEMPLATE = load();

    private InstallScript() {}

    /**
     * The script for agents of the hub at {@code hubUrl} (its ingest URL) installing the jar
     * whose SHA-256 is {@code sha256}. Both go in as single-quoted shell words.
     */
    public static String render(String hubUrl, String sha256) {
        return render(hubUrl, sha256, null);
    }

    /**
     * As {@link #render(String, String)} for a hub with a self-signed certificate: the script
     * fetches {@value InstallHandlers#CA_PATH}, checks it against {@code caSha256} and trusts only
     * it from then on (null: the hub's certificate is trusted by the system, or there is no TLS).
     */
    public static String render(String hubUrl, String sha256, String caSha256) {
        return TEMPLATE.replace("@HUB_URL@", shellQuote(hubUrl)).replace("@JAR_SHA256@", shellQuote(sha256))
                .replace("@CA_SHA256@", shellQuote(caSha256 == null ? "" : caSha256));
    }

    /** {@code s} as one shell word that the shell takes literally. */
    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String load() {
        try (InputStream in = InstallScript.class.getResourceAsStream("agent.sh")) {
            if (in == null) {
                throw new IllegalStateException("agent.sh is missing beside " + InstallScript.class.getName() + " in the hub's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the install script template", e);
        }
    }
}
