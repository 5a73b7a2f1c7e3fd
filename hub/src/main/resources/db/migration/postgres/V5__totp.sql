-- Two-factor sign-in (TOTP, RFC 6238). The secret has to be readable to check codes; it is as
-- sensitive as the database itself. confirmed_at_ms is NULL while enrolment is pending.
-- last_step is the last 30-second step a code was accepted for: a code is never taken twice.
CREATE TABLE user_totp (
    user_id         BIGINT  PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret          TEXT    NOT NULL,
    created_at_ms   BIGINT  NOT NULL,
    confirmed_at_ms BIGINT,
    last_step       BIGINT  NOT NULL DEFAULT -1
);

-- Single-use recovery codes: only their SHA-256 (they carry 80 random bits).
CREATE TABLE user_recovery_codes (
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT    NOT NULL,
    used_at_ms BIGINT,
    PRIMARY KEY (user_id, code_hash)
);
