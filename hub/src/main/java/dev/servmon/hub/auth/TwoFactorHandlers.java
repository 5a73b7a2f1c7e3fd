package dev.servmon.hub.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-factor sign-in for the signed-in user ({@code /api/v1/session/totp}), the second step of
 * sign-in, and the gate that keeps users who must enrol on the enrolment routes.
 *
 * <p>Audit events are logged as {@code audit event=… username=… ip=…} lines.
 */
public final class TwoFactorHandlers {
    private static final Logger log = LoggerFactory.getLogger(TwoFactorHandlers.class);
    private static final String ISSUER = "servmon";
    /** Routes a user who must enrol may still call. */
    private static final Set<String> ENROLMENT_PATHS = Set.of("/api/v1/session", "/api/v1/session/totp", "/api/v1/session/totp/confirm");

    private final TwoFactor store;
    private final Users users;
    private final ObjectMapper json;
    private final LoginThrottle throttle;
    private final Role requiredFor;

    /** @param requiredFor users with at least this role must enrol; null for nobody */
    public TwoFactorHandlers(TwoFactor store, Users users, ObjectMapper json, LoginThrottle throttle, Role requiredFor) {
        this.store = store;
        this.users = users;
        this.json = json;
        this.throttle = throttle;
        this.requiredFor = requiredFor;
    }

    record Status(boolean enabled, boolean required, int recoveryCodesLeft) {}

    record Enrolment(String secret, String otpauthUri) {}

    record Code(String code) {}

    record Confirmed(List<String> recoveryCodes) {}

    record Disable(String code, String password) {}

    /** {@code GET /api/v1/session/totp}. */
    public void status(Context ctx) {
        var user = AuthHandlers.session(ctx).user();
        boolean on = store.enabled(user.id());
        ctx.json(new Status(on, required(user), on ? store.recoveryCodesLeft(user.id()) : 0));
    }

    /** {@code POST /api/v1/session/totp}: a new secret to put into an authenticator app. */
    public void begin(Context ctx) {
        var user = AuthHandlers.session(ctx).user();
        final String secret;
        try {
            secret = store.begin(user.id());
        } catch (IllegalStateException e) {
            throw new ApiException(409, "two-factor sign-in is already on; turn it off first to enrol a new authenticator");
        }
        log.info("audit event=totp.enrol_started username={} ip={}", user.username(), ctx.ip());
        ctx.status(201);
        ctx.json(new Enrolment(secret, Totp.uri(ISSUER, user.username(), secret)));
    }

    /** {@code POST /api/v1/session/totp/confirm {code}}: turns it on; answers the recovery codes, once. */
    public void confirm(Context ctx) {
        var user = AuthHandlers.session(ctx).user();
        var body = Json.read(json, ctx.bodyAsBytes(), Code.class);
        throttle.check(ctx.ip(), user.username());
        var codes = store.confirm(user.id(), body.code());
        if (codes.isEmpty()) {
            throttle.failed(ctx.ip(), user.username());
            log.info("audit event=totp.confirm_failed username={} ip={}", user.username(), ctx.ip());
            throw ApiException.badRequest("that code is not right (or nothing is being enrolled): check the authenticator's clock "
                    + "and enter the code it shows now");
        }
        log.info("audit event=totp.enabled username={} ip={}", user.username(), ctx.ip());
        ctx.json(new Confirmed(codes.get()));
    }

    /** {@code DELETE /api/v1/session/totp {code | password}}. */
    public void disable(Context ctx) {
        var user = AuthHandlers.session(ctx).user();
        var body = Json.read(json, ctx.bodyAsBytes(), Disable.class);
        if (!store.enabled(user.id())) {
            throw ApiException.notFound("two-factor sign-in is not on");
        }
        if (required(user)) {
            throw new ApiException(403, "this hub requires two-factor sign-in for the " + Role.of(user.role()).label() + " role; it cannot be turned off");
        }
        throttle.check(ctx.ip(), user.username());
        boolean ok = body.code() != null ? store.acceptCode(user.id(), body.code())
                : body.password() != null && users.authenticate(user.username(), body.password()).isPresent();
        if (!ok) {
            throttle.failed(ctx.ip(), user.username());
            log.info("audit event=totp.disable_failed username={} ip={}", user.username(), ctx.ip());
            throw ApiException.badRequest("send a current code or your password to turn two-factor sign-in off");
        }
        store.disable(user.id());
        log.info("audit event=totp.disabled username={} ip={}", user.username(), ctx.ip());
        ctx.status(204);
    }

    /**
     * The second step of sign-in, after the password was right. Does nothing for users without
     * two-factor sign-in; otherwise needs a current code or an unused recovery code.
     *
     * @throws ApiException 401 with {@code "totpRequired": true} when neither was sent or it was wrong
     */
    public void secondStep(Context ctx, Users.User user, String code, String recoveryCode) {
        if (!store.enabled(user.id())) {
            return;
        }
        if ((code == null || code.isBlank()) && (recoveryCode == null || recoveryCode.isBlank())) {
            throw new ApiException(401, "enter the 6-digit code from your authenticator app (or a recovery code)",
                    AuthHandlers.challenge(), Map.of("totpRequired", true));
        }
        boolean ok = code != null && !code.isBlank() ? store.acceptCode(user.id(), code) : store.acceptRecoveryCode(user.id(), recoveryCode);
        if (!ok) {
            throttle.failed(ctx.ip(), user.username());
            log.info("audit event=login.second_factor_failed username={} ip={} kind={}", user.username(), ctx.ip(),
                    code != null && !code.isBlank() ? "totp" : "recovery");
            throw new ApiException(401, "that code is not right, was used already, or is too old: enter the code your authenticator shows now",
                    AuthHandlers.challenge(), Map.of("totpRequired", true));
        }
        if (code == null || code.isBlank()) {
            log.info("audit event=login.recovery_code_used username={} ip={} left={}", user.username(), ctx.ip(), store.recoveryCodesLeft(user.id()));
        }
    }

    /**
     * Runs after the sign-in gate on {@code /api/v1/*}: a user who must use two-factor sign-in
     * and has not enrolled yet may only call the session and enrolment routes (403 with
     * {@code "totpEnrolmentRequired": true} elsewhere).
     */
    public void enrolmentGate(Context ctx) {
        if (requiredFor == null || ENROLMENT_PATHS.contains(ctx.path())) {
            return;
        }
        var caller = AuthHandlers.caller(ctx);
        if (caller.isEmpty() || !required(caller.get().user()) || store.enabled(caller.get().user().id())) {
            return;
        }
        throw new ApiException(403, "this hub requires two-factor sign-in for your role: set it up on the account page first",
                Map.of(), Map.of("totpEnrolmentRequired", true));
    }

    private boolean required(Users.User user) {
        return requiredFor != null && Role.of(user.role()).atLeast(requiredFor);
    }
}
