package dev.servmon.hub.install;

import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.IngestUrls;
import io.javalin.http.Context;
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
    private static final String MISSING = "this hub has no agent jar to hand out: it runs from unpacked classes, not from "
            + "servmon.jar. Build servmon.jar with './mvnw -B package' (it carries agent/target/servmon-agent.jar), "
            + "or start the hub with --agent-jar FILE";

    private final Optional<AgentJar> jar;
    private final IngestUrls ingestUrls;

    public InstallHandlers(Optional<AgentJar> jar, IngestUrls ingestUrls) {
        this.jar = jar;
        this.ingestUrls = ingestUrls;
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
        ctx.result(InstallScript.render(ingestUrls.forRequest(ctx), agentJar.sha256()));
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
        ctx.result(agentJar.bytes());
    }
}
