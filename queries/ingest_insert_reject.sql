-- ingest_insert_reject.sql — keep a rejected row with its reason.
-- Parameters: ?1 run id, ?2 line, ?3 reason code, ?4 field (or NULL),
--             ?5 message, ?6 raw row (UTF-8)
-- Output: none.
INSERT INTO reject (run_id, line, reason, field, message, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6);
