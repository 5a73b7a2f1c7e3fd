-- Accounts (issue 7): host tags and per-user tag scope, API tokens, the audit log.

-- A scoped user sees and acts on only the hosts carrying one of their tags; NULL or '' means all
-- hosts. Tags are lower-case [a-z0-9._:-] (no commas), stored comma-separated so a session
-- lookup reads the scope in the same row as the user.
ALTER TABLE users ADD COLUMN scope_tags TEXT;

CREATE TABLE host_tags (
    host_id INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    tag     TEXT    NOT NULL,
    PRIMARY KEY (host_id, tag)
) WITHOUT ROWID;
CREATE INDEX host_tags_by_tag ON host_tags (tag, host_id);

-- API tokens act for a user with a role no higher than theirs. Only the SHA-256 of the secret
-- is stored, plus a short prefix to tell tokens apart. last_used_at_ms is written at most once a
-- minute per token.
CREATE TABLE api_tokens (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    secret_hash     TEXT    NOT NULL UNIQUE,
    secret_prefix   TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    created_at_ms   INTEGER NOT NULL,
    expires_at_ms   INTEGER,
    last_used_at_ms INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- Every state-changing API request and every sign-in attempt. Who is kept as text (and ids
-- without foreign keys), so the record outlives a deleted user or token.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at_ms      INTEGER NOT NULL,
    user_id    INTEGER,
    username   TEXT,
    token_id   INTEGER,
    action     TEXT    NOT NULL,
    target     TEXT,
    ip         TEXT,
    status     INTEGER NOT NULL,
    outcome    TEXT    NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed'))
);
CREATE INDEX audit_log_by_time ON audit_log (at_ms);
CREATE INDEX audit_log_by_user ON audit_log (username, at_ms);
