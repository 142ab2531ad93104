-- export_scan.sql - the quasi-identifiers of every case received in a span
--          of days: the first of the research export's two passes, which
--          counts the equivalence classes for k-anonymity (reports/export.c).
-- Purpose: one sequential pass over the table (`+received_day` keeps the
--          planner off the index: a period is most of a warehouse, and
--          per-row look-ups from the index would be slower; channel_id is in
--          no index).  Plan: SCAN c.
-- Parameters: :start_day, :end_day INTEGER (YYYYMMDD, inclusive, local dates).
-- Output: country, received_day, category_id, decision_id, outcome_id (0:
--          none), channel_id (0: none).
-- Try:    .param set :start_day 20260701
--         .param set :end_day 20260930
SELECT country, received_day, category_id, decision_id,
       coalesce(outcome_id, 0) AS outcome_id, coalesce(channel_id, 0) AS channel_id
FROM case_record AS c
WHERE +received_day BETWEEN :start_day AND :end_day;
