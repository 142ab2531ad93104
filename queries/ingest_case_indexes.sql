-- ingest_case_indexes.sql — the secondary indexes of case_record, with the
-- SQL that creates them.  A bulk ingest (a file larger than the table it
-- goes into) drops them and creates them again at the end, in the same
-- transaction: sorting once is cheaper than a million random inserts.
-- Parameters: none.
-- Output: name, sql (one row per index; automatic indexes have no sql).
SELECT name, sql FROM sqlite_schema
 WHERE type = 'index' AND tbl_name = 'case_record' AND sql IS NOT NULL
 ORDER BY name;
