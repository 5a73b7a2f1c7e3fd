package dev.servmon.hub.api;

import io.javalin.http.Context;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * The ingest URL agents should be given: the configured public one, or else the address the
 * browser used to reach the dashboard with the ingest port.
 */
public final class IngestUrls {
    private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]");

    private final String publicIngestUrl;
    private final IntSupplier ingestPort;
    private final String curlFlags;

    /**
     * @param publicIngestUrl the configured URL, or null to derive one per request
     * @param ingestPort the port the ingest server listens on (asked per request: the ingest
     *     server itself serves the install script, so it is built before its port is known)
     */
    public IngestUrls(String publicIngestUrl, IntSupplier ingestPort) {
        this(publicIngestUrl, ingestPort, null);
    }

    /**
     * @param publicKeyPin for a hub with a self-signed certificate, its public key pin
     *     ({@code sha256//…}): the install command then fetches the script with {@code curl -k
     *     --pinnedpubkey PIN}, which checks the key instead of a CA; null otherwise
     */
    public IngestUrls(String publicIngestUrl, IntSupplier ingestPort, String publicKeyPin) {
        this.publicIngestUrl = publicIngestUrl == null ? null : publicIngestUrl.replaceAll("/+$", "");
        this.ingestPort = ingestPort;
        this.curlFlags = publicKeyPin == null ? "-fsSL " : "-fsSL -k --pinnedpubkey '" + publicKeyPin + "' ";
    }

    /** The curl options of the one-line install ({@code -fsSL}, plus the key pin for a self-signed hub), with a trailing space. */
    public String curlFlags() {
        return curlFlags;
    }

    /** The one-line install for this hub: pins the hub's key when its certificate is self-signed. */
    public String installCommandFor(String ingestUrl, String key) {
        return "curl " + curlFlags + ingestUrl + "/install/agent.sh | sudo sh -s -- --key " + key;
    }

    public String forRequest(Context ctx) {
        if (publicIngestUrl != null) {
            return publicIngestUrl;
        }
        String host = ctx.req().getServerName();
        if (host == null || !SAFE_HOST.matcher(host).matches()) {
            host = "127.0.0.1";
        } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return ctx.scheme() + "://" + host + ":" + ingestPort.getAsInt();
    }

    /** The one-line install: fetch the hub's install script and run it as root with the host key. */
    public static String installCommand(String ingestUrl, String key) {
        return "curl -fsSL " + ingestUrl + "/install/agent.sh | sudo sh -s -- --key " + key;
    }

    /** The command an operator runs on a server to start its agent by hand. */
    public static String agentCommand(String ingestUrl, String key) {
        return "java -jar servmon.jar agent --hub " + ingestUrl + " --key " + key;
    }
}
