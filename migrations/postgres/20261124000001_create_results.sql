-- Probe results and what is derived from them (PostgreSQL; the same
-- schema as migrations/sqlite/, with its comments). Times are UTC unix
-- milliseconds in BIGINT.

CREATE TABLE check_results (
    result_id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    check_id    TEXT   NOT NULL,
    at_ms       BIGINT NOT NULL,
    outcome     BIGINT NOT NULL,             -- 0 ok, 1 slow, 2 failed
    latency_ms  BIGINT,
    reason      TEXT
);
CREATE INDEX check_results_by_check_time ON check_results (check_id, at_ms);

CREATE TABLE daily_rollups (
    check_id    TEXT   NOT NULL,
    day         TEXT   NOT NULL,             -- YYYY-MM-DD in the site timezone
    good        BIGINT NOT NULL,
    total       BIGINT NOT NULL,
    PRIMARY KEY (check_id, day)
);

CREATE TABLE hourly_rollups (
    check_id        TEXT   NOT NULL,
    hour_ms         BIGINT NOT NULL,
    latency_sum_ms  BIGINT NOT NULL,
    latency_count   BIGINT NOT NULL,
    PRIMARY KEY (check_id, hour_ms)
);

CREATE TABLE check_states (
    check_id            TEXT PRIMARY KEY,
    state               TEXT,
    streak_of           BIGINT,
    streak              BIGINT NOT NULL,
    last_result_ms      BIGINT NOT NULL,
    last_latency_ms     BIGINT,
    last_failure_ms     BIGINT,
    last_failure_reason TEXT
);

CREATE TABLE revision (
    singleton   BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    n           BIGINT  NOT NULL
);
INSERT INTO revision (singleton, n) VALUES (TRUE, 0);
