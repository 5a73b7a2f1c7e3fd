package dev.servmon.app;

import dev.servmon.agent.AgentVersion;
import picocli.CommandLine;

/** The build version. Hub, agent and CLI are built and shipped together, so they share one. */
public final class Version implements CommandLine.IVersionProvider {
    public static String current() {
        return AgentVersion.current();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"servmon " + current(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
