-- export_scan.sql - the quasi-identifiers of every case received in a span
--          of days: the first of the research export's two passes, which
--          counts the equivalence classes for k-anonymity (reports/export.c).
-- Purpose: every column is in the covering index case_agg, so the pass
--          reads the period's part of the index, a quarter of the table's
--          bytes a row, and no table page (the channel, in no index, is
--          checked in the second pass, export_rows.sql).
--          Plan: SEARCH c USING COVERING INDEX case_agg.
-- Parameters: :start_day, :end_day INTEGER (YYYYMMDD, inclusive, local dates).
-- Output: country, received_day, category_id, decision_id, outcome_id (0:
--          none).
-- Try:    .param set :start_day 20260701
--         .param set :end_day 20260930
SELECT country, received_day, category_id, decision_id, coalesce(outcome_id, 0) AS outcome_id
FROM case_record AS c
WHERE received_day BETWEEN :start_day AND :end_day;
