-- figures_data_span.sql - the first and last day that hold a case.
-- Purpose: the quarters of figures.csv (reports/figures.c): every quarter
--          from the first that holds data to the last.  Plan: the covering
--          index case_agg, whose first column is received_day (min/max
--          are one look-up each).
-- Parameters: none.
-- Output: first_day INTEGER, last_day INTEGER (YYYYMMDD, local dates),
--         both NULL when the warehouse holds no case.
SELECT min(received_day) AS first_day, max(received_day) AS last_day FROM case_record;
