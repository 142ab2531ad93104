-- agg_insert_quality_reason.sql - one ingest run's rejected rows by reason.
-- Parameters: :period TEXT, :run_id INTEGER.
-- Output: none.
INSERT INTO agg_quality_reason(period, run_id, reason, rows)
SELECT :period, run_id, reason, count(*)
FROM reject WHERE run_id = :run_id
GROUP BY reason;
