-- Per check per 5 minutes: the 24-hour chart, as in migrations/sqlite/.
-- No backfill: no PostgreSQL database predates this migration.
CREATE TABLE five_minute_rollups (
    check_id        TEXT   NOT NULL,
    bucket_ms       BIGINT NOT NULL,
    total           BIGINT NOT NULL,
    failed          BIGINT NOT NULL,
    latency_count   BIGINT NOT NULL,
    latency_sum_ms  BIGINT NOT NULL,
    latency_min_ms  BIGINT,
    latency_max_ms  BIGINT,
    PRIMARY KEY (check_id, bucket_ms)
);
