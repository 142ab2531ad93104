-- agg_freeze.sql - the data freeze: when the latest ingest finished.
-- Purpose: stored with every aggregation (agg_run.data_freeze, last_run);
--          whatever is open at the freeze counts as pending.
-- Parameters: none.
-- Output: data_freeze TEXT (ISO 8601 UTC), NULL when no ingest has finished;
--         last_run INTEGER, the newest ingest run id (NULL when none).
SELECT max(finished_at) AS data_freeze, max(id) AS last_run FROM ingest_run;
