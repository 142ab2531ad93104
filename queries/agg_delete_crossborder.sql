-- agg_delete_crossborder.sql - remove one period's rows of agg_crossborder.
-- Purpose: re-running `vspreport aggregate` replaces a period (in the same
--          transaction as the new rows).
-- Parameters: :period TEXT ('2026Q3').
-- Output: none.
DELETE FROM agg_crossborder WHERE period = :period;
