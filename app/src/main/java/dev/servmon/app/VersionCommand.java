package dev.servmon.app;

import dev.servmon.protocol.ProtocolVersion;
import picocli.CommandLine.Command;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version of servmon and of its agent protocol.")
final class VersionCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("servmon " + Version.current());
        System.out.println("protocol " + ProtocolVersion.CURRENT + " (accepts agents from " + ProtocolVersion.MIN_COMPATIBLE + ")");
        System.out.println("java " + Runtime.version());
    }
}
