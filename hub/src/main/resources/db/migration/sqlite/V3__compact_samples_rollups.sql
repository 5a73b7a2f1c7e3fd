-- Raw samples move to a compact layout (docs/decisions.md, "Compact raw samples"): recent samples
-- in sample_head, one row each; a background task packs each host's closed hour into one
-- compressed block in sample_blocks. The JSON-per-row table of the skeleton goes; no release
-- ever shipped it, so its rows are not converted.
DROP TABLE samples;

-- What retention removed from the raw tier: the highest seq (a replay of an older seq is a
-- duplicate, not a new sample) and the hour before which no raw sample is left (rollups of
-- earlier hours can no longer be recomputed from raw; late samples there are merged in).
ALTER TABLE hosts ADD COLUMN raw_purged_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN raw_purged_before_ms INTEGER NOT NULL DEFAULT 0;

CREATE TABLE sample_head (
    host_id INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    at_ms   INTEGER NOT NULL,
    data    BLOB    NOT NULL,
    PRIMARY KEY (host_id, seq)
) WITHOUT ROWID;
CREATE INDEX sample_head_by_time ON sample_head (host_id, at_ms);

-- One block per host and hour window [window_start_ms, +1 h) of at_ms. Blocks are a few kB,
-- too large for a WITHOUT ROWID table.
CREATE TABLE sample_blocks (
    id              INTEGER PRIMARY KEY,
    host_id         INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    window_start_ms INTEGER NOT NULL,
    first_seq       INTEGER NOT NULL,
    last_seq        INTEGER NOT NULL,
    sample_count    INTEGER NOT NULL,
    data            BLOB    NOT NULL,
    UNIQUE (host_id, window_start_ms)
);
CREATE INDEX sample_blocks_by_seq ON sample_blocks (host_id, last_seq);
-- Retention finds expired blocks without reading the blocks.
CREATE INDEX sample_blocks_by_window ON sample_blocks (window_start_ms, host_id);

-- The series a host has ever reported (names for the API; the data is in the blocks).
CREATE TABLE series (
    id      INTEGER PRIMARY KEY,
    host_id INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    name    TEXT    NOT NULL,
    UNIQUE (host_id, name)
);

-- Rollups (1 min, 15 min, 1 h): one block per host, tier and window (an hour of 1-minute
-- buckets, a day of 15-minute or 1-hour buckets) holding min, max, sum, count, last and its time
-- for every series, encoded like raw blocks. As one row per series and bucket they took ~66 bytes
-- per bucket; as blocks ~6 (docs/decisions.md). tier is the bucket width in minutes.
CREATE TABLE rollup_blocks (
    id              INTEGER PRIMARY KEY,
    host_id         INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    tier            INTEGER NOT NULL CHECK (tier IN (1, 15, 60)),
    window_start_ms INTEGER NOT NULL,
    data            BLOB    NOT NULL,
    UNIQUE (host_id, tier, window_start_ms)
);

-- Minutes whose rollups are out of date: marked by the writer in the same transaction as the
-- samples, cleared by the background rollup task.
CREATE TABLE rollup_dirty (
    host_id   INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    minute_ms INTEGER NOT NULL,
    PRIMARY KEY (host_id, minute_ms)
) WITHOUT ROWID;
