-- Pings of push checks (SPEC §2 kind = "push"). The monitored job calls
-- GET|POST /api/push/{token}; the web server records the ping here and the
-- probe worker, possibly another process, reads it on the check's schedule.
-- One row per check, replaced on each ping. All times are UTC.
CREATE TABLE push_pings (
    check_id      TEXT PRIMARY KEY,          -- the push check's id; never its token, a secret
    last_ping_ms  INTEGER NOT NULL,          -- unix milliseconds of the latest ping
    pings         INTEGER NOT NULL           -- pings received since the first
) WITHOUT ROWID;
