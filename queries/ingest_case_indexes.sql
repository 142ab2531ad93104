-- ingest_case_indexes.sql — the secondary indexes of case_record that a
-- bulk ingest (a file larger than the table it goes into) drops and
-- creates again at the end, in the same transaction, with the SQL that
-- creates them: for an index whose keys arrive in random order, sorting
-- once is cheaper than a million random inserts.  Since schema version 4
-- there is none (content keys, the one such index before, are a table of
-- their own that ingest fills in key order: 0004_case_key.sql).
-- Not case_agg: its leading column is the received day, and exports list
-- cases in the order they came in, so keeping it up to date while rows
-- arrive is close to appending, while sorting its fifteen columns again
-- costs more than the rest of the index work together (1M rows: about
-- 2.5 s of a 12 s ingest, measured with bench/bench_ingest.sh).
-- Parameters: none.
-- Output: name, sql (one row per index; automatic indexes have no sql).
SELECT name, sql FROM sqlite_schema
 WHERE type = 'index' AND tbl_name = 'case_record' AND sql IS NOT NULL
   AND name <> 'case_agg'
 ORDER BY name;
