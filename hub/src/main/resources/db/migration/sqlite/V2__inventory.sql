-- Inventory (OS, CPU, RAM, disks, NICs with MACs) arrives only when it changes, so it is kept
-- on the host rather than read from the latest sample. inventory_at_ms is the time of the
-- sample that carried it: a replayed backlog never overwrites a newer inventory.
ALTER TABLE hosts ADD COLUMN inventory TEXT;
ALTER TABLE hosts ADD COLUMN inventory_at_ms INTEGER;
