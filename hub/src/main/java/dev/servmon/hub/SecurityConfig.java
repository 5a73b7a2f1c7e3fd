package dev.servmon.hub;

import dev.servmon.hub.api.RateLimits;
import dev.servmon.hub.auth.Role;
import dev.servmon.hub.tls.TlsConfig;

/**
 * The hub's edge protections (docs/security.md): TLS on both ports, two-factor sign-in
 * required for some roles, request-rate limits.
 *
 * @param tls TLS settings ({@link TlsConfig#OFF} for plain HTTP)
 * @param require2faFor users with at least this role must use two-factor sign-in and are sent to
 *     enrolment until they do; null for nobody
 * @param rateLimits request-rate limits
 */
public record SecurityConfig(TlsConfig tls, Role require2faFor, RateLimits rateLimits) {
    public static final SecurityConfig DEFAULTS = new SecurityConfig(TlsConfig.OFF, null, RateLimits.DEFAULTS);

    public SecurityConfig withTls(TlsConfig t) {
        return new SecurityConfig(t, require2faFor, rateLimits);
    }

    public SecurityConfig withRequire2faFor(Role r) {
        return new SecurityConfig(tls, r, rateLimits);
    }

    public SecurityConfig withRateLimits(RateLimits l) {
        return new SecurityConfig(tls, require2faFor, l);
    }

    /** Parses {@code --require-2fa-for}: {@code none}, {@code operator} (operators and admins) or {@code admin}. */
    public static Role parseRequire2faFor(String text) {
        if (text == null || text.isBlank() || text.strip().equals("none")) {
            return null;
        }
        return switch (text.strip()) {
            case "operator" -> Role.OPERATOR;
            case "admin" -> Role.ADMIN;
            default -> throw new IllegalArgumentException("servmon: --require-2fa-for must be none, operator (operators and admins) or admin, got '"
                    + text.strip() + "'");
        };
    }

    public SecurityConfig validate() {
        if (tls == null || rateLimits == null) {
            throw new IllegalArgumentException("servmon: no TLS or rate-limit settings configured");
        }
        if (require2faFor == Role.VIEWER) {
            throw new IllegalArgumentException("servmon: --require-2fa-for must be none, operator or admin");
        }
        tls.validate();
        rateLimits.validate();
        return this;
    }
}
