package dev.servmon.hub.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.io.ByteArrayInputStream;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Makes a self-signed X.509 v3 certificate with the JDK alone: an EC P-256 key pair, the
 * certificate encoded by hand in DER ({@link Der}) and signed with SHA256withECDSA. No
 * BouncyCastle, no {@code keytool} process, no internal {@code sun.security} API (see
 * docs/decisions.md).
 *
 * <p>The certificate is its own CA (basicConstraints CA:TRUE, like {@code openssl req -x509}),
 * so clients can trust it as an anchor; it names the hub in subjectAltName.
 */
public final class SelfSignedCertificate {
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXT_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    /** A made certificate and its key pair. */
    public record Made(X509Certificate certificate, KeyPair keys) {}

    private SelfSignedCertificate() {}

    /**
     * @param commonName the subject's (and issuer's) CN
     * @param dnsNames host names for subjectAltName
     * @param ipAddresses addresses for subjectAltName
     * @param notBefore start of validity
     * @param days validity in days
     */
    public static Made make(String commonName, List<String> dnsNames, List<InetAddress> ipAddresses, ZonedDateTime notBefore, int days)
            throws GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair keys = gen.generateKeyPair();

        byte[] serialBytes = new byte[16];
        new SecureRandom().nextBytes(serialBytes);
        serialBytes[0] &= 0x7f;
        serialBytes[0] |= 0x01; // positive and non-zero
        byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));

        byte[][] altNames = new byte[dnsNames.size() + ipAddresses.size()][];
        int i = 0;
        for (String dns : dnsNames) {
            altNames[i++] = Der.implicit(2, dns.getBytes(StandardCharsets.US_ASCII));
        }
        for (InetAddress ip : ipAddresses) {
            altNames[i++] = Der.implicit(7, ip.getAddress());
        }
        byte[] extensions = Der.explicit(3, Der.sequence(
                extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                // digitalSignature and keyCertSign: bits 0 and 5 → 1000 0100, 2 unused bits.
                extension(KEY_USAGE, true, Der.tlv(0x03, new byte[] {0x02, (byte) 0x84})),
                extension(EXT_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH))),
                extension(SUBJECT_ALT_NAME, false, Der.sequence(altNames))));

        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)),
                Der.integer(new BigInteger(1, serialBytes)),
                algorithm,
                name,
                Der.sequence(Der.time(notBefore), Der.time(notBefore.plusDays(days))),
                name,
                keys.getPublic().getEncoded(),
                extensions);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));

        var cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        cert.verify(keys.getPublic());
        return new Made(cert, keys);
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }
}
