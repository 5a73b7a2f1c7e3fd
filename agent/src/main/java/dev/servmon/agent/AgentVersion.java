package dev.servmon.agent;

/**
 * The agent's build version: the {@code Implementation-Version} the build writes into the
 * manifests of {@code servmon-agent.jar} and {@code servmon.jar}.
 *
 * <p>Read from the manifest, which the JVM parsed anyway to launch the jar, rather than from a
 * resource file: looking up a resource initialises the module image reader, jar URL handlers and
 * a service loader, some 50 classes the agent needs for nothing else.
 */
public final class AgentVersion {
    private static final String CURRENT = orDev(AgentVersion.class.getPackage().getImplementationVersion());

    private AgentVersion() {}

    /** This build's version, e.g. {@code 0.1.0}; {@code dev} when run from classes rather than a built jar. */
    public static String current() {
        return CURRENT;
    }

    static String orDev(String implementationVersion) {
        return implementationVersion == null || implementationVersion.isBlank() ? "dev" : implementationVersion;
    }
}
