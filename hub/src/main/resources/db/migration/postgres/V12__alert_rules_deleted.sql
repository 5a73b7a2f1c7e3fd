-- A deleted alert rule is kept, marked deleted: its alerts stay in the history (with the rule's
-- name), and its open alerts are resolved by the engine, which sends their "resolved" notifications.
ALTER TABLE alert_rules ADD COLUMN deleted_at_ms BIGINT;
