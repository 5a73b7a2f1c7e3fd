package dev.servmon.hub.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords as RFC 6238 defines them and authenticator apps compute them:
 * HMAC-SHA-1, 6 digits, 30-second steps from the Unix epoch. Pure functions: no storage, no
 * clock of its own.
 */
public final class Totp {
    /** Length of a step. */
    public static final long STEP_SECONDS = 30;
    /** Digits in a code. */
    public static final int DIGITS = 6;
    /** Steps before and after the current one that are still accepted (clock drift). */
    public static final int WINDOW_STEPS = 1;
    private static final int SECRET_BYTES = 20;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Totp() {}

    /** A new random secret: 160 bits (the HMAC-SHA-1 block the RFC recommends), base32 without padding. */
    public static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return base32(bytes);
    }

    /** The step that contains {@code epochMs}. */
    public static long step(long epochMs) {
        return Math.floorDiv(epochMs, STEP_SECONDS * 1000);
    }

    /** The code for {@code step}, zero-padded to {@value #DIGITS} digits. */
    public static String code(byte[] key, long step) {
        return code(key, step, "HmacSHA1", DIGITS);
    }

    /** RFC 6238 with a chosen HMAC ({@code HmacSHA1}, {@code HmacSHA256}, {@code HmacSHA512}) and digit count. */
    static String code(byte[] key, long step, String hmac, int digits) {
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(key, hmac));
            byte[] counter = new byte[8];
            for (int i = 7; i >= 0; i--) {
                counter[i] = (byte) step;
                step >>>= 8;
            }
            byte[] h = mac.doFinal(counter);
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
            int modulus = 1;
            for (int i = 0; i < digits; i++) {
                modulus *= 10;
            }
            String text = Integer.toString(binary % modulus);
            return "0".repeat(digits - text.length()) + text;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " is required by every Java platform", e);
        }
    }

    /**
     * The step whose code {@code code} is, within {@link #WINDOW_STEPS} of {@code nowMs} and after
     * {@code lastUsedStep}; -1 when none (wrong, stale, or already used).
     */
    public static long matchingStep(byte[] key, String code, long nowMs, long lastUsedStep) {
        String given = normalize(code);
        if (given == null) {
            return -1;
        }
        long now = step(nowMs);
        long found = -1;
        // Every candidate is computed, so the time taken does not tell which one matched.
        for (long s = now - WINDOW_STEPS; s <= now + WINDOW_STEPS; s++) {
            if (Tokens.same(code(key, s), given) && s > lastUsedStep && found < 0) {
                found = s;
            }
        }
        return found;
    }

    /** The digits of a code as people type it (spaces allowed), or null when it cannot be a code. */
    static String normalize(String code) {
        if (code == null) {
            return null;
        }
        String digits = code.replace(" ", "").replace("-", "");
        if (digits.length() != DIGITS) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return null;
            }
        }
        return digits;
    }

    /** The {@code otpauth://} URI authenticator apps read (usually from a QR code). */
    public static String uri(String issuer, String account, String secret) {
        String label = enc(issuer) + ":" + enc(account);
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + enc(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** RFC 4648 base32, upper case, no padding. */
    public static String base32(byte[] bytes) {
        StringBuilder sb = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /** Decodes base32 (case and padding ignored); IllegalArgumentException for other characters. */
    public static byte[] fromBase32(String text) {
        String t = text.replace("=", "").replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        byte[] out = new byte[t.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < t.length(); i++) {
            int v = BASE32.indexOf(t.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("not base32: '" + t.charAt(i) + "'");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }
}
