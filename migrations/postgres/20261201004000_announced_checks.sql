-- check.down / check.up follow a check's state as the page shows it (every
-- probe region combined, SPEC §9), announced by the one process holding the
-- incidents lease. This is the state it last announced for each check,
-- written in the transaction of the event, so that the next holder neither
-- repeats an announcement nor misses one. (component.status keeps its last
-- announced status in component_states, now written by the same process.)
CREATE TABLE announced_checks (
    check_id    TEXT PRIMARY KEY,
    state       TEXT NOT NULL                -- down after check.down, up after check.up
);

-- What the result writers announced before: the latest check event of each check.
INSERT INTO announced_checks (check_id, state)
SELECT e.check_id, CASE WHEN e.kind = 'check.down' THEN 'down' ELSE 'up' END
FROM events e
WHERE e.kind IN ('check.down', 'check.up') AND e.event_id = (
    SELECT MAX(l.event_id) FROM events l
    WHERE l.check_id = e.check_id AND l.kind IN ('check.down', 'check.up'));
