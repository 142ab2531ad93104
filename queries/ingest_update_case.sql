-- ingest_update_case.sql — a later export changed a case: take its newer
-- fields, keep where it first came from, record where the change came from.
-- Parameters: as ingest_insert_case.sql (?1 country, ?2 case_id,
--   ?3..?30 fields, ?31 run id, ?32 line)
-- Output: none.
UPDATE case_record SET
    platform = ?3, item_kind = ?4, content_url = ?5, content_key = ?6,
    category_id = ?7, national_label = ?8, legal_basis = ?9,
    received_ts = ?10, received_day = ?11, received_prec = ?12,
    decided_ts = ?13, decided_day = ?14, decided_prec = ?15,
    forwarded_ts = ?16, forwarded_day = ?17, forwarded_prec = ?18,
    outcome_ts = ?19, outcome_day = ?20, outcome_prec = ?21,
    decision_id = ?22, outcome_id = ?23, channel_id = ?24,
    reporter_name = ?25, reporter_email = ?26, reporter_phone = ?27,
    account_handle = ?28, notes = ?29, row_hash = ?30,
    last_run = ?31, last_line = ?32, seen_run = ?31
WHERE country = ?1 AND case_id = ?2;
