-- Probe results and what is derived from them. All times are UTC.

-- One row per probe attempt. Pruned after [database] retention_days; the
-- rollups below are kept forever so the page never scans raw rows.
CREATE TABLE check_results (
    result_id   INTEGER PRIMARY KEY,
    check_id    TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL,            -- unix milliseconds
    outcome     INTEGER NOT NULL,            -- 0 ok, 1 slow, 2 failed
    latency_ms  INTEGER,                     -- NULL when nothing answered
    reason      TEXT                         -- set for slow and failed results
);
CREATE INDEX check_results_by_check_time ON check_results (check_id, at_ms);

-- Per check per day (in the site timezone): the uptime bars.
CREATE TABLE daily_rollups (
    check_id    TEXT    NOT NULL,
    day         TEXT    NOT NULL,            -- YYYY-MM-DD in the site timezone
    good        INTEGER NOT NULL,            -- ok + slow results
    total       INTEGER NOT NULL,
    PRIMARY KEY (check_id, day)
) WITHOUT ROWID;

-- Per check per UTC hour: the 7-day and 30-day response-time charts.
CREATE TABLE hourly_rollups (
    check_id        TEXT    NOT NULL,
    hour_ms         INTEGER NOT NULL,        -- start of the hour, unix milliseconds
    latency_sum_ms  INTEGER NOT NULL,        -- over results that have a latency
    latency_count   INTEGER NOT NULL,
    PRIMARY KEY (check_id, hour_ms)
) WITHOUT ROWID;

-- The threshold state machine of each check (status::Tracker) and the
-- latest facts shown on the page. One row per check, replaced on each result.
CREATE TABLE check_states (
    check_id            TEXT PRIMARY KEY,
    state               TEXT,                -- up | degraded | down
    streak_of           INTEGER,             -- outcome code of the current streak
    streak              INTEGER NOT NULL,
    last_result_ms      INTEGER NOT NULL,
    last_latency_ms     INTEGER,
    last_failure_ms     INTEGER,
    last_failure_reason TEXT
) WITHOUT ROWID;

-- Bumped by every write, in the same transaction, so readers (the web
-- server, possibly in another process) can tell cheaply that data changed.
CREATE TABLE revision (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    n           INTEGER NOT NULL
);
INSERT INTO revision (singleton, n) VALUES (1, 0);
