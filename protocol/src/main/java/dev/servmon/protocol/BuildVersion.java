package dev.servmon.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The release version of this build, from {@code build-version.properties} written by the
 * build. Hub, agent and CLI are built and shipped together, so they share it (the wire format's
 * own version is {@link ProtocolVersion}).
 */
public final class BuildVersion {
    private static final String CURRENT = load();

    private BuildVersion() {}

    /** This build's version, e.g. {@code 0.1.0}; {@code dev} when run from unbuilt sources. */
    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("build-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build version resource", e);
        }
    }
}
