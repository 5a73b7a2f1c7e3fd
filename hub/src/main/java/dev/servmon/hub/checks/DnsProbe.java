package dev.servmon.hub.checks;

import dev.servmon.protocol.checks.Probing;
import dev.servmon.protocol.checks.Verdicts;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * DNS checks. Without a server: the JDK's resolver ({@link InetAddress#getAllByName}, so the
 * system's resolv.conf, hosts file and cache), A and AAAA only, method {@code system}. With a
 * server: one UDP query of {@link DnsMessage} to it (A, AAAA, MX or TXT), method {@code udp}.
 * UP when there is an answer and, if {@code expected} is set, it is among the answers.
 */
final class DnsProbe implements Probe {
    private static final SecureRandom IDS = new SecureRandom();

    @Override
    public Outcome run(Check check) {
        var s = check.settings();
        String type = s.recordType() == null ? "A" : s.recordType();
        long start = System.nanoTime();
        List<String> answers;
        String method;
        try {
            if (s.dnsServer() == null) {
                method = "system";
                answers = system(s.dnsName(), type);
            } else {
                method = "udp";
                var server = HostPort.parse("dnsServer", s.dnsServer(), 53);
                answers = udp(server, s.dnsName(), type, check.timeoutSeconds() * 1000);
            }
        } catch (UnknownHostException e) {
            return Outcome.down(Probing.msSince(start), "cannot resolve " + s.dnsName() + " (" + type + ")").withMethod(s.dnsServer() == null ? "system" : "udp");
        } catch (SocketTimeoutException e) {
            return Outcome.down(Probing.msSince(start), "no answer from " + s.dnsServer() + " within " + check.timeoutSeconds() + " s").withMethod("udp");
        } catch (IOException | IllegalArgumentException e) {
            return Outcome.down(Probing.msSince(start), e.getMessage()).withMethod(s.dnsServer() == null ? "system" : "udp");
        }
        double ms = Probing.msSince(start);
        return judge(answers, s.expected(), type, ms).withMethod(method);
    }

    /** UP or DOWN from the answers; pure. */
    static Outcome judge(List<String> answers, String expected, String type, double ms) {
        return Outcome.of(Verdicts.dns(answers, expected, type), ms).withValue((double) answers.size());
    }

    private static List<String> system(String name, String type) throws UnknownHostException {
        List<String> out = new ArrayList<>();
        for (InetAddress a : InetAddress.getAllByName(name)) {
            boolean wanted = type.equals("A") ? a instanceof Inet4Address : a instanceof Inet6Address;
            if (wanted && !out.contains(a.getHostAddress())) {
                out.add(a.getHostAddress());
            }
        }
        return out;
    }

    private static List<String> udp(HostPort server, String name, String type, int timeoutMs) throws IOException {
        int qtype = DnsMessage.type(type);
        int id = IDS.nextInt(0x10000);
        byte[] query = DnsMessage.query(id, name, qtype);
        InetSocketAddress to = new InetSocketAddress(server.host(), server.port());
        if (to.isUnresolved()) {
            throw new UnknownHostException(server.host());
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(timeoutMs);
            socket.connect(to);
            socket.send(new DatagramPacket(query, query.length));
            byte[] buf = new byte[4096];
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            while (true) {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                socket.receive(packet);
                DnsMessage.Answer answer;
                try {
                    answer = DnsMessage.parse(buf, packet.getLength(), id, qtype);
                } catch (IllegalArgumentException e) {
                    // A stray or spoofed packet: keep waiting for ours until the deadline.
                    int left = (int) ((deadline - System.nanoTime()) / 1_000_000L);
                    if (left <= 0) {
                        throw new SocketTimeoutException();
                    }
                    socket.setSoTimeout(left);
                    continue;
                }
                if (answer.rcode() != 0) {
                    throw new IllegalArgumentException(server.host() + " answered " + DnsMessage.rcodeText(answer.rcode()) + " for " + name);
                }
                if (answer.truncated() && answer.values().isEmpty()) {
                    throw new IllegalArgumentException(server.host() + " sent a truncated answer (too large for UDP; DNS over TCP is not supported)");
                }
                return answer.values();
            }
        }
    }
}
