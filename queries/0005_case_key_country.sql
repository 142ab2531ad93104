-- 0005_case_key_country.sql - warehouse schema, version 5: content keys
--          kept country by country.
-- Purpose: issue 21.  Version 4 put the content keys in case_key in key
--          order, and ingest inserts a file's keys sorted; but the keys of
--          new reports are spread over the whole key range, so one file's
--          keys still touched nearly every leaf page of case_key, and a
--          small file appended to a large warehouse wrote (and journalled)
--          most of the table: the cost per row grew with the warehouse.
--          A file is one regulator's export: with the country first in the
--          key, a file's keys go into its own country's part of the table,
--          which a new regulator's file only appends to and a later file
--          of the same regulator shares with that regulator's history
--          alone.  The cross-border items read the six parts merged in key
--          order (agg_xb_keys.sql) and look a key up in each
--          (agg_xb_cases.sql); vsp_store_check compares case_key with
--          case_record as before (store_check_case_agg.sql).
-- Parameters: none.  Applied once by the migration runner (pipeline/store.c)
--          inside a transaction, which then sets PRAGMA user_version = 5.
-- Runnable as it stands:  sqlite3 wh.db < queries/0005_case_key_country.sql
ALTER TABLE case_key RENAME TO case_key_by_key;

CREATE TABLE case_key (
    country     TEXT NOT NULL,             -- with case_id: the case_record
    content_key TEXT NOT NULL,             -- case_record.content_key
    case_id     TEXT NOT NULL,
    PRIMARY KEY (country, content_key, case_id)
) WITHOUT ROWID;

INSERT INTO case_key (country, content_key, case_id)
SELECT country, content_key, case_id FROM case_key_by_key
 ORDER BY country, content_key, case_id;

DROP TABLE case_key_by_key;
