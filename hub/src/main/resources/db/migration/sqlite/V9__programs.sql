-- Programs supervised by agents (docs/programs.md). Times are epoch milliseconds UTC.
-- The definition is one JSON document (dev.servmon.protocol.ProgramSpec), validated by the same
-- rules on the hub and the agent; name is unique per host and never changes (it keys the
-- program's status, events and series).
CREATE TABLE programs (
    id            INTEGER PRIMARY KEY,
    host_id       INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    spec          TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    UNIQUE (host_id, name)
);

-- The latest status the agent reported for each program and watched unit (kind program,
-- systemd, windows-service). A replayed older sample never overwrites a newer status.
CREATE TABLE program_status (
    host_id       INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    state         TEXT    NOT NULL,
    pid           INTEGER,
    exit_code     INTEGER,
    restarts      INTEGER NOT NULL,
    started_at_ms INTEGER,
    cpu_percent   REAL,
    rss_bytes     INTEGER,
    message       TEXT,
    at_ms         INTEGER NOT NULL,
    PRIMARY KEY (host_id, name)
) WITHOUT ROWID;

-- What happened to programs. (host, sample seq, index in the sample) makes a replayed sample's
-- events duplicates, ignored.
CREATE TABLE program_events (
    id         INTEGER PRIMARY KEY,
    host_id    INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    program    TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    at_ms      INTEGER NOT NULL,
    exit_code  INTEGER,
    message    TEXT,
    sample_seq INTEGER NOT NULL,
    idx        INTEGER NOT NULL,
    UNIQUE (host_id, sample_seq, idx)
);
CREATE INDEX program_events_by_program ON program_events (host_id, program, at_ms);
CREATE INDEX program_events_by_time ON program_events (at_ms);
