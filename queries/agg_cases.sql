-- agg_cases.sql - the cases of one country received in a span of days.
-- Purpose: the one scan that feeds every count and duration of the
--          aggregates.  pipeline/aggregate.c runs it once per country and
--          feeds the rows, in this column order, to an SQL aggregate of its
--          own: SELECT vsp_agg_case(<these columns>) FROM (<this query>).
--          `country = :country` walks one contiguous range of the primary
--          key; `+received_day` keeps the planner off the case_period index,
--          whose per-row table look-ups are ten times slower than the scan
--          when the span covers most of the warehouse (as the eight-period
--          trend does).  Plan: SEARCH case_record USING PRIMARY KEY (country=?).
-- Parameters: :country TEXT ('AL'), :start_day, :end_day INTEGER (YYYYMMDD,
--          inclusive, local dates).
-- Output: received_day, category_id, decision_id, outcome_id (NULL unless
--          forwarded), received_ts, decided_ts, forwarded_ts, outcome_ts
--          (Unix seconds UTC, NULL when not given), first_run, last_run.
-- Try:    .param set :country 'AL'
--         .param set :start_day 20260701
--         .param set :end_day 20260930
SELECT received_day, category_id, decision_id, outcome_id,
       received_ts, decided_ts, forwarded_ts, outcome_ts,
       first_run, last_run
FROM case_record
WHERE country = :country
  AND +received_day BETWEEN :start_day AND :end_day;
