package dev.servmon.hub.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** PEM text to and from certificates and PKCS#8 private keys (RFC 7468). Pure: no files. */
public final class Pem {
    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";

    private Pem() {}

    /** The certificates of a PEM text, in order; IllegalArgumentException when there are none. */
    public static List<X509Certificate> certificates(String pem, String where) {
        try {
            var certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(where + " holds no certificate: give a PEM file with -----BEGIN CERTIFICATE----- blocks, leaf first");
            }
            return certs.stream().map(c -> (X509Certificate) c).toList();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
    }

    /**
     * The PKCS#8 private key of a PEM text ({@code BEGIN PRIVATE KEY}), RSA or EC. Other forms
     * get a message saying how to convert them.
     */
    public static PrivateKey privateKey(String pem, String where) {
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
            throw new IllegalArgumentException(where + " holds a PKCS#1/SEC1 key; convert it to PKCS#8: "
                    + "openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem");
        }
        if (pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException(where + " is encrypted; servmon needs it unencrypted (mode 0600): "
                    + "openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem");
        }
        int begin = pem.indexOf(KEY_BEGIN);
        int end = pem.indexOf(KEY_END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(where + " holds no -----BEGIN PRIVATE KEY----- block (PKCS#8)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + KEY_BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": the private key is not valid base64", e);
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // Try the next algorithm; the message below covers both failing.
            }
        }
        throw new IllegalArgumentException(where + " is neither an RSA nor an EC PKCS#8 private key");
    }

    public static String encode(Certificate cert) throws GeneralSecurityException {
        return block("CERTIFICATE", cert.getEncoded());
    }

    public static String encode(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
