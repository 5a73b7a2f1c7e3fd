package dev.servmon.hub.alerts.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures: {@code X-Servmon-Signature: sha256=<hex>} where hex is the HMAC-SHA256,
 * keyed with the notifier's secret, of {@code <X-Servmon-Timestamp>.<body>}. Binding the
 * timestamp lets a receiver refuse old messages replayed at it (docs/alerts.md).
 */
public final class Signing {
    private Signing() {}

    public static final String SIGNATURE_HEADER = "X-Servmon-Signature";
    public static final String TIMESTAMP_HEADER = "X-Servmon-Timestamp";

    /** The header value for {@code body} sent at {@code timestampSeconds}. */
    public static String signature(String secret, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            byte[] digest = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
            return "sha256=" + java.util.HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** Constant-time check of a received signature header. */
    public static boolean verify(String secret, long timestampSeconds, String body, String header) {
        if (header == null) {
            return false;
        }
        return MessageDigest.isEqual(signature(secret, timestampSeconds, body).getBytes(StandardCharsets.US_ASCII),
                header.getBytes(StandardCharsets.US_ASCII));
    }
}
