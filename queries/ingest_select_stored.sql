-- ingest_select_stored.sql — what the warehouse holds of a case, in full,
-- for a file that lacks some optional columns: their stored values are
-- kept, and the case compared with them in place.
-- Parameters: ?1 country, ?2 case_id
-- Output: row_hash, seen_run, then the fields an absent column keeps
--   (0 or 1 row)
SELECT row_hash, seen_run, platform, item_kind, content_url, content_key, national_label,
       legal_basis, decided_ts, decided_day, decided_prec, forwarded_ts, forwarded_day,
       forwarded_prec, outcome_id, outcome_ts, outcome_day, outcome_prec, channel_id,
       reporter_name, reporter_email, reporter_phone, account_handle, notes
FROM case_record WHERE country = ?1 AND case_id = ?2;
