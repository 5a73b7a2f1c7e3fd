package dev.servmon.hub.checks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A tiny authoritative DNS server on a loopback UDP port for tests, written from RFC 1035
 * independently of {@link DnsMessage}'s parser: it answers from a fixed table of
 * {@code "name TYPE"} → answers, NXDOMAIN for anything else, and compresses answer names with a
 * pointer to the question, as real servers do.
 */
final class DnsResponder implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, List<String>> records;
    private final Thread thread;

    DnsResponder(Map<String, List<String>> records) throws SocketException {
        this.records = records;
        this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        this.thread = new Thread(this::serve, "test-dns");
        thread.setDaemon(true);
        thread.start();
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                socket.receive(in);
                byte[] answer = answer(buf, in.getLength());
                socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private byte[] answer(byte[] query, int length) throws IOException {
        ByteBuffer q = ByteBuffer.wrap(query, 0, length);
        short id = q.getShort();
        q.position(12);
        StringBuilder name = new StringBuilder();
        for (int len = q.get(); len != 0; len = q.get()) {
            byte[] label = new byte[len];
            q.get(label);
            name.append(name.length() == 0 ? "" : ".").append(new String(label, StandardCharsets.US_ASCII));
        }
        int type = q.getShort();
        q.getShort();
        int questionEnd = q.position();
        String typeName = switch (type) {
            case 1 -> "A";
            case 28 -> "AAAA";
            case 15 -> "MX";
            case 16 -> "TXT";
            default -> "?";
        };
        List<String> values = records.get(name + " " + typeName);
        boolean known = records.keySet().stream().anyMatch(k -> k.startsWith(name + " "));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(12);
        header.putShort(id).putShort((short) (0x8180 | (known ? 0 : 3))).putShort((short) 1)
                .putShort((short) (values == null ? 0 : values.size())).putShort((short) 0).putShort((short) 0);
        out.write(header.array());
        out.write(query, 12, questionEnd - 12);
        for (String v : values == null ? List.<String>of() : values) {
            byte[] rdata = switch (typeName) {
                case "A", "AAAA" -> InetAddress.getByName(v).getAddress();
                case "MX" -> {
                    String[] parts = v.split(" ");
                    ByteArrayOutputStream r = new ByteArrayOutputStream();
                    r.write(Integer.parseInt(parts[0]) >> 8);
                    r.write(Integer.parseInt(parts[0]) & 0xFF);
                    r.write(labels(parts[1]));
                    yield r.toByteArray();
                }
                default -> {
                    byte[] text = v.getBytes(StandardCharsets.UTF_8);
                    ByteArrayOutputStream r = new ByteArrayOutputStream();
                    r.write(text.length);
                    r.write(text);
                    yield r.toByteArray();
                }
            };
            ByteBuffer rr = ByteBuffer.allocate(12 + rdata.length);
            rr.putShort((short) 0xC00C).putShort((short) type).putShort((short) 1).putInt(300).putShort((short) rdata.length).put(rdata);
            out.write(rr.array());
        }
        return out.toByteArray();
    }

    private static byte[] labels(String name) throws IOException {
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            r.write(label.length());
            r.write(label.getBytes(StandardCharsets.US_ASCII));
        }
        r.write(0);
        return r.toByteArray();
    }

    @Override
    public void close() {
        socket.close();
    }
}
