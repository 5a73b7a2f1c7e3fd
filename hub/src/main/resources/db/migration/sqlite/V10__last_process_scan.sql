-- The agent scans processes less often than it reports (every 30 s by default), so most samples
-- carry no process list. The newest scan is kept on the host, like the inventory, so the host
-- page always has one; processes_at_ms is the time of the sample that carried it.
ALTER TABLE hosts ADD COLUMN processes TEXT;
ALTER TABLE hosts ADD COLUMN processes_at_ms INTEGER;
