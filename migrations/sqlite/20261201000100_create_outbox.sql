-- The notification outbox (SPEC §8). Every event is written in the same
-- transaction as the change that caused it; the sender fans each event out
-- into one delivery per target and works through the deliveries, retrying
-- with backoff, across restarts. All times are unix milliseconds, UTC.

CREATE TABLE events (
    event_id        INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,        -- check.down, incident.opened, maintenance.started, ...
    occurred_ms     INTEGER NOT NULL,
    check_id        TEXT,
    component_id    TEXT,
    incident_id     TEXT,
    maintenance_id  TEXT,
    old_status      TEXT,                    -- component.status: before
    new_status      TEXT,                    -- component.status: after
    reason          TEXT,                    -- check.down: the failure reason (operator data)
    subscribers     INTEGER NOT NULL,        -- 0: posted with notify = false (operators only)
    fanned_out      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_to_fan_out ON events (event_id) WHERE fanned_out = 0;

-- One event for one target: an operator notifier (`target` = its id), one
-- number of an sms notifier (`recipient`), or a subscriber. The id is sent
-- on every attempt, so a receiver deduplicates at-least-once repeats.
CREATE TABLE deliveries (
    delivery_id     TEXT    PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    target          TEXT    NOT NULL,        -- notifier id, or "subscriber:<id>"
    recipient       TEXT    NOT NULL DEFAULT '',
    round           INTEGER NOT NULL DEFAULT 0,  -- 0: the event; n: the n-th remind_every repeat
    payload         TEXT    NOT NULL,        -- what is sent, fixed at fan-out (JSON)
    status          TEXT    NOT NULL,        -- pending | delivered | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_ms         INTEGER NOT NULL,        -- when the next attempt is due
    last_error      TEXT,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL,
    UNIQUE (event_id, target, recipient, round)
);
CREATE INDEX deliveries_due ON deliveries (next_ms) WHERE status = 'pending';
CREATE INDEX deliveries_by_status ON deliveries (status, created_ms);

-- The check-derived status of each component last seen by the result
-- writer, so that `component.status` fires once per change.
CREATE TABLE component_states (
    component_id    TEXT PRIMARY KEY,
    status          TEXT NOT NULL
) WITHOUT ROWID;

-- Maintenance edges already announced (started, completed), once each.
CREATE TABLE maintenance_edges (
    maintenance_id  TEXT NOT NULL REFERENCES maintenances (maintenance_id) ON DELETE CASCADE,
    edge            TEXT NOT NULL,           -- started | completed
    PRIMARY KEY (maintenance_id, edge)
) WITHOUT ROWID;

-- `notify = false` posts an incident or maintenance without telling subscribers.
ALTER TABLE maintenances ADD COLUMN notify INTEGER NOT NULL DEFAULT 1;

-- Visitors subscribed by e-mail (double opt-in) and webhook subscribers
-- added through the admin API. The opt-in token is stored as SHA-256 hex
-- only; unsubscribe links carry a MAC of the subscriber id under the key
-- below, so they are checked without storing any token.
CREATE TABLE subscribers (
    subscriber_id   TEXT    PRIMARY KEY,
    kind            TEXT    NOT NULL,        -- email | webhook
    address         TEXT    NOT NULL,        -- e-mail address or webhook URL
    secret          TEXT,                    -- webhook: HMAC key
    components      TEXT    NOT NULL,        -- JSON array of component ids; [] = all
    confirm_hash    TEXT UNIQUE,             -- e-mail: SHA-256 of the opt-in token, until confirmed
    created_ms      INTEGER NOT NULL,
    confirmed_ms    INTEGER                  -- NULL: not confirmed yet (expires after 48 h)
);
CREATE UNIQUE INDEX subscribers_by_address ON subscribers (kind, address);

-- Server-side keys, made once here: `subscriptions` signs unsubscribe links.
CREATE TABLE secrets (
    name            TEXT PRIMARY KEY,
    value           TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO secrets (name, value) VALUES ('subscriptions', lower(hex(randomblob(32))));

-- Windows that had already started or ended before this migration were
-- announced by nobody; they stay quiet rather than being announced late.
INSERT INTO maintenance_edges (maintenance_id, edge)
    SELECT maintenance_id, 'started' FROM maintenances
    WHERE starts_ms <= CAST(strftime('%s', 'now') AS INTEGER) * 1000;
INSERT INTO maintenance_edges (maintenance_id, edge)
    SELECT maintenance_id, 'completed' FROM maintenances
    WHERE COALESCE(MIN(completed_ms, ends_ms), ends_ms) <= CAST(strftime('%s', 'now') AS INTEGER) * 1000;

-- Visitor sign-ups of the last hour per client (a salted SHA-256 of the
-- address, never the address), for the limit of 10 per hour.
CREATE TABLE sign_up_attempts (
    client_hash     TEXT    NOT NULL,
    at_ms           INTEGER NOT NULL
);
CREATE INDEX sign_up_attempts_by_client ON sign_up_attempts (client_hash, at_ms);
