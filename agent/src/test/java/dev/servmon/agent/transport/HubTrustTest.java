package dev.servmon.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a real TLS server with a self-signed certificate (made by the JDK's keytool). */
class HubTrustTest {
    @TempDir
    Path dir;

    @Test
    void a_missing_or_non_pem_ca_file_is_named_with_what_to_do() throws Exception {
        assertThatThrownBy(() -> HubTrust.socketFactory(dir.resolve("nope.pem")))
                .hasMessageContaining("--ca-file").hasMessageContaining("does not exist");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "hello");
        assertThatThrownBy(() -> HubTrust.socketFactory(junk)).hasMessageContaining("--ca-file " + junk);
    }

    @Test
    void an_untrusted_hub_is_one_clear_retryable_line_and_a_trusted_one_acknowledges() throws Exception {
        Path p12 = dir.resolve("hub.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=hub", "-ext", "SAN=ip:127.0.0.1", "-keystore", p12.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        Path ca = Files.writeString(dir.resolve("hub-ca.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(ks.getCertificate("hub").getEncoded()) + "\n-----END CERTIFICATE-----\n");

        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/api/v1/ingest", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] ack = "{\"ackedThroughSeq\":1,\"stored\":1,\"duplicates\":0}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, ack.length);
            ex.getResponseBody().write(ack);
            ex.close();
        });
        server.start();
        SSLSocketFactory systemDefault = HttpsURLConnection.getDefaultSSLSocketFactory();
        try {
            URI hub = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
            List<byte[]> sample = List.of("{\"seq\":1,\"atMs\":1}".getBytes(StandardCharsets.UTF_8));

            SendResult untrusted = new HubClient(hub, "smk_k", "test").send(10, sample);
            assertThat(untrusted).isInstanceOf(SendResult.Retryable.class);
            assertThat(((SendResult.Retryable) untrusted).reason()).isEqualTo(HubTrust.NOT_TRUSTED);

            HttpsURLConnection.setDefaultSSLSocketFactory(HubTrust.socketFactory(ca));
            assertThat(new HubClient(hub, "smk_k", "test").send(10, sample)).isInstanceOf(SendResult.Acked.class);

            SendResult wrongName = new HubClient(URI.create("https://localhost:" + server.getAddress().getPort()), "smk_k", "test").send(10, sample);
            assertThat(((SendResult.Retryable) wrongName).reason()).startsWith("hub certificate does not name localhost");
        } finally {
            HttpsURLConnection.setDefaultSSLSocketFactory(systemDefault);
            server.stop(0);
        }
    }
}
