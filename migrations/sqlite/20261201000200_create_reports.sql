-- Visitors' problem reports (SPEC §10). Notes are plain text (at most 500
-- characters), never shown to the public; the client address is kept only
-- as a salted hash (SHA-256 of the `reports` secret below and the address), so the
-- rate limit and the count of distinct reporters work without storing it.
-- Pruned with the raw results (`retention_days`) and capped in rows.
-- All times are unix milliseconds, UTC.
CREATE TABLE reports (
    report_id      INTEGER PRIMARY KEY,
    component_id   TEXT    NOT NULL,
    reporter_hash  TEXT    NOT NULL,        -- hex SHA-256 of "salt:address"
    note           TEXT    NOT NULL,        -- '' when none was written
    at_ms          INTEGER NOT NULL,
    spike          INTEGER NOT NULL DEFAULT 0  -- 1: this report made a reports.spike
);
CREATE INDEX reports_by_component ON reports (component_id, at_ms);
CREATE INDEX reports_by_reporter ON reports (reporter_hash, component_id, at_ms);
CREATE INDEX reports_spikes ON reports (component_id, at_ms) WHERE spike = 1;

-- Server-side keys, made once in the database so every server sharing it
-- hashes an address the same way (the notifications migration creates
-- this table too; whichever runs first does).
CREATE TABLE IF NOT EXISTS secrets (
    name            TEXT PRIMARY KEY,
    value           TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO secrets (name, value) VALUES ('reports', lower(hex(randomblob(32))));

-- `reports.spike` events (SPEC §8, §10) carry the count, the window and the
-- latest notes: {"count": 5, "window_seconds": 600, "notes": ["..."]}.
ALTER TABLE events ADD COLUMN detail TEXT;
