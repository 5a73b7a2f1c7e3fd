-- Alerts and notifiers (docs/alerts.md). Times are epoch milliseconds UTC.

-- A rule: a condition on a metric, or a built-in kind (host_off, disk_full, and the signals other
-- features raise: check_failing, cert_expiring, program_exited, program_gave_up).
-- scope_kind: all | hosts (scope_hosts, a JSON array of ids) | tag (scope_tag).
-- notifier_ids: JSON array of notifiers.id.
CREATE TABLE alert_rules (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    metric            TEXT,
    op                TEXT,
    threshold         REAL,
    recover_threshold REAL,
    for_ms            INTEGER NOT NULL DEFAULT 0,
    horizon_hours     INTEGER,
    scope_kind        TEXT    NOT NULL DEFAULT 'all' CHECK (scope_kind IN ('all', 'hosts', 'tag')),
    scope_hosts       TEXT    NOT NULL DEFAULT '[]',
    scope_tag         TEXT,
    notifier_ids      TEXT    NOT NULL DEFAULT '[]',
    repeat_minutes    INTEGER NOT NULL DEFAULT 0,
    severity          TEXT    NOT NULL DEFAULT 'warning',
    enabled           INTEGER NOT NULL DEFAULT 1,
    builtin           INTEGER NOT NULL DEFAULT 0,
    created_at_ms     INTEGER NOT NULL,
    updated_at_ms     INTEGER NOT NULL
);

INSERT INTO alert_rules (name, kind, for_ms, horizon_hours, severity, builtin, created_at_ms, updated_at_ms) VALUES
    ('Host is OFF', 'host_off', 0, NULL, 'critical', 1, 0, 0),
    ('Disk predicted full within 24 h', 'disk_full', 0, 24, 'warning', 1, 0, 0),
    ('Health check failing', 'check_failing', 0, NULL, 'critical', 1, 0, 0),
    ('Certificate expiring', 'cert_expiring', 0, NULL, 'warning', 1, 0, 0),
    ('Program exited unexpectedly', 'program_exited', 0, NULL, 'warning', 1, 0, 0),
    ('Program gave up restarting', 'program_gave_up', 0, NULL, 'critical', 1, 0, 0);

-- One row per episode of a rule on a host (host_id 0: none) and subject ('' unless a signal names
-- one): pending → firing → resolved. Resolved rows are the history. host_name is kept so the
-- history still reads after the host is deleted.
CREATE TABLE alerts (
    id                  INTEGER PRIMARY KEY,
    rule_id             INTEGER NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    host_id             INTEGER NOT NULL DEFAULT 0,
    host_name           TEXT,
    subject             TEXT    NOT NULL DEFAULT '',
    state               TEXT    NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
    value               REAL,
    threshold           REAL,
    detail              TEXT,
    pending_at_ms       INTEGER NOT NULL,
    firing_at_ms        INTEGER,
    resolved_at_ms      INTEGER,
    suppressed          TEXT,
    notified_state      TEXT,
    last_notified_at_ms INTEGER,
    acked_by            TEXT,
    acked_comment       TEXT,
    acked_at_ms         INTEGER,
    updated_at_ms       INTEGER NOT NULL
);
CREATE UNIQUE INDEX alerts_open ON alerts (rule_id, host_id, subject) WHERE state <> 'resolved';
CREATE INDEX alerts_by_time ON alerts (pending_at_ms);
CREATE INDEX alerts_by_host ON alerts (host_id, pending_at_ms);

-- Signals raised by other features (checks, programs) until cleared.
CREATE TABLE alert_signals (
    kind         TEXT    NOT NULL,
    host_id      INTEGER NOT NULL DEFAULT 0,
    subject      TEXT    NOT NULL DEFAULT '',
    detail       TEXT,
    values_json  TEXT,
    raised_at_ms INTEGER NOT NULL,
    PRIMARY KEY (kind, host_id, subject)
);

CREATE TABLE silences (
    id            INTEGER PRIMARY KEY,
    rule_id       INTEGER REFERENCES alert_rules (id) ON DELETE CASCADE,
    host_id       INTEGER REFERENCES hosts (id) ON DELETE CASCADE,
    starts_at_ms  INTEGER NOT NULL,
    ends_at_ms    INTEGER NOT NULL,
    comment       TEXT,
    created_by    TEXT,
    created_at_ms INTEGER NOT NULL
);

-- One-off (starts_at_ms, ends_at_ms) or recurring (days 'MON,TUE', start_time 'HH:MM',
-- duration_minutes, in time_zone).
CREATE TABLE maintenance_windows (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    scope_kind       TEXT    NOT NULL DEFAULT 'all' CHECK (scope_kind IN ('all', 'hosts', 'tag')),
    scope_hosts      TEXT    NOT NULL DEFAULT '[]',
    scope_tag        TEXT,
    starts_at_ms     INTEGER,
    ends_at_ms       INTEGER,
    days             TEXT,
    start_time       TEXT,
    duration_minutes INTEGER,
    time_zone        TEXT,
    created_by       TEXT,
    created_at_ms    INTEGER NOT NULL
);

CREATE TABLE host_dependencies (
    child_host_id  INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    parent_host_id INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    PRIMARY KEY (child_host_id, parent_host_id),
    CHECK (child_host_id <> parent_host_id)
);

-- Dependencies between other subjects (health checks): opaque strings the feature chooses.
CREATE TABLE subject_dependencies (
    child_subject  TEXT NOT NULL,
    parent_subject TEXT NOT NULL,
    PRIMARY KEY (child_subject, parent_subject)
);

-- type: webhook | slack | discord | email | alertmanager; config is JSON (secrets included, never
-- returned by the API).
CREATE TABLE notifiers (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE,
    type           TEXT    NOT NULL CHECK (type IN ('webhook', 'slack', 'discord', 'email', 'alertmanager')),
    config         TEXT    NOT NULL,
    title_template TEXT,
    body_template  TEXT,
    created_at_ms  INTEGER NOT NULL,
    updated_at_ms  INTEGER NOT NULL
);

-- The outbox: one row per message and target, sent with retries by the leader.
CREATE TABLE notification_deliveries (
    id                 INTEGER PRIMARY KEY,
    notifier_id        INTEGER NOT NULL REFERENCES notifiers (id) ON DELETE CASCADE,
    alert_id           INTEGER,
    event              TEXT    NOT NULL,
    target             TEXT    NOT NULL,
    payload            TEXT    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms INTEGER NOT NULL,
    last_error         TEXT,
    response_code      INTEGER,
    created_at_ms      INTEGER NOT NULL,
    finished_at_ms     INTEGER
);
CREATE INDEX deliveries_due ON notification_deliveries (status, next_attempt_at_ms);
CREATE INDEX deliveries_by_notifier ON notification_deliveries (notifier_id, id);
