package dev.servmon.hub.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's TLS identity, loaded once at start: the certificate chain and key, from the
 * operator's PEM files or from the self-signed pair kept in the data directory (made at the
 * first start with {@code --tls-self-signed}, reused after). Builds the Jetty connectors of both
 * ports.
 */
public final class HubTls {
    private static final Logger log = LoggerFactory.getLogger(HubTls.class);
    /** Files of the self-signed pair, below the data directory. */
    public static final String DIR = "tls";
    public static final String CA_FILE = "hub-ca.pem";
    public static final String KEY_FILE = "hub-key.pem";
    private static final int SELF_SIGNED_DAYS = 3650;
    /** HSTS: a year; no includeSubDomains (the hub does not own its parent domain's names). */
    public static final String HSTS = "max-age=31536000";

    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final Path caFile;
    private final String caPem;

    private HubTls(List<X509Certificate> chain, PrivateKey key, Path caFile, String caPem) {
        this.chain = chain;
        this.key = key;
        this.caFile = caFile;
        this.caPem = caPem;
    }

    /**
     * Loads (or, for a first self-signed start, makes) the TLS identity.
     *
     * @param names extra host names or addresses to put into a new self-signed certificate
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static HubTls load(TlsConfig config, Path dataDir, List<String> names) {
        if (config.selfSigned()) {
            return selfSigned(dataDir.resolve(DIR), names);
        }
        String certPem = read(config.certFile(), "--tls-cert");
        var chain = Pem.certificates(certPem, "--tls-cert " + config.certFile());
        var key = Pem.privateKey(read(config.keyFile(), "--tls-key"), "--tls-key " + config.keyFile());
        checkPair(chain.get(0), key, "--tls-cert " + config.certFile() + " and --tls-key " + config.keyFile());
        return new HubTls(chain, key, null, null);
    }

    private static HubTls selfSigned(Path dir, List<String> names) {
        Path certFile = dir.resolve(CA_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        try {
            if (!Files.exists(certFile) || !Files.exists(keyFile)) {
                make(dir, certFile, keyFile, names);
            }
            String certPem = Files.readString(certFile, StandardCharsets.US_ASCII);
            var chain = Pem.certificates(certPem, certFile.toString());
            var key = Pem.privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile.toString());
            checkPair(chain.get(0), key, certFile + " and " + keyFile);
            log.info("tls self-signed certificate={} sha256={} not_after={}", certFile, fingerprint(chain.get(0)), chain.get(0).getNotAfter().toInstant());
            return new HubTls(chain, key, certFile, certPem);
        } catch (IOException e) {
            throw new IllegalArgumentException("servmon: cannot keep the self-signed certificate in " + dir + ": " + e.getMessage()
                    + "; check the permissions of --data", e);
        }
    }

    private static void make(Path dir, Path certFile, Path keyFile, List<String> extraNames) throws IOException {
        Files.createDirectories(dir);
        Set<String> dns = new LinkedHashSet<>();
        List<InetAddress> ips = new ArrayList<>();
        for (String n : hostNames(extraNames)) {
            if (n.isEmpty()) {
                continue;
            }
            if (Character.isDigit(n.charAt(0)) || n.contains(":")) {
                try {
                    InetAddress a = InetAddress.getByName(n.replace("[", "").replace("]", ""));
                    if (!ips.contains(a) && !a.isAnyLocalAddress()) {
                        ips.add(a);
                    }
                } catch (UnknownHostException e) {
                    log.warn("tls not an address, left out of the certificate name={}", n);
                }
            } else {
                dns.add(n);
            }
        }
        try {
            var made = SelfSignedCertificate.make("servmon hub " + dns.iterator().next(), List.copyOf(dns), ips, ZonedDateTime.now().minusDays(1), SELF_SIGNED_DAYS);
            Path keyTmp = dir.resolve(KEY_FILE + ".tmp");
            Files.deleteIfExists(keyTmp);
            try {
                Files.createFile(keyTmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(keyTmp);
            }
            Files.writeString(keyTmp, Pem.encode(made.keys().getPrivate()), StandardCharsets.US_ASCII);
            Path certTmp = dir.resolve(CA_FILE + ".tmp");
            Files.writeString(certTmp, Pem.encode(made.certificate()), StandardCharsets.US_ASCII);
            Files.move(keyTmp, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(certTmp, certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("tls self-signed certificate made file={} names={} addresses={}", certFile, dns, ips);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java cannot make an EC P-256 certificate: " + e.getMessage(), e);
        }
    }

    /** This machine's name, localhost, loopback, its interface addresses, and {@code extra}. */
    private static List<String> hostNames(List<String> extra) {
        Set<String> names = new LinkedHashSet<>();
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            log.warn("tls this machine's host name is unknown; the certificate names localhost and addresses only");
        }
        names.add("localhost");
        names.add("127.0.0.1");
        names.add("::1");
        names.addAll(extra);
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (!a.isLinkLocalAddress() && !a.isLoopbackAddress()) {
                        names.add(a.getHostAddress().replaceAll("%.*$", ""));
                    }
                }
            }
        } catch (SocketException e) {
            log.warn("tls cannot list network interfaces; the certificate names localhost only: {}", e.getMessage());
        }
        return new ArrayList<>(names);
    }

    private static void checkPair(X509Certificate cert, PrivateKey key, String where) {
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            var sig = java.security.Signature.getInstance(algorithm);
            sig.initSign(key);
            byte[] probe = "servmon".getBytes(StandardCharsets.US_ASCII);
            sig.update(probe);
            byte[] signed = sig.sign();
            sig.initVerify(cert.getPublicKey());
            sig.update(probe);
            if (!sig.verify(signed)) {
                throw new IllegalArgumentException("servmon: " + where + " do not belong together: the key is not the certificate's");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("servmon: " + where + " do not belong together: " + e.getMessage(), e);
        }
    }

    private static String read(Path file, String flag) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("servmon: cannot read " + flag + " " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** A Jetty connector speaking TLS (HTTP/1.1 inside) on {@code host:port}. */
    public Connector connector(Server server, HttpConfiguration base, String host, int port) {
        var https = new HttpConfiguration(base);
        var secure = new SecureRequestCustomizer();
        // Agents and browsers may use an address the certificate does not name; that is their check to make.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        // The store exists only in memory; its password protects nothing, but PKCS#12 wants one.
        String password = Long.toHexString(new java.security.SecureRandom().nextLong());
        var ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore(password.toCharArray()));
        ssl.setKeyStorePassword(password);
        var connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    private KeyStore keyStore(char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("hub", key, password, chain.toArray(new X509Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold the hub's key in memory: " + e.getMessage(), e);
        }
    }

    /** The self-signed certificate's file (what agents pass as --ca-file), or null with the operator's certificate. */
    public Path caFile() {
        return caFile;
    }

    /** True when the hub made its own certificate: installers then fetch and pin it. */
    public boolean selfSigned() {
        return caFile != null;
    }

    /** The self-signed certificate as PEM, or null. */
    public String caPem() {
        return caPem;
    }

    /** SHA-256 of {@link #caPem()}'s bytes, hex, as the install script checks it; null without one. */
    public String caPemSha256() {
        return caPem == null ? null : HexFormat.of().formatHex(sha256(caPem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The leaf's public key pin, {@code sha256//BASE64} as {@code curl --pinnedpubkey} takes it. */
    public String publicKeyPin() {
        return "sha256//" + Base64.getEncoder().encodeToString(sha256(chain.get(0).getPublicKey().getEncoded()));
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(sha256(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
