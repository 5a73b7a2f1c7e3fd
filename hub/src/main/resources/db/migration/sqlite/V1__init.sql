-- servmon schema v1 (SQLite). Times are epoch milliseconds UTC.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    created_at_ms INTEGER NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

-- Session ids are random 256-bit tokens; only their SHA-256 is stored.
CREATE TABLE sessions (
    id_hash         TEXT    PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token      TEXT    NOT NULL,
    created_at_ms   INTEGER NOT NULL,
    last_seen_at_ms INTEGER NOT NULL
);

-- Host keys are random 256-bit tokens; only their SHA-256 is stored, plus a short prefix
-- so people can tell keys apart in logs and the UI.
CREATE TABLE hosts (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE,
    key_hash         TEXT    NOT NULL UNIQUE,
    key_prefix       TEXT    NOT NULL,
    created_at_ms    INTEGER NOT NULL,
    last_seen_at_ms  INTEGER,
    interval_seconds INTEGER,
    agent_version    TEXT,
    latest_seq       INTEGER,
    latest_sample    TEXT
);

-- One row per (host, seq): replays of the same sample are ignored.
CREATE TABLE samples (
    host_id             INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    seq                 INTEGER NOT NULL,
    at_ms               INTEGER NOT NULL,
    cpu_percent         REAL,
    load1               REAL,
    mem_used_bytes      INTEGER,
    mem_total_bytes     INTEGER,
    swap_used_bytes     INTEGER,
    disk_used_bytes     INTEGER,
    disk_total_bytes    INTEGER,
    net_rx_bytes_per_sec REAL,
    net_tx_bytes_per_sec REAL,
    users_logged_in     INTEGER,
    power_watts         REAL,
    payload             TEXT    NOT NULL,
    PRIMARY KEY (host_id, seq)
) WITHOUT ROWID;

CREATE INDEX samples_by_host_time ON samples (host_id, at_ms);
