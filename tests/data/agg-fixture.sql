-- agg-fixture.sql - a small hand-made warehouse for tests/unit/test_aggregate.c.
-- Apply after queries/0001_schema.sql and 0002_aggregates.sql.  Every
-- expected figure is worked out by hand in the comments of the test.
--
-- Times are UTC; received_day is the local date in Europe/Tirane,
-- Europe/Belgrade, Europe/Podgorica (UTC+2 in summer, UTC+1 in winter), as
-- ingest computes it.  Durations are given in hours after the previous step:
-- decided = received + dec_h, forwarded = decided + fwd_h, outcome =
-- forwarded + out_h.

INSERT INTO ingest_run(id, file_path, file_name, file_size, sha256, profile, country,
                       started_at, finished_at, rows_read, rows_new, rows_updated, rows_rejected)
VALUES (1, 'al-2026Q3.csv', 'al-2026Q3.csv', 1000, 'aa01', 'al-ama.ini', 'AL',
        '2026-10-01T08:00:00Z', '2026-10-01T08:00:01Z', 15, 13, 0, 2),
       (2, 'al-2026Q3-update.csv', 'al-2026Q3-update.csv', 100, 'aa02', 'al-ama.ini', 'AL',
        '2026-10-02T08:59:59Z', '2026-10-02T09:00:00Z', 1, 0, 1, 0),
       (3, 'rs.csv', 'rs.csv', 500, 'rs01', 'rs-rem.ini', 'RS',
        '2026-10-01T09:00:00Z', '2026-10-01T09:00:01Z', 5, 5, 0, 0),
       (4, 'me.csv', 'me.csv', 300, 'me01', 'me-aem.ini', 'ME',
        '2026-10-01T10:00:00Z', '2026-10-01T10:00:01Z', 2, 2, 0, 0),
       (5, 'ba.csv', 'ba.csv', 200, 'ba01', 'ba-cra.ini', 'BA',
        '2026-10-01T11:00:00Z', '2026-10-01T11:00:01Z', 1, 1, 0, 0);

INSERT INTO reject(run_id, line, reason, field, message, raw) VALUES
    (1, 7, 'bad_date', 'received_at', 'al-2026Q3.csv:7: bad date', 'x'),
    (1, 9, 'unknown_label', 'category', 'al-2026Q3.csv:9: unknown label', 'y');

CREATE TEMP TABLE fx(country, case_id, category, content_key, received, received_day,
                     decision, dec_h, fwd_h, outcome, out_h, first_run, last_run);
INSERT INTO fx VALUES
-- AL, 2026Q3
  ('AL', 'A1',  'hate',     'tiktok:video:111', '2026-08-03 08:00:00', 20260803, 'forwarded', 10, 2, 'removed', 20, 1, 2),
  ('AL', 'A2',  'hate',     'tiktok:video:444', '2026-08-04 08:00:00', 20260804, 'forwarded', 30, 0, 'geo_blocked', 40, 1, 1),
  ('AL', 'A3',  'hate',     'tiktok:video:444', '2026-08-05 08:00:00', 20260805, 'forwarded', 6, 4, 'declined', 100, 1, 1),
  ('AL', 'A4',  'hate',     NULL,               '2026-08-06 08:00:00', 20260806, 'forwarded', 2, 1, 'pending', NULL, 1, 1),
  ('AL', 'A5',  'hate',     NULL,               '2026-08-07 08:00:00', 20260807, 'forwarded', 5, 1, NULL, NULL, 1, 1),
  ('AL', 'A6',  'minors',   NULL,               '2026-08-08 08:00:00', 20260808, 'no_violation', 12, NULL, NULL, NULL, 1, 1),
  ('AL', 'A7',  'minors',   NULL,               '2026-08-09 08:00:00', 20260809, 'pending', NULL, NULL, NULL, NULL, 1, 1),
  ('AL', 'A8',  'piracy',   NULL,               '2026-08-10 08:00:00', 20260810, 'forwarded', 8, 2, 'removed', 200, 1, 1),
  ('AL', 'A9',  'piracy',   'tiktok:video:333', '2026-08-11 08:00:00', 20260811, 'forwarded', 4, 4, 'removed', 30, 1, 1),
  ('AL', 'A10', 'piracy',   NULL,               '2026-08-12 08:00:00', 20260812, 'forwarded', 1, 1, 'age_restricted', 50, 1, 1),
  ('AL', 'A11', 'piracy',   NULL,               '2026-08-13 08:00:00', 20260813, 'out_of_remit', -1, NULL, NULL, NULL, 1, 1),
-- summer midnight: 22:30Z on 30 June is 00:30 on 1 July in Tirana -> 2026Q3
  ('AL', 'A12', 'fraud',    NULL,               '2026-06-30 22:30:00', 20260701, 'duplicate', 3, NULL, NULL, NULL, 1, 1),
-- ... and 21:30Z is 23:30 on 30 June -> 2026Q2
  ('AL', 'A13', 'fraud',    NULL,               '2026-06-30 21:30:00', 20260630, 'no_violation', 1, NULL, NULL, NULL, 1, 1),
-- RS
  ('RS', 'R1',  'hate',     'tiktok:video:111', '2026-08-03 10:00:00', 20260803, 'forwarded', 4, 4, 'removed', 10, 3, 3),
  ('RS', 'R2',  'violence', 'tiktok:video:222', '2026-09-30 21:30:00', 20260930, 'no_violation', 1, NULL, NULL, NULL, 3, 3),
  ('RS', 'R3',  'violence', NULL,               '2026-09-30 22:30:00', 20261001, 'pending', NULL, NULL, NULL, NULL, 3, 3),
-- winter midnight: 23:30Z on 31 Dec is 00:30 on 1 Jan in Belgrade -> 2026Q1
  ('RS', 'R4',  'other',    NULL,               '2025-12-31 23:30:00', 20260101, 'pending', NULL, NULL, NULL, NULL, 3, 3),
-- ... and 22:30Z is 23:30 on 31 Dec -> 2025Q4
  ('RS', 'R5',  'other',    NULL,               '2025-12-31 22:30:00', 20251231, 'pending', NULL, NULL, NULL, NULL, 3, 3),
-- ME
  ('ME', 'M1',  'hate',     'tiktok:video:111', '2026-08-20 09:00:00', 20260820, 'forwarded', 3, 0, 'removed', 5, 4, 4),
  ('ME', 'M2',  'disinfo',  'tiktok:video:222', '2026-07-15 09:00:00', 20260715, 'forwarded', 1, 1, 'pending', NULL, 4, 4),
-- BA, 2026Q2: same key as A9, another period
  ('BA', 'B1',  'piracy',   'tiktok:video:333', '2026-05-10 08:00:00', 20260510, 'pending', NULL, NULL, NULL, NULL, 5, 5);

INSERT INTO case_record(country, case_id, platform, item_kind, content_url, content_key,
    category_id, received_ts, received_day, received_prec,
    decided_ts, decided_prec, forwarded_ts, forwarded_prec, outcome_ts, outcome_prec,
    decision_id, outcome_id, first_run, first_line, last_run, last_line, seen_run, row_hash)
SELECT f.country, f.case_id, 'tiktok', 'content', NULL, f.content_key,
    cat.id, unixepoch(f.received), f.received_day, 2,
    unixepoch(f.received) + f.dec_h * 3600, CASE WHEN f.dec_h IS NOT NULL THEN 2 END,
    unixepoch(f.received) + (f.dec_h + f.fwd_h) * 3600, CASE WHEN f.fwd_h IS NOT NULL THEN 2 END,
    unixepoch(f.received) + (f.dec_h + f.fwd_h + f.out_h) * 3600, CASE WHEN f.out_h IS NOT NULL THEN 2 END,
    d.id, o.id, f.first_run, 2, f.last_run, 2, f.last_run, 0
FROM fx f
JOIN category cat ON cat.code = f.category
JOIN decision d ON d.code = f.decision
LEFT JOIN outcome o ON o.code = f.outcome;
-- the content keys in their own table, as ingest keeps them (0004_case_key.sql)
INSERT INTO case_key(content_key, country, case_id)
SELECT content_key, country, case_id FROM case_record WHERE content_key IS NOT NULL;

DROP TABLE fx;
