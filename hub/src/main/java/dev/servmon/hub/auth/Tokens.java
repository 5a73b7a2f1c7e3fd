package dev.servmon.hub.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random bearer secrets (host keys, session ids, CSRF tokens) and their stored form.
 *
 * <p>Secrets are 256 random bits, so a single SHA-256 is enough to store them: unlike
 * passwords they cannot be guessed, and a fast hash keeps the per-report key lookup cheap.
 */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    /** A new secret: {@code prefix} followed by 256 random bits in URL-safe base64. */
    public static String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Hex SHA-256 of the secret, as stored. */
    public static String hash(String secret) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Constant-time comparison, for secrets compared outside an indexed lookup. */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The first characters of a secret, enough to tell keys apart in logs, never enough to use. */
    public static String prefixOf(String secret) {
        return secret.length() <= 10 ? "…" : secret.substring(0, 10) + "…";
    }
}
