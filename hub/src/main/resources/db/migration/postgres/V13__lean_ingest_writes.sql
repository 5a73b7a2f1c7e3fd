-- Every report rewrites its host's row (last seen, newest sample). The inventory and the newest
-- process scan (kilobytes, changing rarely) move out of it into host_details, so that rewrite no
-- longer copies their overflow pages each time.
CREATE TABLE host_details (
    host_id BIGINT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL,
    json    TEXT    NOT NULL,
    at_ms   BIGINT  NOT NULL,
    PRIMARY KEY (host_id, kind)
);
INSERT INTO host_details (host_id, kind, json, at_ms)
    SELECT id, 'inventory', inventory, coalesce(inventory_at_ms, 0) FROM hosts WHERE inventory IS NOT NULL;
INSERT INTO host_details (host_id, kind, json, at_ms)
    SELECT id, 'processes', processes, coalesce(processes_at_ms, 0) FROM hosts WHERE processes IS NOT NULL;
ALTER TABLE hosts DROP COLUMN inventory;
ALTER TABLE hosts DROP COLUMN inventory_at_ms;
ALTER TABLE hosts DROP COLUMN processes;
ALTER TABLE hosts DROP COLUMN processes_at_ms;

-- The highest seq ever packed into a block, kept by compaction, so the writer's duplicate check
-- reads one column instead of scanning the host's blocks on every report.
ALTER TABLE hosts ADD COLUMN raw_packed_seq BIGINT NOT NULL DEFAULT 0;
UPDATE hosts SET raw_packed_seq = coalesce((SELECT max(b.last_seq) FROM sample_blocks b WHERE b.host_id = hosts.id), 0);

-- The head's time index cost one more page write per report; reads of one host's head go by the
-- primary key (host_id, seq) instead, and compaction and retention find the hour windows that
-- hold head rows here (one row per host and hour, written once an hour).
DROP INDEX sample_head_by_time;
CREATE TABLE sample_head_windows (
    host_id         BIGINT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    window_start_ms BIGINT NOT NULL,
    PRIMARY KEY (host_id, window_start_ms)
);
INSERT INTO sample_head_windows (host_id, window_start_ms)
    SELECT DISTINCT host_id, (at_ms / 3600000) * 3600000 FROM sample_head;
