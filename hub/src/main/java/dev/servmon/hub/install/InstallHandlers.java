package dev.servmon.hub.install;

import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.IngestUrls;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * {@code GET /install/agent.sh} and {@code GET /install/servmon-agent.jar}: what the one-line
 * install command fetches. Neither needs a login; neither contains a secret (the host key is
 * an argument of the command the person runs).
 */
public final class InstallHandlers {
    /** Path of the script. */
    public static final String SCRIPT_PATH = "/install/agent.sh";
    /** Path of the jar. */
    public static final String JAR_PATH = "/install/servmon-agent.jar";
    /** Path of a self-signed hub's certificate, for agents to trust. */
    public static final String CA_PATH = "/install/ca.pem";
    private static final String MISSING = "this hub has no agent jar to hand out: it runs from unpacked classes, not from "
            + "servmon.jar. Build servmon.jar with './mvnw -B package' (it carries agent/target/servmon-agent.jar), "
            + "or start the hub with --agent-jar FILE";

    private final Optional<AgentJar> jar;
    private final IngestUrls ingestUrls;
    private final String caPem;
    private final String caSha256;

    public InstallHandlers(Optional<AgentJar> jar, IngestUrls ingestUrls) {
        this(jar, ingestUrls, null, null);
    }

    /** @param caPem a self-signed hub's certificate to serve at {@link #CA_PATH} (null: none), with its SHA-256 hex */
    public InstallHandlers(Optional<AgentJar> jar, IngestUrls ingestUrls, String caPem, String caSha256) {
        this.jar = jar;
        this.ingestUrls = ingestUrls;
        this.caPem = caPem;
        this.caSha256 = caSha256;
    }

    /** {@code GET /install/ca.pem}: the self-signed certificate agents pass as --ca-file; public, like any certificate. */
    public void ca(Context ctx) {
        if (caPem == null) {
            throw ApiException.notFound("this hub has no self-signed certificate to hand out (it runs without TLS or with a CA-signed one)");
        }
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("application/x-pem-file");
        ctx.result(caPem);
    }

    /** True when there is a jar, so the install command works. */
    public boolean available() {
        return jar.isPresent();
    }

    public void script(Context ctx) {
        AgentJar agentJar = jar.orElseThrow(() -> ApiException.notFound(MISSING));
        // The hub URL inside depends on the address the request came to: revalidate every time.
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("text/x-shellscript; charset=utf-8");
        ctx.result(InstallScript.render(ingestUrls.forRequest(ctx), agentJar.sha256(), caSha256));
    }

    public void jar(Context ctx) {
        AgentJar agentJar = jar.orElseThrow(() -> ApiException.notFound(MISSING));
        String etag = "\"" + agentJar.sha256() + "\"";
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "no-cache");
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        // A jar has no charset; without clearing it, Jetty would append the default one.
        ctx.res().setCharacterEncoding(null);
        ctx.contentType("application/java-archive");
        ctx.header("Content-Disposition", "attachment; filename=\"servmon-agent.jar\"");
        try {
            ctx.result(agentJar.open());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent jar " + agentJar.source(), e);
        }
    }
}
