-- ingest_count_cases.sql — how many cases the warehouse holds, counted up
-- to a bound (to decide whether an ingest is a bulk load: only whether the
-- table holds more rows than the file can matter, so the count stops
-- there, and its cost follows the file, not the warehouse).
-- Parameters: ?1 the bound
-- Output: n (at most ?1)
SELECT count(*) AS n FROM (SELECT 1 FROM case_record LIMIT ?1);
