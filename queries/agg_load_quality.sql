-- agg_load_quality.sql - the ingest runs behind one period's cases.
-- Parameters: :period TEXT.
-- Output: run_id, country, file_name, sha256, profile, finished_at,
--         rows_read, blank_lines, rows_new, rows_updated, rows_unchanged,
--         rows_duplicate, rows_rejected, cases.
SELECT run_id, country, file_name, sha256, profile, finished_at,
       rows_read, blank_lines, rows_new, rows_updated, rows_unchanged,
       rows_duplicate, rows_rejected, cases
FROM agg_quality
WHERE period = :period
ORDER BY run_id;
