-- agg_delete_metric.sql - remove one period's rows of agg_metric.
-- Purpose: re-running `vspreport aggregate` replaces a period (in the same
--          transaction as the new rows).
-- Parameters: :period TEXT ('2026Q3').
-- Output: none.
DELETE FROM agg_metric WHERE period = :period;
