-- agg_dim_decisions.sql - the regulator decision dimension.
-- Purpose: map case_record.decision_id to its code, and which decisions
--          count as assessed (all but pending).
-- Parameters: none.
-- Output: id INTEGER, code TEXT, assessed INTEGER (0/1).
SELECT id, code, assessed FROM decision ORDER BY id;
