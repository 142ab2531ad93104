-- 0003_time.sql - warehouse schema, version 3: how current the data are,
--          and durations in whole days.
-- Purpose: DESIGN section 5, "How current the data are" and "durations at
--          the precision the data has".
-- Parameters: none.  Applied once by the migration runner (pipeline/store.c)
--          inside a transaction, which then sets PRAGMA user_version = 3.
-- Runnable as it stands:  sqlite3 wh.db < queries/0003_time.sql
--
-- ingest_run.exported_day: the date (YYYYMMDD, the regulator's calendar)
--   the export was taken, when the ingest was told it (`ingest
--   --exported-at DATE`); NULL otherwise.  A regulator's figures are as of
--   the latest stated export date of its runs, or, when no run states one,
--   the latest local calendar date of any event (received, decided,
--   forwarded, outcome) in its ingested logs (queries/agg_as_of.sql).
ALTER TABLE ingest_run ADD COLUMN exported_day INTEGER;
-- ingest_run.latest_event_day: the latest local calendar date (YYYYMMDD) of
--   any event (received, decided, forwarded, outcome) of the rows the run
--   stored, kept by ingest so that "as of" costs no scan of the cases; NULL
--   for runs made before this version (then the cases are scanned).
ALTER TABLE ingest_run ADD COLUMN latest_event_day INTEGER;

-- The aggregation scan (queries/agg_cases.sql) now also reads the local
-- calendar dates of the three later events, for durations in whole days
-- (the difference of the local dates) where an end has no time of day.
DROP INDEX case_agg;
CREATE INDEX case_agg ON case_record(received_day, country, category_id, decision_id,
    outcome_id, received_ts, decided_ts, forwarded_ts, outcome_ts,
    received_prec, decided_prec, forwarded_prec, outcome_prec, first_run, last_run,
    decided_day, forwarded_day, outcome_day);

-- Aggregates computed before this version lack the day figures and the
-- as-of dates: drop them, so that the next command aggregates again.
DELETE FROM agg_quality_reason;
DELETE FROM agg_quality;
DELETE FROM agg_crossborder_pair;
DELETE FROM agg_crossborder;
DELETE FROM agg_metric;
DELETE FROM agg_run;
