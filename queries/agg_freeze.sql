-- agg_freeze.sql - the data freeze: when the latest ingest finished.
-- Purpose: stored with every aggregation (agg_run.data_freeze); whatever is
--          open at the freeze counts as pending.
-- Parameters: none.
-- Output: data_freeze TEXT (ISO 8601 UTC), NULL when no ingest has finished.
SELECT max(finished_at) AS data_freeze FROM ingest_run;
