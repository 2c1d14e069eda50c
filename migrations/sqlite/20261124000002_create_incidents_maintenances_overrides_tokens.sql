-- Incidents, maintenance windows, component overrides and admin tokens
-- (SPEC §6). Times are unix milliseconds, UTC. Ids are random 12-character
-- base36 strings, like Statuspage's.

CREATE TABLE incidents (
    incident_id     TEXT PRIMARY KEY,
    title           TEXT    NOT NULL,
    status          TEXT    NOT NULL,        -- investigating | identified | monitoring | resolved
    impact          TEXT    NOT NULL,        -- none | minor | major | critical
    auto_component  TEXT,                    -- set when Beacon opened it for this component's outage
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL,
    monitoring_ms   INTEGER,                 -- first time it went to monitoring
    resolved_ms     INTEGER                  -- NULL while open
);
CREATE INDEX incidents_by_created ON incidents (created_ms);
CREATE INDEX incidents_open ON incidents (resolved_ms) WHERE resolved_ms IS NULL;

-- The timeline; `seq` orders updates within one incident.
CREATE TABLE incident_updates (
    update_id       TEXT PRIMARY KEY,
    incident_id     TEXT    NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    status          TEXT    NOT NULL,
    body            TEXT    NOT NULL,        -- operator Markdown
    created_ms      INTEGER NOT NULL
);
CREATE INDEX incident_updates_by_incident ON incident_updates (incident_id, seq);

-- The status an open incident currently sets for each affected component.
CREATE TABLE incident_components (
    incident_id     TEXT NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
    component_id    TEXT NOT NULL,
    status          TEXT NOT NULL,           -- a Statuspage component status
    PRIMARY KEY (incident_id, component_id)
) WITHOUT ROWID;

-- What each update changed (Statuspage `affected_components`).
CREATE TABLE update_components (
    update_id       TEXT NOT NULL REFERENCES incident_updates (update_id) ON DELETE CASCADE,
    component_id    TEXT NOT NULL,
    old_status      TEXT NOT NULL,
    new_status      TEXT NOT NULL,
    PRIMARY KEY (update_id, component_id)
) WITHOUT ROWID;

-- Maintenance windows. The status (scheduled, in progress, completed) is
-- derived from the window and the clock; only operator actions are stored.
CREATE TABLE maintenances (
    maintenance_id  TEXT PRIMARY KEY,
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    starts_ms       INTEGER NOT NULL,
    ends_ms         INTEGER NOT NULL,
    completed_ms    INTEGER,                 -- completed early by an operator
    cancelled_ms    INTEGER,                 -- cancelled; kept in history
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL
);
CREATE INDEX maintenances_by_window ON maintenances (ends_ms, starts_ms);

CREATE TABLE maintenance_components (
    maintenance_id  TEXT NOT NULL REFERENCES maintenances (maintenance_id) ON DELETE CASCADE,
    component_id    TEXT NOT NULL,
    PRIMARY KEY (maintenance_id, component_id)
) WITHOUT ROWID;

-- An admin's pin of a component's status, optionally until a time.
CREATE TABLE component_overrides (
    component_id    TEXT PRIMARY KEY,
    status          TEXT    NOT NULL,
    until_ms        INTEGER,                 -- NULL: until released
    created_ms      INTEGER NOT NULL
) WITHOUT ROWID;

-- Admin API tokens: only a SHA-256 of each token is stored.
CREATE TABLE admin_tokens (
    name            TEXT PRIMARY KEY,
    token_hash      TEXT    NOT NULL UNIQUE, -- lowercase hex SHA-256 of the token
    created_ms      INTEGER NOT NULL,
    last_used_ms    INTEGER
);
