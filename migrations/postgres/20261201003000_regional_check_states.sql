-- Regional probes (SPEC §9): every result records the region that took it,
-- and each region keeps its own threshold state of each check. Rows written
-- before regions existed belong to the region `default`, the region of a
-- probe started without `--region`.
ALTER TABLE check_results ADD COLUMN region TEXT NOT NULL DEFAULT 'default';

ALTER TABLE check_states ADD COLUMN region TEXT NOT NULL DEFAULT 'default';
ALTER TABLE check_states DROP CONSTRAINT check_states_pkey;
ALTER TABLE check_states ADD PRIMARY KEY (check_id, region);
