-- charts-fixture.sql — aggregated metrics for chart tests, standing in for
-- `vspreport aggregate` output: the agg_* tables of the aggregation
-- contract, filled with synthetic but consistent figures for eight
-- quarters (2024Q4 .. 2026Q3), six countries and the region.
-- Runnable as it stands on a warehouse at schema version 2 or later (the
-- tests build one from queries/NNNN_*.sql):
--     sqlite3 w.db < tests/data/charts-fixture.sql
-- Figures: received = base(country) * weight(category) * growth(quarter);
-- every other count is derived from it, and the region is the sum of the
-- countries, so charts and stats must agree with each other.

UPDATE country SET short_name = CASE code WHEN 'AL' THEN 'AMA' WHEN 'BA' THEN 'CRA'
    WHEN 'ME' THEN 'AEM' WHEN 'MK' THEN 'AVMU' WHEN 'RS' THEN 'REM' WHEN 'XK' THEN 'KPM' END
    WHERE short_name IS NULL;

CREATE TEMP TABLE q(pi INTEGER, period TEXT, start_day INTEGER, end_day INTEGER);
INSERT INTO q VALUES (0, '2024Q4', 20241001, 20241231), (1, '2025Q1', 20250101, 20250331),
    (2, '2025Q2', 20250401, 20250630), (3, '2025Q3', 20250701, 20250930),
    (4, '2025Q4', 20251001, 20251231), (5, '2026Q1', 20260101, 20260331),
    (6, '2026Q2', 20260401, 20260630), (7, '2026Q3', 20260701, 20260930);
CREATE TEMP TABLE cb(country TEXT, base REAL, k INTEGER);
INSERT INTO cb VALUES ('AL', 900, 1), ('BA', 300, 2), ('ME', 120, 3), ('MK', 250, 4),
    ('RS', 600, 5), ('XK', 200, 6);
CREATE TEMP TABLE cw(category TEXT, weight REAL, id INTEGER);
INSERT INTO cw VALUES ('piracy', 30, 1), ('minors', 14, 2), ('csam', 2, 3), ('hate', 12, 4),
    ('violence', 8, 5), ('terrorism', 1, 6), ('sexual', 9, 7), ('bullying', 7, 8),
    ('self_harm', 2, 9), ('fraud', 6, 10), ('disinfo', 5, 11), ('privacy', 2, 12),
    ('commercial', 1, 13), ('other', 1, 14);

DELETE FROM agg_run WHERE period IN (SELECT period FROM q);
DELETE FROM agg_metric WHERE period IN (SELECT period FROM q);
DELETE FROM agg_crossborder WHERE period IN (SELECT period FROM q);
DELETE FROM agg_crossborder_pair WHERE period IN (SELECT period FROM q);

-- One ingest run stands for the case logs, so the aggregates are fresh
-- (data_freeze and last_run match the warehouse) and nothing re-aggregates.
INSERT OR IGNORE INTO ingest_run(id, file_path, file_name, file_size, sha256, profile, country,
                                 started_at, finished_at)
VALUES (1, 'fixture', 'fixture.csv', 0,
        '0000000000000000000000000000000000000000000000000000000000000000', 'fixture', 'AL',
        '2026-10-15T00:00:00Z', '2026-10-15T00:00:00Z');
INSERT INTO agg_run(period, kind, start_day, end_day, data_freeze, computed_at, last_run)
SELECT period, 'quarter', start_day, end_day, '2026-10-15T00:00:00Z', '2026-10-15T06:00:00Z', 1
FROM q;

-- Counts per country x category.
CREATE TEMP TABLE base AS
SELECT q.period, q.pi, cb.country, cw.category, cw.id, cb.k,
       CAST(round(cb.base * cw.weight / 100.0 * (0.6 + 0.06 * q.pi) + ((cb.k * 7 + cw.id * 3 + q.pi) % 5)) AS INTEGER) AS received
FROM q, cb, cw;
CREATE TEMP TABLE counts AS
SELECT period, pi, country, category, received,
       received - CAST(round(received * 0.05) AS INTEGER) AS assessed,
       CAST(round((received - round(received * 0.05)) * (0.35 + 0.03 * ((id + k) % 7))) AS INTEGER) AS forwarded
FROM base;
CREATE TEMP TABLE outc AS
SELECT period, pi, country, category, received, assessed, forwarded,
       CAST(round(forwarded * (CASE category WHEN 'piracy' THEN 0.30 ELSE 0.45 END)) AS INTEGER) AS removed,
       CAST(round(forwarded * (CASE category WHEN 'piracy' THEN 0.30 ELSE 0.08 END)) AS INTEGER) AS geo_blocked,
       CAST(round(forwarded * (CASE category WHEN 'minors' THEN 0.15 ELSE 0.03 END)) AS INTEGER) AS age_restricted,
       CAST(round(forwarded * 0.04) AS INTEGER) AS account_suspended,
       CAST(round(forwarded * 0.02) AS INTEGER) AS account_banned,
       CAST(round(forwarded * 0.06) AS INTEGER) AS already_unavailable,
       CAST(round(forwarded * 0.07) AS INTEGER) AS pending
FROM counts;

CREATE TEMP TABLE m(period TEXT, country TEXT, category TEXT, metric TEXT, value REAL);
INSERT INTO m
SELECT period, country, category, 'received', received FROM outc UNION ALL
SELECT period, country, category, 'assessed', assessed FROM outc UNION ALL
SELECT period, country, category, 'forwarded', forwarded FROM outc UNION ALL
SELECT period, country, category, 'decision_forwarded', forwarded FROM outc UNION ALL
SELECT period, country, category, 'decision_pending', received - assessed FROM outc UNION ALL
SELECT period, country, category, 'decision_no_violation', (assessed - forwarded) * 6 / 10 FROM outc UNION ALL
SELECT period, country, category, 'decision_out_of_remit', (assessed - forwarded) * 2 / 10 FROM outc UNION ALL
SELECT period, country, category, 'decision_insufficient_info', (assessed - forwarded) - (assessed - forwarded) * 6 / 10 - (assessed - forwarded) * 2 / 10 - (assessed - forwarded) / 20 FROM outc UNION ALL
SELECT period, country, category, 'decision_duplicate', (assessed - forwarded) / 20 FROM outc UNION ALL
SELECT period, country, category, 'outcome_removed', removed FROM outc UNION ALL
SELECT period, country, category, 'outcome_geo_blocked', geo_blocked FROM outc UNION ALL
SELECT period, country, category, 'outcome_age_restricted', age_restricted FROM outc UNION ALL
SELECT period, country, category, 'outcome_account_suspended', account_suspended FROM outc UNION ALL
SELECT period, country, category, 'outcome_account_banned', account_banned FROM outc UNION ALL
SELECT period, country, category, 'outcome_already_unavailable', already_unavailable FROM outc UNION ALL
SELECT period, country, category, 'outcome_pending', pending FROM outc UNION ALL
SELECT period, country, category, 'outcome_declined', forwarded - removed - geo_blocked - age_restricted - account_suspended - account_banned - already_unavailable - pending FROM outc UNION ALL
SELECT period, country, category, 'actioned', removed + geo_blocked + age_restricted + account_suspended + account_banned FROM outc;

-- All categories, then the region.
INSERT INTO m SELECT period, country, '*', metric, sum(value) FROM m GROUP BY period, country, metric;
INSERT INTO m SELECT period, 'region', category, metric, sum(value) FROM m GROUP BY period, category, metric;

-- Rates (fractions) for every row.
INSERT INTO m
SELECT r.period, r.country, r.category, 'violation_rate',
       CASE WHEN a.value > 0 THEN f.value / a.value END
FROM m r JOIN m a ON a.period = r.period AND a.country = r.country AND a.category = r.category AND a.metric = 'assessed'
         JOIN m f ON f.period = r.period AND f.country = r.country AND f.category = r.category AND f.metric = 'forwarded'
WHERE r.metric = 'received';
INSERT INTO m
SELECT f.period, f.country, f.category, 'action_rate',
       CASE WHEN f.value - p.value > 0 THEN ac.value / (f.value - p.value) END
FROM m f JOIN m p ON p.period = f.period AND p.country = f.country AND p.category = f.category AND p.metric = 'outcome_pending'
         JOIN m ac ON ac.period = f.period AND ac.country = f.country AND ac.category = f.category AND ac.metric = 'actioned'
WHERE f.metric = 'forwarded';

-- Population and rates per 100 000 (all categories only).
INSERT INTO m SELECT q.period, p.country, '*', 'population', p.population
FROM q, population p WHERE p.country IN (SELECT country FROM cb);
INSERT INTO m SELECT q.period, 'region', '*', 'population',
    (SELECT sum(population) FROM population WHERE country IN (SELECT country FROM cb)) FROM q;
INSERT INTO m
SELECT c.period, c.country, '*', c.metric || '_per100k', c.value * 100000.0 / p.value
FROM m c JOIN m p ON p.period = c.period AND p.country = c.country AND p.category = '*' AND p.metric = 'population'
WHERE c.category = '*' AND c.metric IN ('received', 'forwarded', 'actioned');

-- Durations (hours) and shares, all categories only.
INSERT INTO m
SELECT period, country, '*', 'h_' || d.name || '_' || s.stat,
       CASE s.stat
         WHEN 'median' THEN round(d.median * (1 + 0.04 * ((length(country) + unicode(country)) % 5)) * (1.15 - 0.02 * pi), 1)
         WHEN 'p90' THEN round(d.p90 * (1 + 0.05 * ((unicode(country)) % 4)) * (1.15 - 0.02 * pi), 1)
         ELSE CAST(received * d.nshare AS INTEGER) END
FROM (SELECT period, country, received, (SELECT pi FROM q WHERE q.period = x.period) AS pi
      FROM (SELECT period, country, value AS received FROM m WHERE category = '*' AND metric = 'received') x),
     (SELECT 'received_decided' AS name, 30.0 AS median, 120.0 AS p90, 0.95 AS nshare UNION ALL
      SELECT 'decided_forwarded', 3.5, 20.0, 0.42 UNION ALL
      SELECT 'to_action', 22.0, 140.0, 0.30 UNION ALL
      SELECT 'to_response', 26.0, 160.0, 0.38 UNION ALL
      SELECT 'received_outcome', 70.0, 300.0, 0.38) d,
     (SELECT 'median' AS stat UNION ALL SELECT 'p90' UNION ALL SELECT 'n') s;
INSERT INTO m
SELECT period, country, '*', w.name, round(w.base + 0.01 * ((unicode(country) + length(period)) % 7), 3)
FROM (SELECT DISTINCT period, country FROM m),
     (SELECT 'share_24h' AS name, 0.48 AS base UNION ALL SELECT 'share_48h', 0.66 UNION ALL
      SELECT 'share_7d', 0.87) w;

-- Cross-border items: every fifth piracy item of AL seen elsewhere, etc.
CREATE TEMP TABLE items(period TEXT, item INTEGER, category TEXT, countries TEXT, n_countries INTEGER,
    first_day INTEGER);
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 60)
INSERT INTO items
SELECT q.period, seq.i,
       (SELECT category FROM cw WHERE id = 1 + (seq.i * 7 + q.pi) % 14 / 3),
       CASE seq.i % 6 WHEN 0 THEN 'AL,XK' WHEN 1 THEN 'AL,MK' WHEN 2 THEN 'BA,RS'
                      WHEN 3 THEN 'ME,RS' WHEN 4 THEN 'AL,MK,XK' ELSE 'BA,ME,RS' END,
       CASE seq.i % 6 WHEN 4 THEN 3 WHEN 5 THEN 3 ELSE 2 END,
       q.start_day + seq.i % 28
FROM q, seq WHERE seq.i <= 20 + 5 * q.pi;
INSERT INTO agg_crossborder SELECT * FROM items;
INSERT INTO agg_crossborder_pair
SELECT i.period, a.country, b.country, i.category, count(*)
FROM items i JOIN cb a ON instr(i.countries, a.country) > 0
             JOIN cb b ON instr(i.countries, b.country) > 0 AND a.country < b.country
GROUP BY i.period, a.country, b.country, i.category;
INSERT INTO agg_crossborder_pair
SELECT period, country_a, country_b, '*', sum(items) FROM agg_crossborder_pair
WHERE period IN (SELECT period FROM q) GROUP BY period, country_a, country_b;
INSERT INTO m SELECT period, '*' , '*', 'cross_border_items', count(*) FROM items GROUP BY period;
UPDATE m SET country = 'region' WHERE country = '*';
INSERT INTO m
SELECT i.period, c.country, '*', 'cross_border_items', count(*)
FROM items i JOIN cb c ON instr(i.countries, c.country) > 0 GROUP BY i.period, c.country;

INSERT INTO agg_metric SELECT period, country, category, metric, value FROM m;
DROP TABLE q; DROP TABLE cb; DROP TABLE cw; DROP TABLE base; DROP TABLE counts;
DROP TABLE outc; DROP TABLE m; DROP TABLE items;
