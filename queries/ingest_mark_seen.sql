-- ingest_mark_seen.sql — an unchanged case met again: remember the file
-- that held it, so that a second copy in the same file counts as a
-- duplicate.  The case's content and provenance do not change.
-- Parameters: ?1 country, ?2 case_id, ?3 run id
-- Output: none.
UPDATE case_record SET seen_run = ?3 WHERE country = ?1 AND case_id = ?2;
