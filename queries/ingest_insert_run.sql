-- ingest_insert_run.sql — open the record of one ingest of one file.
-- Parameters: ?1 file_path, ?2 file_name, ?3 file_size, ?4 profile,
--             ?5 country, ?6 started_at (ISO 8601 UTC), ?7 exported_day
--             (YYYYMMDD the export was taken, or NULL when not stated)
-- Output: none (the run id is sqlite3_last_insert_rowid).
INSERT INTO ingest_run (file_path, file_name, file_size, sha256, profile, country, started_at,
                        exported_day)
VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7);
