-- ingest_insert_case.sql — store a case if the warehouse does not hold it
-- yet; when it does, nothing happens (sqlite3_changes() = 0) and the caller
-- compares it with ingest_select_case.sql.  One B-tree search for the
-- common case of a new case.
-- Parameters: ?1 country, ?2 case_id, ?3..?30 the canonical fields in the
--   order of the column list below (platform .. row_hash), ?31 run id,
--   ?32 line
-- Output: none.
INSERT INTO case_record (country, case_id,
    platform, item_kind, content_url, content_key, category_id, national_label, legal_basis,
    received_ts, received_day, received_prec, decided_ts, decided_day, decided_prec,
    forwarded_ts, forwarded_day, forwarded_prec, outcome_ts, outcome_day, outcome_prec,
    decision_id, outcome_id, channel_id, reporter_name, reporter_email, reporter_phone,
    account_handle, notes, row_hash,
    first_run, first_line, last_run, last_line, seen_run)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
        ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30,
        ?31, ?32, ?31, ?32, ?31)
ON CONFLICT (country, case_id) DO NOTHING;
