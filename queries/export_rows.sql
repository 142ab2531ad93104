-- export_rows.sql - the rows of the research export, in their final order.
-- Purpose: the second pass of reports/export.c.  Each row gets the rank of
--          its released class, vsp_export_class(country, received_day,
--          category_id, outcome_id), an SQL function reports/export.c
--          registers for the export from the release it decided (-1: the
--          class is left out, and so is the row); the class's country,
--          bucket and suppressions are known in C by the rank.  Then keyed
--          pseudonyms and whole-hour durations.  Never a case id, URL,
--          handle, reporter field, note, label or exact date.
--          vsp_pseudonym_bytes(kind, text), registered the same way, is the
--          first 16 bytes of HMAC-SHA-256 with the export's key, as a BLOB
--          (written out in hex; bytes sort as their hex does); NULL in,
--          NULL out.
--          Rows are sorted by released class (the rank orders them by
--          country, bucket, category and outcome as released: a
--          suppressed value sorts as one value) and then case pseudonym,
--          so their order reveals nothing of the case ids, the dates
--          within a bucket or a suppressed value.  SQLite's sorter spills
--          to temporary files, so memory stays flat; c.country first lets
--          it sort one country at a time (the scan is in primary-key
--          order), its records only the rank, the two pseudonyms and small
--          integers.
-- Parameters: :start_day, :end_day INTEGER (YYYYMMDD, inclusive).
-- Output: class (rank; -1: left out), case_pseudonym, content_pseudonym
--          (16-byte BLOBs; NULL: no content key), decision_id, channel_id
--          (0: none), h_received_decided, h_decided_forwarded,
--          h_forwarded_outcome, h_received_outcome (whole hours, half up;
--          NULL unless both ends are times — _prec = 2, a date alone is no
--          time, as in the published metrics — and the later is not
--          earlier).
-- Plan:   SCAN c, USE TEMP B-TREE FOR RIGHT PART OF ORDER BY.
SELECT vsp_export_class(c.country, c.received_day, c.category_id,
                        coalesce(c.outcome_id, 0)) AS class,
       vsp_pseudonym_bytes('case', c.country || char(31) || c.case_id) AS case_p,
       vsp_pseudonym_bytes('content', c.content_key),
       c.decision_id, coalesce(c.channel_id, 0),
       CASE WHEN c.decided_ts >= c.received_ts AND c.decided_prec = 2 AND c.received_prec = 2
            THEN (c.decided_ts - c.received_ts + 1800) / 3600 END,
       CASE WHEN c.forwarded_ts >= c.decided_ts AND c.forwarded_prec = 2 AND c.decided_prec = 2
            THEN (c.forwarded_ts - c.decided_ts + 1800) / 3600 END,
       CASE WHEN c.outcome_ts >= c.forwarded_ts AND c.outcome_prec = 2 AND c.forwarded_prec = 2
            THEN (c.outcome_ts - c.forwarded_ts + 1800) / 3600 END,
       CASE WHEN c.outcome_ts >= c.received_ts AND c.outcome_prec = 2 AND c.received_prec = 2
            THEN (c.outcome_ts - c.received_ts + 1800) / 3600 END
FROM case_record AS c
WHERE +c.received_day BETWEEN :start_day AND :end_day
ORDER BY c.country, class, case_p;
