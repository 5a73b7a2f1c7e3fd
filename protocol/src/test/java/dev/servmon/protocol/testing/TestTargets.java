package dev.servmon.protocol.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Real targets on loopback for the probes of hub and agent: an HTTPS server with a short-lived
 * self-signed certificate. Both modules' tests take it from this module's test-jar.
 */
public final class TestTargets {
    private TestTargets() {}

    /**
     * A PKCS12 key store in {@code dir} holding a self-signed certificate for localhost and
     * 127.0.0.1 that expires {@code days} days from now, made by the JDK's own keytool.
     */
    public static Path selfSigned(Path dir, int days) {
        Path store = dir.resolve("tls-" + days + "d.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        try {
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "test", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-validity", String.valueOf(days), "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return store;
    }

    /**
     * An HTTPS server on 127.0.0.1 with that key store: {@code /} answers 200 "servmon says
     * hello", {@code /missing} 404, {@code /moved} 302 to {@code /}.
     */
    public static HttpsServer https(Path keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keyStore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/", ex -> {
            byte[] body;
            int status;
            switch (ex.getRequestURI().getPath()) {
                case "/" -> {
                    status = 200;
                    body = "<html>servmon says hello</html>".getBytes(StandardCharsets.UTF_8);
                }
                case "/moved" -> {
                    status = 302;
                    ex.getResponseHeaders().add("Location", "/");
                    body = new byte[0];
                }
                default -> {
                    status = 404;
                    body = "not here".getBytes(StandardCharsets.UTF_8);
                }
            }
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(status, -1);
            } else {
                ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
        return server;
    }
}
