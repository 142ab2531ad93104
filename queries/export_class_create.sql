-- export_class_create.sql - the released source classes of a research
--          export, as a TEMP table (the warehouse itself is never written).
-- Purpose: reports/export.c fills it after counting the classes
--          (export_scan.sql) and deciding the release, and joins it in
--          export_rows.sql: a source class (country, month, category,
--          outcome: the quasi-identifiers at their finest) maps to the
--          bucket it is released under (its month, or its quarter), and to
--          whether its category and its outcome are suppressed; classes
--          left out are absent.
-- Parameters: none.  Dropped again by export_class_drop.sql.
CREATE TEMP TABLE IF NOT EXISTS export_class (
    country     TEXT NOT NULL,
    month       INTEGER NOT NULL,   -- YYYYMM of received_day
    category_id INTEGER NOT NULL,
    outcome_id  INTEGER NOT NULL,   -- 0: none
    bucket      TEXT NOT NULL,      -- '2026-08' or '2026Q3'
    quarter     INTEGER NOT NULL,   -- 1 when released at quarter grain
    start_day   INTEGER NOT NULL,   -- first day of the bucket, YYYYMMDD
    end_day     INTEGER NOT NULL,   -- last day of the bucket
    cat_sup     INTEGER NOT NULL,   -- 1: category released as '*'
    out_sup     INTEGER NOT NULL,   -- 1: outcome (and decision, durations) as '*'
    PRIMARY KEY (country, month, category_id, outcome_id)
) WITHOUT ROWID;
DELETE FROM temp.export_class;
