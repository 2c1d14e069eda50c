-- Exactly-once duties (SPEC §9): one row per lease; its holder runs the
-- duty until expires_ms (unix milliseconds on the database's own clock).
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT   NOT NULL,
    expires_ms  BIGINT NOT NULL
);

-- The second guard, beside the lease: at most one open automatic incident
-- per component. Duplicates left by processes that ran before the lease
-- (the newer ones) are closed first, so the index can be built.
UPDATE incidents SET status = 'resolved', resolved_ms = updated_ms
WHERE resolved_ms IS NULL AND auto_component IS NOT NULL AND EXISTS (
    SELECT 1 FROM incidents o
    WHERE o.auto_component = incidents.auto_component AND o.resolved_ms IS NULL
      AND (o.created_ms < incidents.created_ms
           OR (o.created_ms = incidents.created_ms AND o.incident_id < incidents.incident_id)));
CREATE UNIQUE INDEX incidents_one_open_auto ON incidents (auto_component)
    WHERE resolved_ms IS NULL AND auto_component IS NOT NULL;
