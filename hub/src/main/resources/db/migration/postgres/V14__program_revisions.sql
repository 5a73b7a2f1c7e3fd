-- The revision of each host's desired program set (docs/programs.md, "Agent and hub agree"):
-- raised in the same transaction as every definition's create, change and delete, to the larger
-- of (revision + 1) and the time of the change in ms, so it only grows and a hub restored from a
-- backup does not hand out again a number its agents already hold for another set. Every
-- programs.apply carries it; agents report theirs when they connect and get the set again when
-- it differs. No row: revision 0 (no program was ever defined).
CREATE TABLE program_revisions (
    host_id  BIGINT  PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
    revision BIGINT  NOT NULL
);
-- Hosts that had programs before revisions existed: their agents report 0 and get the set once
-- (an apply of the set they run changes nothing).
INSERT INTO program_revisions (host_id, revision)
    SELECT host_id, MAX(updated_at_ms) FROM programs GROUP BY host_id;
