-- agg_insert_quality.sql - one ingest run's row accounting for a period.
-- Parameters: :period TEXT, :run_id INTEGER, :cases INTEGER (cases of the
--          period that the run first brought or last changed).
-- Output: none.
INSERT INTO agg_quality(period, run_id, country, file_name, sha256, profile, finished_at,
    rows_read, blank_lines, rows_new, rows_updated, rows_unchanged, rows_duplicate,
    rows_rejected, cases)
SELECT :period, id, country, file_name, sha256, profile, finished_at,
    rows_read, blank_lines, rows_new, rows_updated, rows_unchanged, rows_duplicate,
    rows_rejected, :cases
FROM ingest_run WHERE id = :run_id;
