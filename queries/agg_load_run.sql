-- agg_load_run.sql - one aggregated period, with its freshness.
-- Purpose: pipeline/metrics.c (vsp_metrics_load, vsp_metrics_status).
-- Parameters: :period TEXT ('2026Q3').
-- Output: period, kind, start_day, end_day, data_freeze, computed_at, cases,
--         last_run, and current_freeze, current_run: the same two of the
--         warehouse now; the aggregates are stale when either differs.
SELECT period, kind, start_day, end_day, data_freeze, computed_at, cases, last_run,
       (SELECT max(finished_at) FROM ingest_run) AS current_freeze,
       (SELECT max(id) FROM ingest_run) AS current_run
FROM agg_run
WHERE period = :period;
