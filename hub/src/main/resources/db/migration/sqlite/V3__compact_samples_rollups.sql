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

-- Rollups refer to a host's series by a small id rather than by name.
CREATE TABLE series (
    id      INTEGER PRIMARY KEY,
    host_id INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    name    TEXT    NOT NULL,
    UNIQUE (host_id, name)
);

-- Rollup tiers: one row per series and bucket. last_v is the value of the latest sample in
-- the bucket, last_at_ms its time, n the number of samples (needed to merge late samples into buckets whose raw is gone).
CREATE TABLE rollup_1m (
    series_id  INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    bucket_ms  INTEGER NOT NULL,
    min_v      REAL    NOT NULL,
    max_v      REAL    NOT NULL,
    sum_v      REAL    NOT NULL,
    n          INTEGER NOT NULL,
    last_v     REAL    NOT NULL,
    last_at_ms INTEGER NOT NULL,
    PRIMARY KEY (series_id, bucket_ms)
) WITHOUT ROWID;
CREATE TABLE rollup_15m (
    series_id  INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    bucket_ms  INTEGER NOT NULL,
    min_v      REAL    NOT NULL,
    max_v      REAL    NOT NULL,
    sum_v      REAL    NOT NULL,
    n          INTEGER NOT NULL,
    last_v     REAL    NOT NULL,
    last_at_ms INTEGER NOT NULL,
    PRIMARY KEY (series_id, bucket_ms)
) WITHOUT ROWID;
CREATE TABLE rollup_1h (
    series_id  INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    bucket_ms  INTEGER NOT NULL,
    min_v      REAL    NOT NULL,
    max_v      REAL    NOT NULL,
    sum_v      REAL    NOT NULL,
    n          INTEGER NOT NULL,
    last_v     REAL    NOT NULL,
    last_at_ms INTEGER NOT NULL,
    PRIMARY KEY (series_id, bucket_ms)
) WITHOUT ROWID;

-- Minutes whose rollups are out of date: marked by the writer in the same transaction as the
-- samples, cleared by the background rollup task.
CREATE TABLE rollup_dirty (
    host_id   INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    minute_ms INTEGER NOT NULL,
    PRIMARY KEY (host_id, minute_ms)
) WITHOUT ROWID;
