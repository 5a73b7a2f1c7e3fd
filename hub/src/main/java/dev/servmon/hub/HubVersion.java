package dev.servmon.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The hub's build version, from {@code hub-version.properties} written by the build (the hub
 * does not depend on the agent module, which has its own copy of the same number).
 */
public final class HubVersion {
    private static final String CURRENT = load();

    private HubVersion() {}

    /** This build's version, e.g. {@code 0.1.0}; {@code dev} when run from unbuilt sources. */
    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = HubVersion.class.getResourceAsStream("hub-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the hub's version resource", e);
        }
    }
}
