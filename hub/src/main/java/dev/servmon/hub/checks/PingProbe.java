package dev.servmon.hub.checks;

import dev.servmon.protocol.checks.PingOutput;
import dev.servmon.protocol.checks.Probing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ping checks. The system {@code ping} command when there is one (it carries the privilege to
 * send ICMP): method {@code icmp-command}. Otherwise {@link InetAddress#isReachable}, which sends
 * an ICMP echo when this process may open raw sockets (CAP_NET_RAW, e.g. root) — method
 * {@code icmp} — and else tries a TCP connection to port 7 (echo), where a refused connection
 * also counts as reachable — method {@code tcp-echo}. The result always says which was used.
 */
final class PingProbe implements Probe {
    private static final List<String> PING_PATHS = List.of("/usr/bin/ping", "/bin/ping", "/usr/sbin/ping", "/sbin/ping");

    private final Path pingCommand;
    private final boolean rawSockets;

    PingProbe() {
        this(PING_PATHS.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null), hasNetRaw());
    }

    PingProbe(Path pingCommand, boolean rawSockets) {
        this.pingCommand = pingCommand;
        this.rawSockets = rawSockets;
    }

    /** How this hub pings: {@code icmp-command}, {@code icmp} or {@code tcp-echo}. */
    String method() {
        return pingCommand != null ? "icmp-command" : rawSockets ? "icmp" : "tcp-echo";
    }

    @Override
    public Outcome run(Check check) {
        String host = check.settings().host();
        return (pingCommand != null ? command(host, check.timeoutSeconds()) : java(host, check.timeoutSeconds())).withMethod(method());
    }

    private Outcome command(String host, int timeoutSeconds) {
        long start = System.nanoTime();
        try {
            Process p = new ProcessBuilder(pingCommand.toString(), "-n", "-c", "1", "-W", String.valueOf(timeoutSeconds), host)
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readNBytes(16 * 1024);
            if (!p.waitFor(timeoutSeconds + 2L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Outcome.down(Probing.msSince(start), "ping did not finish within " + timeoutSeconds + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            Double ms = PingOutput.roundTripMs(text);
            if (p.exitValue() == 0) {
                return Outcome.up(ms, null, "echo reply from " + host);
            }
            return Outcome.down(null, p.exitValue() == 2 ? "ping failed: " + lastLine(text) : "no echo reply from " + host + " within " + timeoutSeconds + " s");
        } catch (IOException e) {
            return Outcome.down(null, "ping command failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.down(null, "interrupted: the hub is stopping");
        }
    }

    private static Outcome java(String host, int timeoutSeconds) {
        long start = System.nanoTime();
        try {
            InetAddress address = InetAddress.getByName(host);
            long resolved = System.nanoTime();
            if (address.isReachable(timeoutSeconds * 1000)) {
                return Outcome.up(Probing.msSince(resolved), null, "reachable: " + address.getHostAddress());
            }
            return Outcome.down(Probing.msSince(start), "no answer from " + address.getHostAddress() + " within " + timeoutSeconds + " s");
        } catch (UnknownHostException e) {
            return Outcome.down(null, "unknown host " + host);
        } catch (IOException e) {
            return Outcome.down(null, "ping failed: " + e.getMessage());
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    /** Whether the effective capabilities in /proc/self/status include CAP_NET_RAW (Linux). */
    static boolean hasNetRaw() {
        try {
            return PingOutput.hasNetRaw(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
