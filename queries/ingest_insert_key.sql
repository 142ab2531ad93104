-- ingest_insert_key.sql — a case's content key into case_key (0004, 0005).
-- ingest.c collects a file's keys and inserts them sorted by (content_key,
-- case_id), so that successive inserts land on the same leaf pages.
-- Parameters: ?1 content_key, ?2 country, ?3 case_id
-- Output: none.
INSERT INTO case_key (content_key, country, case_id) VALUES (?1, ?2, ?3);
