-- time-fixture.sql - a small hand-made warehouse for tests/unit/test_time.c:
-- durations in whole days, "as of" dates, provisional periods and the
-- comparison at the same lag (DESIGN section 5).  Apply after
-- queries/0001_schema.sql, 0002_aggregates.sql and 0003_time.sql.  Every
-- expected figure is worked out by hand in the comments of the test.
--
-- AL (Europe/Tirane, UTC+2 in summer) exports dates and times: *_ts are
-- UTC instants, *_day the local calendar dates ingest would compute.
-- ME (Europe/Podgorica) exports dates only (*_prec 1; *_ts the local
-- midnight in UTC, as ingest stores a date), and its ingest stated the
-- export date: ingest --exported-at 2026-10-10.

INSERT INTO ingest_run(id, file_path, file_name, file_size, sha256, profile, country,
                       started_at, finished_at, rows_read, rows_new, exported_day)
VALUES (1, 'al.csv', 'al.csv', 1000, 'aa01', 'al-ama.ini', 'AL',
        '2026-10-04T08:00:00Z', '2026-10-04T08:00:01Z', 10, 10, NULL),
       (2, 'me.csv', 'me.csv', 300, 'me01', 'me-aem.ini', 'ME',
        '2026-10-11T10:00:00Z', '2026-10-11T10:00:01Z', 2, 2, 20261010);

CREATE TEMP TABLE tx(country, case_id, decision, outcome,
                     r_ts, r_day, d_ts, d_day, f_ts, f_day, o_ts, o_day, prec, run);
INSERT INTO tx VALUES
-- AL, 2026Q3
--   A1: forwarded 22:00 local on 3 Aug, removed 00:30 local on 4 Aug:
--       2.5 hours, but 1 day (the dates differ by one)
  ('AL', 'A1', 'forwarded', 'removed',
   '2026-08-03 06:00:00', 20260803, '2026-08-03 07:00:00', 20260803,
   '2026-08-03 20:00:00', 20260803, '2026-08-03 22:30:00', 20260804, 2, 1),
  ('AL', 'A2', 'forwarded', 'geo_blocked',
   '2026-08-10 08:00:00', 20260810, '2026-08-11 08:00:00', 20260811,
   '2026-08-11 10:00:00', 20260811, '2026-08-15 10:00:00', 20260815, 2, 1),
  ('AL', 'A3', 'forwarded', 'declined',
   '2026-09-01 08:00:00', 20260901, '2026-09-02 08:00:00', 20260902,
   '2026-09-02 08:00:00', 20260902, '2026-09-12 08:00:00', 20260912, 2, 1),
  ('AL', 'A4', 'forwarded', 'pending',
   '2026-09-20 08:00:00', 20260920, '2026-09-21 08:00:00', 20260921,
   '2026-09-21 09:00:00', 20260921, NULL, NULL, 2, 1),
  ('AL', 'A5', 'forwarded', 'removed',
   '2026-09-25 08:00:00', 20260925, '2026-09-25 09:00:00', 20260925,
   '2026-09-25 12:00:00', 20260925, '2026-10-03 12:00:00', 20261003, 2, 1),
-- AL, 2026Q2
  ('AL', 'P1', 'forwarded', 'removed',
   '2026-06-01 08:00:00', 20260601, '2026-06-02 08:00:00', 20260602,
   '2026-06-02 09:00:00', 20260602, '2026-06-05 09:00:00', 20260605, 2, 1),
  ('AL', 'P2', 'forwarded', 'removed',
   '2026-06-25 08:00:00', 20260625, '2026-06-26 08:00:00', 20260626,
   '2026-06-26 09:00:00', 20260626, '2026-07-02 09:00:00', 20260702, 2, 1),
  ('AL', 'P3', 'forwarded', 'removed',
   '2026-06-28 08:00:00', 20260628, '2026-06-29 08:00:00', 20260629,
   '2026-06-30 09:00:00', 20260630, '2026-07-10 09:00:00', 20260710, 2, 1),
  ('AL', 'P4', 'no_violation', NULL,
   '2026-06-29 08:00:00', 20260629, '2026-07-05 08:00:00', 20260705,
   NULL, NULL, NULL, NULL, 2, 1),
  ('AL', 'P5', 'pending', NULL,
   '2026-06-30 08:00:00', 20260630, NULL, NULL, NULL, NULL, NULL, NULL, 2, 1),
-- ME, 2026Q3, dates only
  ('ME', 'M1', 'forwarded', 'removed',
   '2026-09-04 22:00:00', 20260905, '2026-09-04 22:00:00', 20260905,
   '2026-09-05 22:00:00', 20260906, '2026-09-05 22:00:00', 20260906, 1, 2),
  ('ME', 'M2', 'forwarded', 'removed',
   '2026-09-09 22:00:00', 20260910, '2026-09-10 22:00:00', 20260911,
   '2026-09-10 22:00:00', 20260911, '2026-09-13 22:00:00', 20260914, 1, 2);

INSERT INTO case_record(country, case_id, platform, item_kind, category_id,
    received_ts, received_day, received_prec, decided_ts, decided_day, decided_prec,
    forwarded_ts, forwarded_day, forwarded_prec, outcome_ts, outcome_day, outcome_prec,
    decision_id, outcome_id, first_run, first_line, last_run, last_line, seen_run, row_hash)
SELECT t.country, t.case_id, 'tiktok', 'content', 4,
    unixepoch(t.r_ts), t.r_day, t.prec,
    unixepoch(t.d_ts), t.d_day, CASE WHEN t.d_day IS NOT NULL THEN t.prec END,
    unixepoch(t.f_ts), t.f_day, CASE WHEN t.f_day IS NOT NULL THEN t.prec END,
    unixepoch(t.o_ts), t.o_day, CASE WHEN t.o_day IS NOT NULL THEN t.prec END,
    d.id, o.id, t.run, 2, t.run, 2, t.run, 0
FROM tx t
JOIN decision d ON d.code = t.decision
LEFT JOIN outcome o ON o.code = t.outcome;

DROP TABLE tx;
