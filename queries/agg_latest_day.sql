-- agg_latest_day.sql - the latest received day before a date.
-- Purpose: the default period (the latest complete quarter that holds
--          data).  Plan: SEARCH case_record USING COVERING INDEX case_period.
-- Parameters: :before_day INTEGER (YYYYMMDD, exclusive).
-- Output: latest_day INTEGER (YYYYMMDD), NULL when no case is that early.
SELECT max(received_day) AS latest_day FROM case_record WHERE received_day < :before_day;
