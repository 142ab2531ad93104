-- figures_data_span.sql - the first and last day that hold a case.
-- Purpose: the quarters of figures.csv (reports/figures.c): every quarter
--          from the first that holds data to the last.  Plan: one look-up
--          at each end of an index whose first column is received_day.
--          min and max are two subqueries because SQLite optimises a lone
--          min() or max() into a look-up but scans the whole index for
--          both in one SELECT (0.6 s at a million cases, for two numbers).
-- Parameters: none.
-- Output: first_day INTEGER, last_day INTEGER (YYYYMMDD, local dates),
--         both NULL when the warehouse holds no case.
SELECT (SELECT min(received_day) FROM case_record) AS first_day,
       (SELECT max(received_day) FROM case_record) AS last_day;
