-- Regional probes (SPEC §9): every result records the region that took it,
-- and each region keeps its own threshold state of each check. Rows written
-- before regions existed belong to the region `default`, the region of a
-- probe started without `--region`.
ALTER TABLE check_results ADD COLUMN region TEXT NOT NULL DEFAULT 'default';

-- SQLite cannot change a primary key in place: the table is rebuilt with
-- (check_id, region) as its key, every row kept.
CREATE TABLE check_states_by_region (
    check_id            TEXT NOT NULL,
    region              TEXT NOT NULL,
    state               TEXT,                -- up | degraded | down, in this region
    streak_of           INTEGER,
    streak              INTEGER NOT NULL,
    last_result_ms      INTEGER NOT NULL,
    last_latency_ms     INTEGER,
    last_failure_ms     INTEGER,
    last_failure_reason TEXT,
    PRIMARY KEY (check_id, region)
) WITHOUT ROWID;
INSERT INTO check_states_by_region
    (check_id, region, state, streak_of, streak, last_result_ms, last_latency_ms,
     last_failure_ms, last_failure_reason)
SELECT check_id, 'default', state, streak_of, streak, last_result_ms, last_latency_ms,
       last_failure_ms, last_failure_reason
FROM check_states;
DROP TABLE check_states;
ALTER TABLE check_states_by_region RENAME TO check_states;
