-- ingest_finish_run.sql — close an ingest run with its accounting.
-- Parameters: ?1 run id, ?2 sha256, ?3 finished_at, ?4 rows_read,
--             ?5 blank_lines, ?6 new, ?7 updated, ?8 unchanged,
--             ?9 duplicate, ?10 rejected, ?11 latest_event_day (YYYYMMDD:
--             the latest local date of any event of the rows it stored;
--             NULL when it stored none)
-- Output: none.
UPDATE ingest_run
   SET sha256 = ?2, finished_at = ?3, rows_read = ?4, blank_lines = ?5,
       rows_new = ?6, rows_updated = ?7, rows_unchanged = ?8,
       rows_duplicate = ?9, rows_rejected = ?10, latest_event_day = ?11
 WHERE id = ?1;
