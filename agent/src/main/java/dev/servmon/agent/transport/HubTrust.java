package dev.servmon.agent.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust for an https hub whose certificate no system CA signed (a hub started with
 * {@code --tls-self-signed}, a private CA): the certificates of a PEM file, and nothing else.
 * JDK classes only.
 */
public final class HubTrust {
    /** What to do when the hub's certificate is not trusted, for logs. */
    public static final String NOT_TRUSTED = "hub certificate is not trusted: pass --ca-file /path/hub-ca.pem "
            + "(the hub prints where it is)";

    private HubTrust() {}

    /**
     * A socket factory that trusts exactly the certificates in {@code caFile}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static SSLSocketFactory socketFactory(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("--ca-file " + caFile + " holds no certificate: give the hub's PEM file (hub-ca.pem)");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                trust.setCertificateEntry("hub-ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--ca-file " + caFile + " does not exist: copy the hub's hub-ca.pem there", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("--ca-file " + caFile + " cannot be read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--ca-file " + caFile + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    /** One line for a failed TLS handshake, saying what to do; null when {@code e} is not one. */
    public static String explain(IOException e, String host) {
        if (!(e instanceof SSLHandshakeException)) {
            return null;
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("PKIX") || m.contains("certification path") || m.contains("unable to find valid")) {
            return NOT_TRUSTED;
        }
        if (m.contains("subject alternative") || m.contains("No name matching")) {
            return "hub certificate does not name " + host + ": use the hub's name from its certificate in --hub, or give the hub "
                    + "a certificate for " + host;
        }
        return "TLS handshake with the hub failed: " + m;
    }
}
