package dev.servmon.agent.checks;

import dev.servmon.agent.collect.Command;
import dev.servmon.protocol.checks.PingOutput;
import dev.servmon.protocol.checks.Probing;
import dev.servmon.protocol.checks.Verdicts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * TCP, ping and DNS checks from this machine. Ping uses the system {@code ping} when there is
 * one (method {@code icmp-command}); otherwise {@link InetAddress#isReachable}, which sends ICMP
 * only with CAP_NET_RAW (method {@code icmp}) and else tries TCP port 7 (method {@code tcp-echo}).
 * DNS asks the system resolver (method {@code system}): the answer this machine's programs get.
 */
final class NetProbes {
    private static final String[] PING_PATHS = {"/usr/bin/ping", "/bin/ping", "/usr/sbin/ping", "/sbin/ping"};

    private NetProbes() {}

    static ProbeResult tcp(String host, int port, int timeoutSeconds) {
        String target = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutSeconds * 1000);
            return ProbeResult.up(Probing.msSince(start), "connected to " + target);
        } catch (UnknownHostException e) {
            return ProbeResult.down(null, "unknown host " + host);
        } catch (SocketTimeoutException e) {
            return ProbeResult.down(Probing.msSince(start), "no connection within " + timeoutSeconds + " s");
        } catch (ConnectException e) {
            return ProbeResult.down(Probing.msSince(start), "connection refused by " + target);
        } catch (IOException | IllegalArgumentException e) {
            return ProbeResult.down(Probing.msSince(start), "connect failed: " + Probing.rootMessage(e));
        }
    }

    /** The system's ping command, or null. */
    static Path pingCommand() {
        for (String p : PING_PATHS) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return Command.find("ping", System.getenv("PATH"));
    }

    static ProbeResult ping(String host, int timeoutSeconds, Path pingCommand) throws InterruptedException {
        if (pingCommand == null) {
            return reachable(host, timeoutSeconds);
        }
        try {
            var done = Command.execute(List.of(pingCommand.toString(), "-n", "-c", "1", "-W", String.valueOf(timeoutSeconds), host),
                    Duration.ofSeconds(timeoutSeconds + 2L));
            Double ms = PingOutput.roundTripMs(done.output());
            ProbeResult r;
            if (done.exitStatus() == 0) {
                r = ProbeResult.up(ms, "echo reply from " + host);
            } else if (done.exitStatus() == 2) {
                r = ProbeResult.down(null, "ping failed: " + lastLine(done.errors().isBlank() ? done.output() : done.errors()));
            } else {
                r = ProbeResult.down(null, "no echo reply from " + host + " within " + timeoutSeconds + " s");
            }
            return r.withMethod("icmp-command");
        } catch (IOException e) {
            return ProbeResult.down(null, "ping command failed: " + e.getMessage()).withMethod("icmp-command");
        }
    }

    private static ProbeResult reachable(String host, int timeoutSeconds) {
        String method = hasNetRaw() ? "icmp" : "tcp-echo";
        long start = System.nanoTime();
        try {
            InetAddress address = InetAddress.getByName(host);
            long resolved = System.nanoTime();
            if (address.isReachable(timeoutSeconds * 1000)) {
                return ProbeResult.up(Probing.msSince(resolved), "reachable: " + address.getHostAddress()).withMethod(method);
            }
            return ProbeResult.down(Probing.msSince(start), "no answer from " + address.getHostAddress() + " within " + timeoutSeconds + " s")
                    .withMethod(method);
        } catch (UnknownHostException e) {
            return ProbeResult.down(null, "unknown host " + host).withMethod(method);
        } catch (IOException e) {
            return ProbeResult.down(null, "ping failed: " + e.getMessage()).withMethod(method);
        }
    }

    private static boolean hasNetRaw() {
        try {
            return PingOutput.hasNetRaw(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return false; // not Linux: isReachable will say what it can
        }
    }

    /** A and AAAA from the system resolver; other types need a DNS server, which only the hub asks. */
    static ProbeResult dns(String name, String type, String expected) {
        if (!type.equals("A") && !type.equals("AAAA")) {
            throw new IllegalArgumentException("an agent resolves A and AAAA records only (system resolver), not " + type
                    + "; let the hub run this check with a dnsServer");
        }
        long start = System.nanoTime();
        List<String> answers = new ArrayList<>();
        try {
            for (InetAddress a : InetAddress.getAllByName(name)) {
                boolean wanted = type.equals("A") ? a instanceof Inet4Address : a instanceof Inet6Address;
                if (wanted && !answers.contains(a.getHostAddress())) {
                    answers.add(a.getHostAddress());
                }
            }
        } catch (UnknownHostException e) {
            return ProbeResult.down(Probing.msSince(start), "cannot resolve " + name + " (" + type + ")").withMethod("system");
        }
        double ms = Probing.msSince(start);
        return ProbeResult.of(Verdicts.dns(answers, expected, type), ms).withValue((double) answers.size()).withMethod("system");
    }

    private static String lastLine(String text) {
        String t = text.strip();
        int nl = t.lastIndexOf('\n');
        return nl < 0 ? t : t.substring(nl + 1);
    }
}
