-- ingest_select_case.sql — what the warehouse holds of a case, to tell a
-- new case from an update, an unchanged repeat or a duplicate in the file.
-- Parameters: ?1 country, ?2 case_id
-- Output: row_hash, seen_run, content_key (0 or 1 row)
SELECT row_hash, seen_run, content_key FROM case_record WHERE country = ?1 AND case_id = ?2;
