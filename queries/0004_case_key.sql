-- 0004_case_key.sql - warehouse schema, version 4: content keys in a table
--          of their own, filled in key order.
-- Purpose: issue 21.  The cross-border items (agg_xb_keys.sql,
--          agg_xb_cases.sql) look cases up by content key.  Until version
--          3 that was the index case_content_key on case_record, which
--          SQLite keeps up to date row by row: a file appended to a
--          warehouse it does not outgrow inserted its content keys into
--          that index in random order, each insert a walk to a leaf page
--          no longer in the page cache, so the cost per row grew with the
--          warehouse (a 300 000-row file: 1.4x its time into an empty
--          warehouse when appended as the fifth file, 1.6x onto a million
--          cases).  case_key holds the same entries, (content_key,
--          country, case_id) for every case with a content key; ingest
--          collects a file's keys, sorts them and inserts them in key
--          order in the file's own transaction (pipeline/ingest.c), so an
--          append touches each leaf page of case_key once per batch of
--          keys, not once per row.  vsp_store_check compares case_key with
--          case_record (store_check_case_agg.sql).
-- Parameters: none.  Applied once by the migration runner (pipeline/store.c)
--          inside a transaction, which then sets PRAGMA user_version = 4.
-- Runnable as it stands:  sqlite3 wh.db < queries/0004_case_key.sql
CREATE TABLE case_key (
    content_key TEXT NOT NULL,             -- case_record.content_key
    country     TEXT NOT NULL,
    case_id     TEXT NOT NULL,             -- with country: the case_record
    PRIMARY KEY (content_key, country, case_id)
) WITHOUT ROWID;

INSERT INTO case_key (content_key, country, case_id)
SELECT content_key, country, case_id FROM case_record
 WHERE content_key IS NOT NULL
 ORDER BY content_key, country, case_id;

DROP INDEX case_content_key;
