package dev.servmon.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The agent's build version, from {@code agent-version.properties} written by the build. */
public final class AgentVersion {
    private static final String CURRENT = load();

    private AgentVersion() {}

    /** This build's version, e.g. {@code 0.1.0}; {@code dev} when run from unbuilt sources. */
    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("agent-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent's version resource", e);
        }
    }
}
