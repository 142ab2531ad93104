-- agg_load_run.sql - one aggregated period, with its freshness.
-- Purpose: pipeline/metrics.c (vsp_metrics_load, vsp_metrics_status).
-- Parameters: :period TEXT ('2026Q3').
-- Output: period, kind, start_day, end_day, data_freeze, computed_at, cases,
--         current_freeze (max(ingest_run.finished_at) now: the aggregates
--         are stale when it differs from data_freeze).
SELECT period, kind, start_day, end_day, data_freeze, computed_at, cases,
       (SELECT max(finished_at) FROM ingest_run) AS current_freeze
FROM agg_run
WHERE period = :period;
