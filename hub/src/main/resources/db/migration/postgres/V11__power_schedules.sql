-- Power policy (docs/control.md "Schedules", "Idle policy", "Energy"). Times are epoch ms UTC.

-- Cron-like power actions: on the given days at time_hhmm local time in time_zone, for one host
-- (scope_host_id) or every host with a tag (scope_tag). last_run_at_ms is the latest occurrence
-- handled (fired, skipped or missed) or the time of creation/edit: an occurrence at or before it
-- never fires, and the evaluator claims an occurrence by moving it forward in one UPDATE, so two
-- hubs (or a leader fail-over) cannot fire the same occurrence twice.
CREATE TABLE power_schedules (
    id             BIGSERIAL PRIMARY KEY,
    scope_host_id  BIGINT  REFERENCES hosts (id) ON DELETE CASCADE,
    scope_tag      TEXT,
    action         TEXT    NOT NULL CHECK (action IN ('wake', 'shutdown', 'suspend')),
    days           TEXT    NOT NULL,
    time_hhmm      TEXT    NOT NULL,
    time_zone      TEXT    NOT NULL,
    enabled        INTEGER NOT NULL,
    last_run_at_ms BIGINT  NOT NULL,
    last_outcome   TEXT,
    created_by     TEXT,
    created_at_ms  BIGINT  NOT NULL,
    CHECK ((scope_host_id IS NULL) <> (scope_tag IS NULL))
);

-- Shut a host down (or suspend it) when its CPU stayed below cpu_below_percent with nobody logged
-- in for no_users_minutes, outside protected times. acted_at_ms: the policy acted and waits for
-- the host to be seen OFF (off_seen_at_ms) and then ON again before it may act again.
CREATE TABLE idle_policies (
    host_id                 BIGINT  PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
    enabled                 INTEGER NOT NULL,
    cpu_below_percent       DOUBLE PRECISION NOT NULL,
    no_users_minutes        INTEGER NOT NULL,
    action                  TEXT    NOT NULL CHECK (action IN ('shutdown', 'suspend')),
    use_maintenance_windows INTEGER NOT NULL,
    protected_from          TEXT,
    protected_to            TEXT,
    time_zone               TEXT,
    acted_at_ms             BIGINT,
    off_seen_at_ms          BIGINT,
    updated_by              TEXT,
    updated_at_ms           BIGINT  NOT NULL
);

-- What schedules and idle policies did or did not do, and why; acted shutdowns feed the
-- "saved by power policy" estimate.
CREATE TABLE power_decisions (
    id         BIGSERIAL PRIMARY KEY,
    host_id    BIGINT  NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    source     TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    outcome    TEXT    NOT NULL CHECK (outcome IN ('acted', 'skipped', 'failed')),
    reason     TEXT    NOT NULL,
    command_id TEXT,
    at_ms      BIGINT  NOT NULL
);
CREATE INDEX power_decisions_by_host ON power_decisions (host_id, at_ms);

-- A host's nominal power draw, for energy estimates when it has no power sensor.
CREATE TABLE host_energy (
    host_id       BIGINT  PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
    nominal_watts DOUBLE PRECISION NOT NULL
);
