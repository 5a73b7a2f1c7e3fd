package dev.servmon.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.hub.SecurityConfig;
import dev.servmon.hub.TestHub;
import dev.servmon.hub.tls.HubTls;
import dev.servmon.hub.tls.Pem;
import dev.servmon.hub.tls.TlsConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
    @Test
    void a_self_signed_hub_serves_both_ports_over_https_with_hsts_and_secure_cookies() throws Exception {
        try (var hub = TestHub.start(cfg -> cfg.withSecurity(SecurityConfig.DEFAULTS.withTls(TlsConfig.selfSignedInDataDir())))) {
            assertThat(hub.apiUrl()).startsWith("https://");
            var http = hub.httpClient();
            for (String base : new String[] {hub.apiUrl(), hub.ingestUrl()}) {
                var r = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(base).isEqualTo(200);
                assertThat(r.headers().firstValue("Strict-Transport-Security")).as(base).contains(HubTls.HSTS);
            }
            var login = hub.anonymous().post("/api/v1/session", "{\"username\":\"admin\",\"password\":\"" + TestHub.ADMIN_PASSWORD + "\"}");
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure").contains("HttpOnly");
            assertThat(hub.anonymous().json(login).get("ingestUrl").asText()).isEqualTo(hub.ingestUrl());

            // The certificate names the loopback address and localhost, and is kept in the data dir.
            X509Certificate leaf = hub.hub().tls().orElseThrow().leaf();
            assertThat(leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                    .contains("localhost", "127.0.0.1");
            assertThat(leaf.getBasicConstraints()).isGreaterThanOrEqualTo(0);
            assertThat(hub.dataDir().resolve("tls/hub-ca.pem")).exists();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(hub.dataDir().resolve("tls/hub-key.pem")))).isEqualTo("rw-------");

            // A client that does not trust the certificate is refused by the handshake.
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.apiUrl() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
            // Plain HTTP to a TLS port gets no HTTP answer.
            assertThatThrownBy(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.hub().port() + "/healthz")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void a_self_signed_hub_hands_out_its_certificate_and_pins_it_in_the_install_script_and_command(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("servmon-agent.jar"), new byte[] {'P', 'K', 3, 4});
        try (var hub = TestHub.start(cfg -> cfg.withAgentJar(jar).withSecurity(SecurityConfig.DEFAULTS.withTls(TlsConfig.selfSignedInDataDir())))) {
            var http = hub.httpClient();
            var ca = http.send(HttpRequest.newBuilder(URI.create(hub.ingestUrl() + "/install/ca.pem")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ca.statusCode()).isEqualTo(200);
            assertThat(ca.body()).isEqualTo(Files.readString(hub.dataDir().resolve("tls/hub-ca.pem")));
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.body().getBytes(StandardCharsets.US_ASCII)));
            var script = hub.hub().tls().orElseThrow();
            assertThat(script.caPemSha256()).isEqualTo(sha);
            var admin = hub.admin();
            String flags = admin.json(admin.get("/api/v1/session")).get("installCurlFlags").asText();
            assertThat(flags).isEqualTo("-fsSL -k --pinnedpubkey '" + script.publicKeyPin() + "'");
            var created = admin.post("/api/v1/hosts", "{\"name\":\"tls-host\"}");
            var body = hub.anonymous().json(created);
            assertThat(body.get("ingestUrl").asText()).startsWith("https://");
            assertThat(body.get("installCommand").asText())
                    .startsWith("curl -fsSL -k --pinnedpubkey '" + script.publicKeyPin() + "' " + hub.ingestUrl() + "/install/agent.sh");
            var sh = http.send(HttpRequest.newBuilder(URI.create(hub.ingestUrl() + "/install/agent.sh")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sh.statusCode()).isEqualTo(200);
            assertThat(sh.body()).contains("CA_SHA256='" + sha + "'").contains("HUB='" + hub.ingestUrl() + "'");
        }
    }

    @Test
    void the_self_signed_certificate_is_made_once_and_reused(@TempDir Path data) {
        var first = HubTls.load(TlsConfig.selfSignedInDataDir(), data, List.of("hub.example.test"));
        var second = HubTls.load(TlsConfig.selfSignedInDataDir(), data, List.of());
        assertThat(second.leaf()).isEqualTo(first.leaf());
        assertThat(second.publicKeyPin()).isEqualTo(first.publicKeyPin()).startsWith("sha256//");
    }

    @Test
    void a_hub_serves_an_rsa_certificate_chain_and_pkcs8_key_from_pem_files(@TempDir Path dir) throws Exception {
        // keytool (in every JDK) makes the RSA pair; the test writes it out as the PEM files an operator would have.
        Path p12 = dir.resolve("rsa.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "hub", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, Pem.encode(ks.getCertificate("hub")));
        Files.writeString(key, Pem.encode((PrivateKey) ks.getKey("hub", "changeit".toCharArray())));

        try (var hub = TestHub.start(cfg -> cfg.withSecurity(SecurityConfig.DEFAULTS.withTls(TlsConfig.files(cert, key))))) {
            var r = hub.httpClient().send(HttpRequest.newBuilder(URI.create(hub.ingestUrl() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(hub.hub().tls().orElseThrow().leaf().getPublicKey().getAlgorithm()).isEqualTo("RSA");
            var noCa = hub.httpClient().send(HttpRequest.newBuilder(URI.create(hub.ingestUrl() + "/install/ca.pem")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noCa.statusCode()).as("an operator's certificate is not handed out").isEqualTo(404);
        }
    }

    @Test
    void bad_tls_settings_fail_at_start_with_a_message_naming_the_flag(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, "not a certificate");
        assertThatThrownBy(() -> TlsConfig.files(cert, null).validate()).hasMessageContaining("--tls-cert and --tls-key go together");
        assertThatThrownBy(() -> new TlsConfig(cert, cert, true).validate()).hasMessageContaining("--tls-self-signed");
        assertThatThrownBy(() -> Pem.privateKey("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----", "--tls-key k.pem"))
                .hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> HubTls.load(TlsConfig.files(cert, cert), dir, List.of())).hasMessageContaining("--tls-cert");
    }
}
