-- 0002_aggregates.sql - warehouse schema, version 2: the aggregates.
-- Purpose: the population table (per-capita figures) and the tables that
--          `vspreport aggregate` fills and every renderer reads
--          (pipeline/metrics.h).  Renderers never recompute a figure.
-- Parameters: none.  Applied once by the migration runner (pipeline/store.c)
--          inside a transaction, which then sets PRAGMA user_version = 2.
-- Runnable as it stands:  sqlite3 wh.db < queries/0002_aggregates.sql
--
-- Conventions of every agg_* table:
--   period    the period label: '2026Q3', '2026H2', '2026' or
--             '2026-07-01..2026-09-30' (pipeline/period.h)
--   country   'AL' 'BA' 'ME' 'MK' 'RS' 'XK', or 'region' = the six pooled
--   category  a category code (table category), or '*' = all categories
-- A case belongs to the period that holds its received_day (the local date
-- in the regulator's time zone).  `aggregate --period P` replaces the rows
-- of P and of the seven periods of the same kind before it (the trend) in
-- one transaction; a date range is computed alone.

-- Population, kept as data with its year and source; per-100 000 figures
-- divide by it.  `vspreport aggregate --population FILE.csv` replaces rows
-- (CSV columns: country,population,year,source).
CREATE TABLE population (
    country     TEXT PRIMARY KEY REFERENCES country(code),
    population  INTEGER NOT NULL CHECK (population > 0),
    year        INTEGER NOT NULL,
    source      TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO population(country, population, year, source) VALUES
    ('AL', 2402113, 2023, 'INSTAT (Institute of Statistics of Albania), Population and Housing Census 2023'),
    ('BA', 3531159, 2013, 'Agency for Statistics of Bosnia and Herzegovina, Census of Population, Households and Dwellings 2013'),
    ('ME', 623633, 2023, 'MONSTAT (Statistical Office of Montenegro), Census of Population, Households and Dwellings 2023'),
    ('MK', 1836713, 2021, 'State Statistical Office of North Macedonia, Census of Population, Households and Dwellings 2021'),
    ('RS', 6647003, 2022, 'Statistical Office of the Republic of Serbia, 2022 Census of Population, Households and Dwellings'),
    ('XK', 1586659, 2024, 'Kosovo Agency of Statistics (ASK), Population and Housing Census 2024');

-- The aggregation scan (queries/agg_cases.sql) reads only this index: it
-- holds every column the counts and durations need (the four times with
-- their precisions), ordered by period, so a period is one contiguous
-- range a seventh of the table's size, and the scan splits into day ranges
-- across threads.  It costs ingest one more index to maintain; it makes
-- case_period (its prefix) redundant.
CREATE INDEX case_agg ON case_record(received_day, country, category_id, decision_id,
    outcome_id, received_ts, decided_ts, forwarded_ts, outcome_ts,
    received_prec, decided_prec, forwarded_prec, outcome_prec, first_run, last_run);

-- One row per aggregated period.
CREATE TABLE agg_run (
    period      TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('quarter', 'half', 'year', 'range')),
    start_day   INTEGER NOT NULL,          -- YYYYMMDD, inclusive, local date
    end_day     INTEGER NOT NULL,          -- YYYYMMDD, inclusive, local date
    data_freeze TEXT,                      -- ISO 8601 UTC: max(ingest_run.finished_at)
                                           -- when aggregated; NULL for an empty warehouse
    computed_at TEXT NOT NULL,             -- ISO 8601 UTC (SOURCE_DATE_EPOCH honoured)
    cases       INTEGER NOT NULL DEFAULT 0,-- cases received in the period
    last_run    INTEGER                    -- max(ingest_run.id) when aggregated: with
                                           -- data_freeze, tells whether it is stale
) WITHOUT ROWID;

-- Every figure: one row per (period, country, category, metric).
-- value is NULL when undefined: a rate with a zero denominator, a median
-- or P90 with n = 0, a per-100 000 figure without a population.
-- Metric names (every country, 'region', '*' and each of the 14 categories):
--   received, assessed (decision <> pending), forwarded (= violations),
--   actioned (forwarded with outcome removed, geo_blocked, age_restricted,
--   account_suspended or account_banned), outcome_pending (forwarded with
--   outcome pending or not given), decision_<code> (6), outcome_<code> (8;
--   outcome_pending is the one above),
--   violation_rate = forwarded / assessed,
--   action_rate = actioned / (forwarded - outcome_pending)   [fractions 0..1]
--   population (category '*' only; region = sum of the six),
--   received_per100k, forwarded_per100k, actioned_per100k,
--   h_<d>_median, h_<d>_p90 (hours), h_<d>_n for each duration d:
--     received_decided    decided_ts - received_ts
--     decided_forwarded   forwarded_ts - decided_ts
--     to_action           outcome_ts - forwarded_ts, actioned items
--     to_response         outcome_ts - forwarded_ts, every final outcome
--     received_outcome    outcome_ts - received_ts, every final outcome
--     counted only where both ends exist with a time of day (both
--     <field>_prec = 2) and end >= start: a date-only end is not a time
--     (its midnight would make a same-day duration 0 h), so a regulator
--     that exports dates only (ME) has n = 0 and NULL medians, and the
--     region pools only the cases with times; quantiles interpolate
--     linearly between closest ranks (position (n-1)*q, 0-based: pandas'
--     default, Excel PERCENTILE.INC), exactly on integer seconds (so a
--     median or P90 is a multiple of 0.1 s: value = that / 3600, the
--     nearest double),
--   share_24h, share_48h, share_7d: fraction of h_to_action_n with a time to
--     action <= 24, 48, 168 hours (NULL when h_to_action_n = 0),
--   cross_border_items: cross-border items (agg_crossborder) of that category
--     ('*': all) that the country reported (region: all of them).
CREATE TABLE agg_metric (
    period      TEXT NOT NULL,             -- agg_run.period
    country     TEXT NOT NULL,
    category    TEXT NOT NULL,
    metric      TEXT NOT NULL,
    value       REAL,
    PRIMARY KEY (period, country, category, metric)
) WITHOUT ROWID;

-- Cross-border items: content keys received in the period in two or more
-- countries.  Never the URL or the content key itself (a key can hold an
-- account handle).  category = the category of the item's first received
-- case (ties: country code, then category id).  item = 1..n ordered by
-- n_countries descending, then first received.
CREATE TABLE agg_crossborder (
    period      TEXT NOT NULL,             -- agg_run.period
    item        INTEGER NOT NULL,
    category    TEXT NOT NULL,
    countries   TEXT NOT NULL,             -- 'AL,RS': sorted, comma-separated
    n_countries INTEGER NOT NULL,
    first_day   INTEGER NOT NULL,          -- YYYYMMDD of the first received case
    PRIMARY KEY (period, item)
) WITHOUT ROWID;

-- Cross-border items per pair of countries (country_a < country_b): how
-- many items both reported, per item category and '*' for all categories.
CREATE TABLE agg_crossborder_pair (
    period      TEXT NOT NULL,             -- agg_run.period
    country_a   TEXT NOT NULL,
    country_b   TEXT NOT NULL,
    category    TEXT NOT NULL,
    items       INTEGER NOT NULL,
    PRIMARY KEY (period, country_a, country_b, category)
) WITHOUT ROWID;

-- Data quality: the ingest runs (one per file) that first brought or last
-- changed a case received in the period, with their row accounting
-- (rows_read = rows_new + rows_updated + rows_unchanged + rows_duplicate
-- + rows_rejected, blank lines apart) as it stood at the data freeze.
CREATE TABLE agg_quality (
    period      TEXT NOT NULL,             -- agg_run.period
    run_id      INTEGER NOT NULL,
    country     TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    profile     TEXT NOT NULL,
    finished_at TEXT,
    rows_read   INTEGER NOT NULL,
    blank_lines INTEGER NOT NULL,
    rows_new    INTEGER NOT NULL,
    rows_updated INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    rows_duplicate INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    cases       INTEGER NOT NULL,          -- cases of the period it brought or last changed
    PRIMARY KEY (period, run_id)
) WITHOUT ROWID;

-- Rejected rows of those runs by reason code (pipeline/ingest.h).
CREATE TABLE agg_quality_reason (
    period      TEXT NOT NULL,             -- agg_run.period
    run_id      INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    PRIMARY KEY (period, run_id, reason)
) WITHOUT ROWID;
