package dev.servmon.hub.alerts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * GreenMail's SMTP server does not offer STARTTLS, so the test puts this in front of it: it
 * greets, offers only STARTTLS, upgrades the connection with GreenMail's own test certificate
 * and then relays the (now encrypted) session to GreenMail, keeping a transcript of what the
 * client said inside TLS so the test can see it authenticated there.
 */
final class StartTlsProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final SSLContext tls;
    private final StringBuffer insideTls = new StringBuffer();
    private volatile boolean upgraded;

    StartTlsProxy(int upstreamPort) {
        this.upstreamPort = upstreamPort;
        try (InputStream p12 = StartTlsProxy.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(p12, "changeit".toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        Thread t = new Thread(this::accept, "test-starttls-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    boolean upgraded() {
        return upgraded;
    }

    String insideTls() {
        return insideTls.toString();
    }

    private void accept() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                serve(client);
            } catch (IOException e) {
                // closed, or a client went away
            }
        }
    }

    private void serve(Socket client) throws IOException {
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();
        write(out, "220 proxy ESMTP\r\n");
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return;
            }
            String cmd = line.toUpperCase(java.util.Locale.ROOT);
            if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) {
                write(out, "250-proxy\r\n250 STARTTLS\r\n");
            } else if (cmd.startsWith("STARTTLS")) {
                write(out, "220 go ahead\r\n");
                break;
            } else {
                write(out, "530 5.7.0 Must issue a STARTTLS command first\r\n");
            }
        }
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client, "127.0.0.1", client.getPort(), true);
        secure.setUseClientMode(false);
        secure.startHandshake();
        upgraded = true;
        try (Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            readLine(up.getInputStream()); // GreenMail's greeting; the client had ours
            Thread back = new Thread(() -> pump(up, secure, null), "test-starttls-back");
            back.setDaemon(true);
            back.start();
            pump(secure, up, insideTls);
        }
    }

    private static void pump(Socket from, Socket to, StringBuffer transcript) {
        byte[] buf = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                if (transcript != null) {
                    transcript.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return line.toString(StandardCharsets.US_ASCII).strip();
            }
            line.write(c);
        }
        return null;
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
