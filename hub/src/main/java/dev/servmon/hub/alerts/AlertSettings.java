package dev.servmon.hub.alerts;

import java.time.Duration;

/**
 * Alerting's settings.
 *
 * @param evaluateEvery how often every rule is evaluated (besides the immediate looks on reports,
 *     host status changes and signals)
 * @param publicUrl the dashboard's address as people reach it, for links in notifications
 *     ({@code https://monitor.example.com}); null: this hub's own address and port
 */
public record AlertSettings(Duration evaluateEvery, String publicUrl) {
    public static final Duration DEFAULT_EVALUATE_EVERY = Duration.ofSeconds(15);
    public static final AlertSettings DEFAULT = new AlertSettings(DEFAULT_EVALUATE_EVERY, null);

    /** Throws IllegalArgumentException with a message that says what to change. */
    public AlertSettings validate() {
        if (evaluateEvery == null || evaluateEvery.toMillis() < 100 || evaluateEvery.toMinutes() > 60) {
            throw new IllegalArgumentException("servmon: --alert-interval must be between 100ms and 60m, got "
                    + (evaluateEvery == null ? "nothing" : evaluateEvery.toMillis() + "ms"));
        }
        if (publicUrl != null && !publicUrl.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
            throw new IllegalArgumentException("servmon: --public-url must look like https://monitor.example.com, got '" + publicUrl + "'");
        }
        return this;
    }

    /** {@code publicUrl} without a trailing slash. */
    public String publicUrlBase() {
        return publicUrl == null ? null : publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }
}
