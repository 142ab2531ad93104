-- export_class_create.sql - the released source classes of a research
--          export, as a TEMP table (the warehouse itself is never written).
-- Purpose: reports/export.c fills it after counting the classes
--          (export_scan.sql) and deciding the release, and joins it in
--          export_rows.sql: a source class (country, month, category,
--          outcome: the quasi-identifiers at their finest) maps to the
--          rank of the class it is released in, in the export's row order
--          (country, bucket, category as released, outcome as released;
--          the source classes released as one class share a rank).  What
--          the release makes of a class (its bucket, whether its category
--          and outcome are suppressed) stays in C, looked up by the rank,
--          so that SQLite's sorter carries one small integer per row, not
--          the class's text; classes left out are absent.
-- Parameters: none.  Dropped again by export_class_drop.sql.
CREATE TEMP TABLE IF NOT EXISTS export_class (
    country     TEXT NOT NULL,
    month       INTEGER NOT NULL,   -- YYYYMM of received_day
    category_id INTEGER NOT NULL,
    outcome_id  INTEGER NOT NULL,   -- 0: none
    rank        INTEGER NOT NULL,   -- 0, 1, ...: the released class's place in the order
    PRIMARY KEY (country, month, category_id, outcome_id)
) WITHOUT ROWID;
DELETE FROM temp.export_class;
