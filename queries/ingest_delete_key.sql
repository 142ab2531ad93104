-- ingest_delete_key.sql — a later export changed a case's content key:
-- its old key leaves case_key (the new one is inserted with the file's
-- other keys, see ingest_insert_key.sql).
-- Parameters: ?1 old content_key, ?2 country, ?3 case_id
-- Output: none.
DELETE FROM case_key WHERE content_key = ?1 AND country = ?2 AND case_id = ?3;
