-- agg_dim_outcomes.sql - the platform outcome dimension.
-- Purpose: map case_record.outcome_id to its code, whether it counts as
--          actioned (DESIGN section 4) and whether it is final (all but pending).
-- Parameters: none.
-- Output: id INTEGER, code TEXT, actioned INTEGER (0/1), final INTEGER (0/1).
SELECT id, code, actioned, final FROM outcome ORDER BY id;
