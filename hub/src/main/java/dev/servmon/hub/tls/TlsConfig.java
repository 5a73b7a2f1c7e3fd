package dev.servmon.hub.tls;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether and how both hub ports speak TLS: a certificate chain and its PKCS#8 key from PEM files,
 * or a self-signed certificate the hub makes once and keeps in its data directory.
 *
 * @param certFile PEM certificate chain, leaf first, or null
 * @param keyFile PEM PKCS#8 private key (RSA or EC) of the leaf, or null
 * @param selfSigned make (once) and use a self-signed certificate
 */
public record TlsConfig(Path certFile, Path keyFile, boolean selfSigned) {
    /** Plain HTTP. */
    public static final TlsConfig OFF = new TlsConfig(null, null, false);

    public static TlsConfig files(Path certFile, Path keyFile) {
        return new TlsConfig(certFile, keyFile, false);
    }

    public static TlsConfig selfSignedInDataDir() {
        return new TlsConfig(null, null, true);
    }

    public boolean enabled() {
        return selfSigned || certFile != null || keyFile != null;
    }

    /** Throws IllegalArgumentException naming the flag to fix. */
    public TlsConfig validate() {
        if (selfSigned && (certFile != null || keyFile != null)) {
            throw new IllegalArgumentException("servmon: --tls-self-signed and --tls-cert/--tls-key exclude each other; give one");
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("servmon: --tls-cert and --tls-key go together: give both PEM files (certificate chain and PKCS#8 key)");
        }
        for (Path p : new Path[] {certFile, keyFile}) {
            if (p != null && !Files.isReadable(p)) {
                throw new IllegalArgumentException("servmon: " + (p == certFile ? "--tls-cert " : "--tls-key ") + p.toAbsolutePath()
                        + " is not a readable file");
            }
        }
        return this;
    }
}
