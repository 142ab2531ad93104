-- ingest_count_cases.sql — how many cases the warehouse holds (to decide
-- whether an ingest is a bulk load).
-- Parameters: none.
-- Output: n
SELECT count(*) AS n FROM case_record;
