-- workbook_quality_reasons.sql - rejected rows by reason, per ingest run,
--          as aggregated for one period (agg_quality_reason).
-- Purpose: reports/workbook.c (Data quality sheet).
-- Parameters: :period TEXT ('2026Q3').
-- Output: run_id, country, file_name, reason, rows.
-- Try:    .param set :period '2026Q3'
SELECT r.run_id, q.country, q.file_name, r.reason, r.rows
FROM agg_quality_reason r
JOIN agg_quality q ON q.period = r.period AND q.run_id = r.run_id
WHERE r.period = :period
ORDER BY r.run_id, r.reason;
