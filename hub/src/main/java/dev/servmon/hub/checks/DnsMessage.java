package dev.servmon.hub.checks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few pieces of RFC 1035 a DNS check needs, with no I/O: a query for one name and type,
 * and the answers of a response of that type as text (A/AAAA addresses, MX exchanges as
 * {@code 10 mail.example.com}, TXT strings joined). Names in answers may use compression
 * pointers; other record types in the answer (a CNAME chain) are skipped.
 */
final class DnsMessage {
    static final int A = 1;
    static final int MX = 15;
    static final int TXT = 16;
    static final int AAAA = 28;
    private static final int CLASS_IN = 1;
    private static final int MAX_POINTERS = 32;

    private DnsMessage() {}

    /** The response's answers, or the reason there are none. */
    record Answer(int rcode, boolean truncated, List<String> values) {}

    static int type(String recordType) {
        return switch (recordType.toUpperCase(Locale.ROOT)) {
            case "A" -> A;
            case "AAAA" -> AAAA;
            case "MX" -> MX;
            case "TXT" -> TXT;
            default -> throw new IllegalArgumentException("record type " + recordType + " is not supported; use A, AAAA, MX or TXT");
        };
    }

    /** A standard query with recursion desired. */
    static byte[] query(int id, String name, int type) {
        ByteBuffer b = ByteBuffer.allocate(18 + name.length() + 2);
        b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : dev.servmon.protocol.checks.Verdicts.trimDot(name).split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length == 0 || bytes.length > 63) {
                throw new IllegalArgumentException("DNS name '" + name + "' has an empty or over-long label");
            }
            b.put((byte) bytes.length).put(bytes);
        }
        b.put((byte) 0).putShort((short) type).putShort((short) CLASS_IN);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /**
     * The answers of {@code type} in a response to query {@code id}. Throws
     * IllegalArgumentException for a response that is not one (wrong id, not a response, cut short).
     */
    static Answer parse(byte[] packet, int length, int id, int type) {
        ByteBuffer b = ByteBuffer.wrap(packet, 0, length);
        try {
            int gotId = b.getShort() & 0xFFFF;
            int flags = b.getShort() & 0xFFFF;
            if (gotId != id || (flags & 0x8000) == 0) {
                throw new IllegalArgumentException("the server's packet is not an answer to this query");
            }
            int questions = b.getShort() & 0xFFFF;
            int answers = b.getShort() & 0xFFFF;
            b.getShort();
            b.getShort();
            for (int i = 0; i < questions; i++) {
                name(b);
                b.getInt();
            }
            List<String> values = new ArrayList<>();
            for (int i = 0; i < answers; i++) {
                name(b);
                int rtype = b.getShort() & 0xFFFF;
                b.getShort();
                b.getInt();
                int rdlength = b.getShort() & 0xFFFF;
                int end = b.position() + rdlength;
                if (end > b.limit()) {
                    throw new IllegalArgumentException("the server's answer is cut short");
                }
                if (rtype == type) {
                    values.add(rdata(b, type, rdlength));
                }
                b.position(end);
            }
            return new Answer(flags & 0xF, (flags & 0x0200) != 0, values);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the server's answer is cut short");
        }
    }

    private static String rdata(ByteBuffer b, int type, int length) {
        switch (type) {
            case A, AAAA -> {
                byte[] addr = new byte[length];
                b.get(addr);
                try {
                    return InetAddress.getByAddress(addr).getHostAddress();
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("an address record of " + length + " bytes");
                }
            }
            case MX -> {
                int preference = b.getShort() & 0xFFFF;
                return preference + " " + name(b);
            }
            case TXT -> {
                StringBuilder sb = new StringBuilder();
                int end = b.position() + length;
                while (b.position() < end) {
                    byte[] s = new byte[b.get() & 0xFF];
                    b.get(s);
                    sb.append(new String(s, StandardCharsets.UTF_8));
                }
                return sb.toString();
            }
            default -> throw new IllegalArgumentException("record type " + type);
        }
    }

    /** A possibly compressed name at the buffer's position; leaves the position after it. */
    static String name(ByteBuffer b) {
        StringBuilder sb = new StringBuilder();
        int resumeAt = -1;
        int pointers = 0;
        while (true) {
            int len = b.get() & 0xFF;
            if (len == 0) {
                break;
            }
            if ((len & 0xC0) == 0xC0) {
                int target = ((len & 0x3F) << 8) | (b.get() & 0xFF);
                if (++pointers > MAX_POINTERS || target >= b.limit()) {
                    throw new IllegalArgumentException("the server's answer has a name pointer loop");
                }
                if (resumeAt < 0) {
                    resumeAt = b.position();
                }
                b.position(target);
                continue;
            }
            byte[] label = new byte[len];
            b.get(label);
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(new String(label, StandardCharsets.US_ASCII));
        }
        if (resumeAt >= 0) {
            b.position(resumeAt);
        }
        return sb.toString();
    }

    /** What RCODE means, for messages. */
    static String rcodeText(int rcode) {
        return switch (rcode) {
            case 1 -> "FORMERR (the server could not read the query)";
            case 2 -> "SERVFAIL (the server failed)";
            case 3 -> "NXDOMAIN (no such name)";
            case 4 -> "NOTIMP (not implemented)";
            case 5 -> "REFUSED";
            default -> "RCODE " + rcode;
        };
    }
}
