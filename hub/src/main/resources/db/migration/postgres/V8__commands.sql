-- Command channel (docs/control.md): every command sent to an agent, with who asked and the
-- outcome, kept as the host's command history. state: QUEUED (waiting for the agent), SENT,
-- ACKED (the agent received it), SUCCEEDED, FAILED, EXPIRED (the agent did not come back before
-- expires_at_ms), REFUSED (the agent was not connected and the caller chose not to queue).
-- Times are epoch ms UTC.
CREATE TABLE commands (
    id             TEXT    PRIMARY KEY,
    host_id        BIGINT  NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    type           TEXT    NOT NULL,
    args           TEXT    NOT NULL,
    state          TEXT    NOT NULL CHECK (state IN ('QUEUED', 'SENT', 'ACKED', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'REFUSED')),
    requested_by   TEXT,
    created_at_ms BIGINT NOT NULL,
    sent_at_ms BIGINT,
    acked_at_ms BIGINT,
    finished_at_ms BIGINT,
    expires_at_ms BIGINT NOT NULL,
    message        TEXT,
    data           TEXT
);
CREATE INDEX commands_by_host ON commands (host_id, created_at_ms);
-- The sweeper and delivery look only at commands still under way.
CREATE INDEX commands_open ON commands (state, host_id) WHERE state IN ('QUEUED', 'SENT', 'ACKED');

-- Which hub replica holds an agent's command connection (WebSocket, or the latest poll), so a
-- command is refused only when no replica has the agent. seen_at_ms is refreshed while it lasts.
CREATE TABLE agent_links (
    host_id         BIGINT  PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
    replica         TEXT    NOT NULL,
    transport       TEXT    NOT NULL,
    connected_at_ms BIGINT NOT NULL,
    seen_at_ms BIGINT NOT NULL
);

-- Wake-on-LAN settings entered by hand (the MAC otherwise comes from the inventory).
CREATE TABLE host_power (
    host_id   BIGINT  PRIMARY KEY REFERENCES hosts (id) ON DELETE CASCADE,
    mac       TEXT,
    broadcast TEXT,
    port      INTEGER
);
