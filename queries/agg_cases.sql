-- agg_cases.sql - the cases received in a span of days.
-- Purpose: the one scan that feeds every count and duration of the
--          aggregates.  pipeline/aggregate.c runs it once per span (a period,
--          or a part of one) on several threads, and feeds the rows, in this
--          column order, to an SQL aggregate of its own:
--          SELECT vsp_agg_case(<these columns>) FROM (<this query>).
--          It reads the covering index case_agg only (0003_time.sql):
--          one contiguous range, no look-up into the table.
--          Plan: SEARCH case_record USING COVERING INDEX case_agg
--                (received_day>? AND received_day<?)
-- Parameters: :start_day, :end_day INTEGER (YYYYMMDD, inclusive, local dates).
-- Output: received_day, country, category_id, decision_id, outcome_id (NULL
--          unless forwarded), received_ts, decided_ts, forwarded_ts,
--          outcome_ts (Unix seconds UTC, NULL when not given),
--          received_prec, decided_prec, forwarded_prec, outcome_prec (1 =
--          date only, 2 = date and time: an hour duration needs 2 at both
--          ends), first_run, last_run, decided_day, forwarded_day,
--          outcome_day (YYYYMMDD local dates, NULL when not given: a day
--          duration needs a date at both ends).
-- Try:    .param set :start_day 20260701
--         .param set :end_day 20260930
SELECT received_day, country, category_id, decision_id, outcome_id,
       received_ts, decided_ts, forwarded_ts, outcome_ts,
       received_prec, decided_prec, forwarded_prec, outcome_prec,
       first_run, last_run, decided_day, forwarded_day, outcome_day
FROM case_record INDEXED BY case_agg
WHERE received_day BETWEEN :start_day AND :end_day;
