-- Health checks (docs/checks.md). A check is run by the hub (or, later, by an agent) every
-- interval_seconds; each run is one row of check_results. Type-specific settings (URL, port,
-- query, path, thresholds...) are one JSON object in settings, validated by the hub.
CREATE TABLE checks (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE,
    type             TEXT    NOT NULL,
    host_id          INTEGER REFERENCES hosts (id) ON DELETE SET NULL,
    agent_host_id    INTEGER REFERENCES hosts (id) ON DELETE SET NULL,
    interval_seconds INTEGER NOT NULL,
    timeout_seconds  INTEGER NOT NULL,
    enabled          INTEGER NOT NULL DEFAULT 1,
    public           INTEGER NOT NULL DEFAULT 0,
    settings         TEXT    NOT NULL,
    created_at_ms    INTEGER NOT NULL
);
CREATE INDEX checks_by_host ON checks (host_id);

-- One row per run or push. up is 0/1; response_ms, value and cert_days_left are null when the
-- type has none. Uptime is counted in SQL from (check_id, at_ms, up): the index covers it.
CREATE TABLE check_results (
    id             INTEGER PRIMARY KEY,
    check_id       INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    at_ms          INTEGER NOT NULL,
    up             INTEGER NOT NULL CHECK (up IN (0, 1)),
    response_ms    REAL,
    value          REAL,
    cert_days_left INTEGER,
    method         TEXT,
    message        TEXT
);
CREATE INDEX check_results_by_time ON check_results (check_id, at_ms, up);
-- Retention deletes by time across all checks.
CREATE INDEX check_results_by_age ON check_results (at_ms);

-- Hosts shown on the public status page (name and ON/OFF only).
CREATE TABLE status_page_hosts (
    host_id INTEGER PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE
);
