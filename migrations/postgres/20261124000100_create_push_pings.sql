-- Pings of push checks (SPEC §2 kind = "push"), as in migrations/sqlite/.
CREATE TABLE push_pings (
    check_id      TEXT PRIMARY KEY,
    last_ping_ms  BIGINT NOT NULL,
    pings         BIGINT NOT NULL
);
