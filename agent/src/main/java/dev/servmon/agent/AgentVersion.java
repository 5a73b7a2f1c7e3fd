package dev.servmon.agent;

import dev.servmon.protocol.BuildVersion;

/** The agent's build version: the release's ({@link BuildVersion}), which hub and CLI share. */
public final class AgentVersion {
    private AgentVersion() {}

    /** This build's version, e.g. {@code 0.1.0}; {@code dev} when run from unbuilt sources. */
    public static String current() {
        return BuildVersion.current();
    }
}
