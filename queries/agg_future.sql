-- agg_future.sql - cases of a period with an event after the date stated
--          as current.
-- Purpose: a warning before figures are published: a case received,
--          decided, forwarded or answered after "today" (SOURCE_DATE_EPOCH
--          when set, else the clock) means the clock, SOURCE_DATE_EPOCH or
--          the case dates are wrong.
-- Parameters: :start_day, :end_day INTEGER (the period, YYYYMMDD inclusive),
--          :today INTEGER (YYYYMMDD).
-- Output: country, cases (only countries with at least one), latest_day.
SELECT country, count(*) AS cases,
       max(max(received_day), coalesce(max(decided_day), 0), coalesce(max(forwarded_day), 0),
           coalesce(max(outcome_day), 0)) AS latest_day
FROM case_record INDEXED BY case_agg
WHERE received_day BETWEEN :start_day AND :end_day
  AND (received_day > :today OR decided_day > :today OR forwarded_day > :today
       OR outcome_day > :today)
GROUP BY country
ORDER BY country;
