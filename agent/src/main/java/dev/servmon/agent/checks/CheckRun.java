package dev.servmon.agent.checks;

import dev.servmon.agent.control.CommandHandler;
import dev.servmon.agent.control.CommandHandlers;
import dev.servmon.agent.control.CommandResult;
import dev.servmon.protocol.checks.DirectoryListing;
import dev.servmon.protocol.checks.Probing;
import dev.servmon.protocol.checks.Verdicts;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The {@code check.run} command: {@code {type, settings, timeoutSeconds}} → a result whose data
 * is {@code {up, responseMs, value, certDaysLeft, method, message}} (see {@link ProbeResult}).
 * The command succeeds when the probe ran, whether the target was UP or DOWN; it fails for a
 * type this agent does not run (database checks stay on the hub, which ships the drivers) or
 * settings it cannot read, with a message saying so.
 */
public final class CheckRun implements CommandHandler {
    public static final String TYPE = "check.run";
    /** The hub allows at most this; more is refused rather than holding a command thread. */
    static final int MAX_TIMEOUT_SECONDS = 60;

    private final Clock clock;
    private final String osName;
    private volatile Path pingCommand;
    private volatile boolean pingLookedUp;

    CheckRun(Clock clock, String osName) {
        this.clock = clock;
        this.osName = osName;
    }

    /**
     * Registers {@code check.run} in {@code handlers}. File ages are measured with the system
     * clock, the one file modification times are written with.
     */
    public static void register(CommandHandlers handlers) {
        handlers.register(new CheckRun(Clock.systemUTC(), System.getProperty("os.name", "")));
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Sent at each check's interval: logged at debug. */
    @Override
    public boolean routine() {
        return true;
    }

    @Override
    public CommandResult handle(Map<String, Object> args) throws InterruptedException {
        ProbeResult r;
        try {
            r = run(args == null ? Map.of() : args);
        } catch (IllegalArgumentException e) {
            return CommandResult.failed(e.getMessage());
        }
        return new CommandResult(true, ProbeResult.cut(r.message()), r.data());
    }

    ProbeResult run(Map<String, Object> args) throws InterruptedException {
        String type = args.get("type") instanceof String t ? t : null;
        if (type == null) {
            throw new IllegalArgumentException("check.run needs a type: tcp, http, ping, dns, directory or command");
        }
        int timeout = args.get("timeoutSeconds") instanceof Number n ? n.intValue() : 10;
        if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("timeoutSeconds must be between 1 and " + MAX_TIMEOUT_SECONDS + ", got " + timeout);
        }
        Settings s = Settings.of(args.get("settings"));
        return switch (type) {
            case "tcp" -> NetProbes.tcp(s.requiredText("host"), port(s), timeout);
            case "http" -> HttpProbe.run(s, timeout, clock.millis());
            case "ping" -> NetProbes.ping(s.requiredText("host"), timeout, pingCommand());
            case "dns" -> dns(s);
            case "directory" -> directory(s);
            case "command" -> CommandProbe.run(s.requiredText("command"), timeout, osName);
            case "database" -> throw new IllegalArgumentException("database checks are run by the hub only (it has the drivers); "
                    + "clear the check's agent so the hub runs it");
            default -> throw new IllegalArgumentException("this agent does not run " + type + " checks; it runs tcp, http, ping, dns, "
                    + "directory and command checks");
        };
    }

    private static int port(Settings s) {
        Long port = s.number("port");
        if (port == null || port < 1 || port > 65535) {
            throw new IllegalArgumentException("settings.port must be between 1 and 65535, got " + port);
        }
        return port.intValue();
    }

    private static ProbeResult dns(Settings s) {
        if (s.text("dnsServer") != null) {
            throw new IllegalArgumentException("an agent asks its system resolver; a check with settings.dnsServer is run by the hub");
        }
        String type = s.text("recordType") == null ? "A" : s.text("recordType");
        return NetProbes.dns(s.requiredText("dnsName"), type, s.text("expected"));
    }

    private ProbeResult directory(Settings s) {
        Path dir = Path.of(s.requiredText("path"));
        String glob = s.text("glob") == null ? "*" : s.text("glob");
        long start = System.nanoTime();
        DirectoryListing listing;
        try {
            listing = DirectoryListing.of(dir, glob);
        } catch (NoSuchFileException e) {
            return ProbeResult.down(null, "no directory " + dir);
        } catch (NotDirectoryException e) {
            return ProbeResult.down(null, dir + " is not a directory");
        } catch (IOException | SecurityException e) {
            return ProbeResult.down(null, "cannot read " + dir + ": " + Probing.rootMessage(e));
        }
        var verdict = Verdicts.directory(listing.count(), listing.newestMs(), clock.millis(), s.number("minCount"), s.number("maxCount"),
                s.number("maxAgeSeconds"));
        return ProbeResult.of(verdict, Probing.msSince(start)).withValue((double) listing.count());
    }

    /** Looked up at the first ping check, not at agent start: most agents never run one. */
    private Path pingCommand() {
        if (!pingLookedUp) {
            pingCommand = NetProbes.pingCommand();
            pingLookedUp = true;
        }
        return pingCommand;
    }
}
