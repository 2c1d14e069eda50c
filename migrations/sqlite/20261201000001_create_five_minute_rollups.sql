-- Per check per 5 minutes (UTC, aligned to the unix epoch): the 24-hour
-- response-time chart reads its 288 points by key instead of every raw
-- result of the day. Only the chart reads them, so they are pruned after
-- two days (the raw results keep the detail for retention_days).
CREATE TABLE five_minute_rollups (
    check_id        TEXT    NOT NULL,
    bucket_ms       INTEGER NOT NULL,        -- start of the 5 minutes, unix milliseconds
    total           INTEGER NOT NULL,        -- results
    failed          INTEGER NOT NULL,        -- failed results
    latency_count   INTEGER NOT NULL,        -- results that have a latency
    latency_sum_ms  INTEGER NOT NULL,
    latency_min_ms  INTEGER,                 -- NULL while latency_count = 0
    latency_max_ms  INTEGER,
    PRIMARY KEY (check_id, bucket_ms)
) WITHOUT ROWID;

-- The last two days of existing results, read per check through the
-- (check_id, at_ms) index, so an upgrade does not scan the whole history.
INSERT INTO five_minute_rollups
SELECT r.check_id, r.at_ms - r.at_ms % 300000, COUNT(*), SUM(r.outcome = 2),
       COUNT(r.latency_ms), COALESCE(SUM(r.latency_ms), 0), MIN(r.latency_ms), MAX(r.latency_ms)
FROM check_states s
JOIN check_results r ON r.check_id = s.check_id
                    AND r.at_ms >= (CAST(strftime('%s', 'now') AS INTEGER) - 2 * 86400) * 1000
GROUP BY r.check_id, r.at_ms - r.at_ms % 300000;
