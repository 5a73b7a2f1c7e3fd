package dev.servmon.agent.control;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal RFC 6455 WebSocket client: the agent's end of the command channel. Text messages
 * only (binary ones are skipped), client frames masked, fragmented messages reassembled,
 * pings answered with pongs, the closing handshake answered; messages larger than
 * {@link #MAX_MESSAGE_BYTES} end the connection (1009).
 *
 * <p>Hand-written rather than {@code java.net.http.WebSocket}: that client costs the agent
 * the HttpClient's selector thread, executor and some 17 MB of resident memory
 * (docs/decisions.md). One thread reads ({@link #receive}); any thread may {@link #send}.
 */
final class WebSocket implements Closeable {
    /** Largest message accepted from the hub; commands are a few hundred bytes. */
    static final int MAX_MESSAGE_BYTES = 1 << 20;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int OP_CONTINUATION = 0;
    private static final int OP_TEXT = 1;
    private static final int OP_BINARY = 2;
    private static final int OP_CLOSE = 8;
    private static final int OP_PING = 9;
    private static final int OP_PONG = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The hub answered the upgrade with something other than 101 (a proxy, a 401 for a revoked key). */
    static final class UpgradeRefused extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        UpgradeRefused(int status, String detail) {
            super("the hub answered the WebSocket upgrade with HTTP " + status + (detail.isEmpty() ? "" : ": " + detail));
            this.status = status;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] mask = new byte[4];
    /** The message being read; grows up to {@link #MAX_MESSAGE_BYTES}, reused. */
    private byte[] message = new byte[1024];
    /** Outgoing frame, reused; guarded by {@code this}. */
    private byte[] frame = new byte[256];
    private volatile boolean closeSent;

    private WebSocket(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /**
     * Opens a WebSocket to {@code uri} ({@code http://} or {@code https://} base with path).
     *
     * @param authorization the {@code Authorization} header's value
     * @param readTimeoutMs a silence this long (no frame, not even a ping) fails {@link #receive}
     * @throws UpgradeRefused when the server does not switch protocols
     * @throws IOException when it cannot connect
     */
    static WebSocket connect(URI uri, String authorization, String userAgent, int connectTimeoutMs, int readTimeoutMs)
            throws IOException {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            socket.setSoTimeout(readTimeoutMs);
            socket.setTcpNoDelay(true);
            if (socket instanceof SSLSocket ssl) {
                var params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.startHandshake();
            }
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: " + authorization + "\r\nUser-Agent: " + userAgent + "\r\n\r\n";
            OutputStream o = socket.getOutputStream();
            o.write(request.getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
            String head = readHead(in);
            int status = status(head);
            if (status != 101) {
                throw new UpgradeRefused(status, body(in, head));
            }
            String accept = header(head, "sec-websocket-accept");
            if (!expectedAccept(key).equals(accept)) {
                throw new IOException("the hub's WebSocket handshake is wrong (Sec-WebSocket-Accept " + accept + "); a proxy in between?");
            }
            return new WebSocket(socket, in);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The {@code Sec-WebSocket-Accept} a server must answer to {@code key}. */
    static String expectedAccept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-1, which every Java must have", e);
        }
    }

    /**
     * The next text message, or null once the server closed the connection (the close was
     * answered). Pings are answered on the way.
     *
     * @throws IOException on a broken connection, a read time-out, or a protocol violation
     *     (the connection is then closed)
     */
    String receive() throws IOException {
        int length = 0;
        boolean inMessage = false;
        boolean skipping = false;
        while (true) {
            int b0 = readByte();
            int b1 = readByte();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            if ((b0 & 0x70) != 0 || (b1 & 0x80) != 0) {
                throw fail(1002, "the hub sent a frame with reserved bits or a mask");
            }
            long len = b1 & 0x7F;
            if (len == 126) {
                len = (readByte() << 8) | readByte();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | readByte();
                }
            }
            if (opcode >= OP_CLOSE) {
                if (!fin || len > 125) {
                    throw fail(1002, "the hub sent a fragmented or long control frame");
                }
                byte[] payload = readFully((int) len);
                switch (opcode) {
                    case OP_PING -> sendFrame(OP_PONG, payload, payload.length);
                    case OP_PONG -> { }
                    case OP_CLOSE -> {
                        if (!closeSent) {
                            sendFrame(OP_CLOSE, payload, Math.min(payload.length, 2));
                        }
                        socket.close();
                        return null;
                    }
                    default -> throw fail(1002, "the hub sent an unknown control frame " + opcode);
                }
                continue;
            }
            if (opcode == OP_TEXT || opcode == OP_BINARY) {
                if (inMessage) {
                    throw fail(1002, "the hub started a message inside another");
                }
                inMessage = true;
                skipping = opcode == OP_BINARY;
                length = 0;
            } else if (opcode != OP_CONTINUATION || !inMessage) {
                throw fail(1002, "the hub sent an unexpected frame (opcode " + opcode + ")");
            }
            if (length + len > MAX_MESSAGE_BYTES) {
                throw fail(1009, "message larger than " + MAX_MESSAGE_BYTES + " bytes");
            }
            if (skipping) {
                in.skipNBytes(len);
            } else {
                int need = length + (int) len;
                if (need > message.length) {
                    message = java.util.Arrays.copyOf(message, Math.min(MAX_MESSAGE_BYTES, Math.max(need, message.length * 2)));
                }
                readInto(message, length, (int) len);
                length = need;
            }
            if (fin) {
                if (!skipping) {
                    return new String(message, 0, length, StandardCharsets.UTF_8);
                }
                inMessage = false;
            }
        }
    }

    /** Sends one text message (a single masked frame). */
    void send(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        sendFrame(OP_TEXT, payload, payload.length);
    }

    /** Starts the closing handshake; {@link #receive} returns null once the server answered. */
    void close(int code, String reason) {
        if (closeSent || socket.isClosed()) {
            return;
        }
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + Math.min(r.length, 123)];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, payload.length - 2);
        try {
            sendFrame(OP_CLOSE, payload, payload.length);
        } catch (IOException e) {
            closeQuietly();
        }
    }

    /** Drops the connection without a closing handshake (the agent stops; {@link #receive} fails). */
    @Override
    public void close() {
        closeQuietly();
    }

    private synchronized void sendFrame(int opcode, byte[] payload, int len) throws IOException {
        if (opcode == OP_CLOSE) {
            closeSent = true;
        }
        int header = len < 126 ? 2 : len < 65536 ? 4 : 10;
        int total = header + 4 + len;
        if (frame.length < total) {
            frame = new byte[Math.max(total, frame.length * 2)];
        }
        frame[0] = (byte) (0x80 | opcode);
        if (len < 126) {
            frame[1] = (byte) (0x80 | len);
        } else if (len < 65536) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (len >> 8);
            frame[3] = (byte) len;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (i < 4 ? 0 : (len >> (8 * (7 - i))));
            }
        }
        RANDOM.nextBytes(mask);
        System.arraycopy(mask, 0, frame, header, 4);
        for (int i = 0; i < len; i++) {
            frame[header + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(frame, 0, total);
        out.flush();
    }

    private IOException fail(int code, String why) {
        close(code, why.length() > 100 ? why.substring(0, 100) : why);
        closeQuietly();
        return new IOException("WebSocket closed: " + why);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the hub closed the connection");
        }
        return b;
    }

    private byte[] readFully(int len) throws IOException {
        byte[] b = new byte[len];
        readInto(b, 0, len);
        return b;
    }

    private void readInto(byte[] b, int off, int len) throws IOException {
        int n = in.readNBytes(b, off, len);
        if (n < len) {
            throw new EOFException("the hub closed the connection inside a frame");
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket that failed: nothing left to do
        }
    }

    /** The status line and headers, up to the blank line. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        while (sb.length() < MAX_HEADER_BYTES) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the hub closed the connection during the WebSocket upgrade");
            }
            sb.append((char) c);
            int n = sb.length();
            if (n >= 4 && sb.charAt(n - 1) == '\n' && sb.charAt(n - 2) == '\r' && sb.charAt(n - 3) == '\n' && sb.charAt(n - 4) == '\r') {
                return sb.toString();
            }
        }
        throw new IOException("the hub's answer to the WebSocket upgrade has headers over " + MAX_HEADER_BYTES + " bytes");
    }

    private static int status(String head) throws IOException {
        int sp = head.indexOf(' ');
        if (!head.startsWith("HTTP/1.") || sp < 0 || head.length() < sp + 4) {
            throw new IOException("the hub's answer to the WebSocket upgrade is not HTTP: " + head.lines().findFirst().orElse(""));
        }
        try {
            return Integer.parseInt(head.substring(sp + 1, sp + 4));
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: " + head.lines().findFirst().orElse(""), e);
        }
    }

    /** A header's value (first occurrence), or null. */
    static String header(String head, String lowerName) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(lowerName)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** Up to 1 KiB of a refusal's body, for the log (the hub's problem JSON says why). */
    private static String body(InputStream in, String head) {
        try {
            String length = header(head, "content-length");
            int n = length == null ? 0 : Math.min(1024, Integer.parseInt(length));
            return new String(in.readNBytes(n), StandardCharsets.UTF_8).strip();
        } catch (IOException | NumberFormatException e) {
            return "";
        }
    }
}
