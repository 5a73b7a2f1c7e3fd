package dev.servmon.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately cheap HTTP/1.1 client for load generation: one keep-alive socket, requests
 * written from a pre-rendered body template, responses read just far enough to get the status
 * and skip the body. {@link java.net.http.HttpClient} costs the load generator about as much CPU
 * per request as the hub spends storing it, which on a shared 2-core machine would measure the
 * client as much as the hub.
 *
 * <p>The body template holds markers {@code "@SEQk@"} and {@code "@ATk@"} for its samples
 * k = 0, 1, …, replaced by each request's sequence numbers (first + k) and time.
 */
final class RawIngestClient implements AutoCloseable {
    /** The marker of sample k's seq in a body template. */
    static String seqMarker(int k) {
        return "\"@SEQ" + k + "@\"";
    }

    /** The marker of sample k's time in a body template. */
    static String atMarker(int k) {
        return "\"@AT" + k + "@\"";
    }

    private final InetSocketAddress address;
    private final String path;
    private final byte[] buf = new byte[8192];
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    RawIngestClient(String host, int port, String path) {
        this.address = new InetSocketAddress(host, port);
        this.path = path;
    }

    /**
     * Sends one report of {@code samples} samples (seqs {@code firstSeq} on, all taken at
     * {@code atMs} minus one second per sample from the newest) and returns the HTTP status,
     * reconnecting once if the hub closed the connection.
     */
    int post(String bearer, String bodyTemplate, int samples, long firstSeq, long atMs) throws IOException {
        String body = bodyTemplate;
        for (int k = 0; k < samples; k++) {
            body = body.replace(seqMarker(k), Long.toString(firstSeq + k)).replace(atMarker(k), Long.toString(atMs - (samples - 1 - k) * 1000L));
        }
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + "\r\nAuthorization: Bearer " + bearer
                + "\r\nContent-Type: application/json\r\nContent-Length: " + bodyBytes.length + "\r\n\r\n";
        for (int attempt = 0; ; attempt++) {
            try {
                connect();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(bodyBytes);
                out.flush();
                return readResponse();
            } catch (IOException e) {
                close();
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private void connect() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 5_000);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }
    }

    /** Reads the status line and headers, skips the body, returns the status. */
    private int readResponse() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String h; !(h = line()).isEmpty(); ) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                closeAfter = true;
            }
        }
        if (chunked) {
            for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                skip(size);
                line();
            }
            line();
        } else if (length > 0) {
            skip(length);
        }
        if (closeAfter) {
            close();
        }
        return code;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("connection closed in a response body");
            }
            n -= r;
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed in a response head");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
