-- report_reject_reasons.sql - rejected rows by reason of the ingest runs
-- behind one period's cases (agg_quality_reason, stored by aggregate), for
-- the data-quality section of the PDF report (reports/report.c), which
-- keeps the runs of the report's country.
-- Parameters: ?1 period TEXT.
-- Output: run_id, reason, rows.
SELECT run_id, reason, rows
FROM agg_quality_reason
WHERE period = ?1
ORDER BY run_id, reason;
