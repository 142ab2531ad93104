-- export_class_create.sql - the released equivalence classes of a research
--          export, as a TEMP table (the warehouse itself is never written).
-- Purpose: reports/export.c fills it after counting the classes
--          (export_scan.sql) and joins it in export_rows.sql: a month class
--          maps to the bucket it is released under (its month, or its
--          quarter when it was generalised); suppressed classes are absent.
-- Parameters: none.  Dropped again by export_class_drop.sql.
CREATE TEMP TABLE IF NOT EXISTS export_class (
    country     TEXT NOT NULL,
    month       INTEGER NOT NULL,   -- YYYYMM of received_day
    category_id INTEGER NOT NULL,
    decision_id INTEGER NOT NULL,
    outcome_id  INTEGER NOT NULL,   -- 0: none
    channel_id  INTEGER NOT NULL,   -- 0: none
    bucket      TEXT NOT NULL,      -- '2026-08' or '2026Q3'
    quarter     INTEGER NOT NULL,   -- 1 when released at quarter grain
    start_day   INTEGER NOT NULL,   -- first day of the bucket, YYYYMMDD
    end_day     INTEGER NOT NULL,   -- last day of the bucket
    PRIMARY KEY (country, month, category_id, decision_id, outcome_id, channel_id)
) WITHOUT ROWID;
DELETE FROM temp.export_class;
