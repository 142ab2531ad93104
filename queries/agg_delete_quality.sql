-- agg_delete_quality.sql - remove one period's rows of agg_quality.
-- Purpose: re-running `vspreport aggregate` replaces a period (in the same
--          transaction as the new rows).
-- Parameters: :period TEXT ('2026Q3').
-- Output: none.
DELETE FROM agg_quality WHERE period = :period;
