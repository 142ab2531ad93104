-- agg_delete_quality_reason.sql - remove one period's rows of agg_quality_reason.
-- Purpose: re-running `vspreport aggregate` replaces a period (in the same
--          transaction as the new rows).
-- Parameters: :period TEXT ('2026Q3').
-- Output: none.
DELETE FROM agg_quality_reason WHERE period = :period;
