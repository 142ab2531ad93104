-- agg_load_metrics.sql - every figure of one period.
-- Purpose: pipeline/metrics.c; in primary-key order, so C can search it.
-- Parameters: :period TEXT ('2026Q3').
-- Output: country, category, metric TEXT, value REAL (NULL = undefined).
SELECT country, category, metric, value
FROM agg_metric
WHERE period = :period
ORDER BY country, category, metric;
