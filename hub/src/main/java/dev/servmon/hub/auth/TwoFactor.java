package dev.servmon.hub.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Two-factor sign-in of users: the TOTP secret and its last used step, and the recovery codes
 * (tables {@code user_totp}, {@code user_recovery_codes}). Checks are atomic in the database,
 * so two requests racing with the same code cannot both succeed.
 */
public final class TwoFactor {
    /** Recovery codes handed out at enrolment. */
    public static final int RECOVERY_CODES = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final Clock clock;

    public TwoFactor(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A user's TOTP row. {@code confirmed} is false while enrolment waits for the first code. */
    record State(String secret, boolean confirmed, long lastStep) {}

    private Optional<State> state(long userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT secret, confirmed_at_ms, last_step FROM user_totp WHERE user_id = :u")
                .bind("u", userId)
                .map((rs, ctx) -> {
                    rs.getLong("confirmed_at_ms");
                    boolean confirmed = !rs.wasNull();
                    return new State(rs.getString("secret"), confirmed, rs.getLong("last_step"));
                })
                .findOne());
    }

    /** True when the user signs in with a second factor. */
    public boolean enabled(long userId) {
        return state(userId).map(State::confirmed).orElse(false);
    }

    /**
     * Starts (or restarts) enrolment with a new secret; the user's current second factor, if any,
     * stays as it is until {@link #confirm}.
     *
     * @return the new secret, base32
     * @throws IllegalStateException when two-factor sign-in is already on
     */
    public String begin(long userId) {
        if (enabled(userId)) {
            throw new IllegalStateException("two-factor sign-in is already on");
        }
        String secret = Totp.newSecret();
        long now = clock.millis();
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM user_totp WHERE user_id = :u").bind("u", userId).execute();
            h.createUpdate("INSERT INTO user_totp (user_id, secret, created_at_ms, last_step) VALUES (:u, :s, :now, -1)")
                    .bind("u", userId).bind("s", secret).bind("now", now).execute();
        });
        return secret;
    }

    /**
     * Finishes enrolment when {@code code} is right for the pending secret.
     *
     * @return the recovery codes, shown once; empty when the code is wrong or nothing is pending
     */
    public Optional<List<String>> confirm(long userId, String code) {
        var st = state(userId);
        if (st.isEmpty() || st.get().confirmed()) {
            return Optional.empty();
        }
        long step = Totp.matchingStep(Totp.fromBase32(st.get().secret()), code, clock.millis(), st.get().lastStep());
        if (step < 0) {
            return Optional.empty();
        }
        List<String> codes = new ArrayList<>(RECOVERY_CODES);
        for (int i = 0; i < RECOVERY_CODES; i++) {
            codes.add(newRecoveryCode());
        }
        long now = clock.millis();
        boolean done = jdbi.inTransaction(h -> {
            int n = h.createUpdate("UPDATE user_totp SET confirmed_at_ms = :now, last_step = :step "
                            + "WHERE user_id = :u AND confirmed_at_ms IS NULL AND last_step < :step")
                    .bind("now", now).bind("step", step).bind("u", userId).execute();
            if (n != 1) {
                return false;
            }
            h.createUpdate("DELETE FROM user_recovery_codes WHERE user_id = :u").bind("u", userId).execute();
            var batch = h.prepareBatch("INSERT INTO user_recovery_codes (user_id, code_hash) VALUES (:u, :h)");
            for (String c : codes) {
                batch.bind("u", userId).bind("h", Tokens.hash(normalizeRecovery(c))).add();
            }
            batch.execute();
            return true;
        });
        return done ? Optional.of(codes) : Optional.empty();
    }

    /**
     * Accepts a current code once: true when it is right, within the window and for a step after
     * the last one used (which it then becomes).
     */
    public boolean acceptCode(long userId, String code) {
        var st = state(userId);
        if (st.isEmpty() || !st.get().confirmed()) {
            return false;
        }
        long step = Totp.matchingStep(Totp.fromBase32(st.get().secret()), code, clock.millis(), st.get().lastStep());
        if (step < 0) {
            return false;
        }
        return jdbi.withHandle(h -> h.createUpdate("UPDATE user_totp SET last_step = :step WHERE user_id = :u AND last_step < :step")
                .bind("step", step).bind("u", userId).execute()) == 1;
    }

    /** Uses up a recovery code: true when it was one of the user's, unused. */
    public boolean acceptRecoveryCode(long userId, String code) {
        if (code == null || code.length() > 64) {
            return false;
        }
        String hash = Tokens.hash(normalizeRecovery(code));
        return jdbi.withHandle(h -> h.createUpdate("UPDATE user_recovery_codes SET used_at_ms = :now "
                        + "WHERE user_id = :u AND code_hash = :h AND used_at_ms IS NULL")
                .bind("now", clock.millis()).bind("u", userId).bind("h", hash).execute()) == 1;
    }

    /** Recovery codes not used yet. */
    public int recoveryCodesLeft(long userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM user_recovery_codes WHERE user_id = :u AND used_at_ms IS NULL")
                .bind("u", userId).mapTo(Integer.class).one());
    }

    /** Turns two-factor sign-in off and forgets the secret and the recovery codes. */
    public void disable(long userId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM user_totp WHERE user_id = :u").bind("u", userId).execute();
            h.createUpdate("DELETE FROM user_recovery_codes WHERE user_id = :u").bind("u", userId).execute();
        });
    }

    /** 16 base32 characters (80 bits) in groups of four: {@code ABCD-EFGH-JKLM-NPQR}. */
    static String newRecoveryCode() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        String s = Totp.base32(bytes);
        return s.substring(0, 4) + "-" + s.substring(4, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12, 16);
    }

    /** Recovery codes compare without dashes, spaces or case. */
    static String normalizeRecovery(String code) {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c != '-' && c != ' ') {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }
}
