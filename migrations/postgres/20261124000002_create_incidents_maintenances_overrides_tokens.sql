-- Incidents, maintenance windows, component overrides and admin tokens
-- (SPEC §6), as in migrations/sqlite/.

CREATE TABLE incidents (
    incident_id     TEXT PRIMARY KEY,
    title           TEXT   NOT NULL,
    status          TEXT   NOT NULL,
    impact          TEXT   NOT NULL,
    auto_component  TEXT,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL,
    monitoring_ms   BIGINT,
    resolved_ms     BIGINT
);
CREATE INDEX incidents_by_created ON incidents (created_ms);
CREATE INDEX incidents_by_updated ON incidents (updated_ms);
CREATE INDEX incidents_open ON incidents (auto_component) WHERE resolved_ms IS NULL;

CREATE TABLE incident_updates (
    update_id       TEXT PRIMARY KEY,
    incident_id     TEXT   NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
    seq             BIGINT NOT NULL,
    status          TEXT   NOT NULL,
    body            TEXT   NOT NULL,
    created_ms      BIGINT NOT NULL,
    UNIQUE (incident_id, seq)
);

CREATE TABLE incident_components (
    incident_id     TEXT NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
    component_id    TEXT NOT NULL,
    status          TEXT NOT NULL,
    PRIMARY KEY (incident_id, component_id)
);

CREATE TABLE update_components (
    update_id       TEXT NOT NULL REFERENCES incident_updates (update_id) ON DELETE CASCADE,
    component_id    TEXT NOT NULL,
    old_status      TEXT NOT NULL,
    new_status      TEXT NOT NULL,
    PRIMARY KEY (update_id, component_id)
);

CREATE TABLE maintenances (
    maintenance_id  TEXT PRIMARY KEY,
    title           TEXT   NOT NULL,
    body            TEXT   NOT NULL,
    starts_ms       BIGINT NOT NULL,
    ends_ms         BIGINT NOT NULL,
    completed_ms    BIGINT,
    cancelled_ms    BIGINT,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
);
CREATE INDEX maintenances_by_window ON maintenances (ends_ms, starts_ms);
CREATE INDEX maintenances_by_start ON maintenances (starts_ms);

CREATE TABLE maintenance_components (
    maintenance_id  TEXT NOT NULL REFERENCES maintenances (maintenance_id) ON DELETE CASCADE,
    component_id    TEXT NOT NULL,
    PRIMARY KEY (maintenance_id, component_id)
);

CREATE TABLE component_overrides (
    component_id    TEXT PRIMARY KEY,
    status          TEXT   NOT NULL,
    until_ms        BIGINT,
    created_ms      BIGINT NOT NULL
);

CREATE TABLE admin_tokens (
    name            TEXT PRIMARY KEY,
    token_hash      TEXT   NOT NULL UNIQUE,
    created_ms      BIGINT NOT NULL,
    last_used_ms    BIGINT
);
