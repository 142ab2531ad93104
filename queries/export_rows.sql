-- export_rows.sql - the rows of the research export, in their final order.
-- Purpose: the second pass of reports/export.c.  Only released classes
--          (temp.export_class) come out; each row gets the bucket of its
--          class, whether its category and outcome are suppressed, keyed
--          pseudonyms and whole-hour durations.  Never a case
--          id, URL, handle, reporter field, note, label or exact date.
--          vsp_pseudonym(kind, text) is an SQL function reports/export.c
--          registers for the export (HMAC-SHA-256 with the export's key);
--          NULL in, NULL out.  Rows are sorted by country, bucket, class
--          (as released: a suppressed value sorts as one value) and then
--          case pseudonym, so their order reveals nothing of the case ids,
--          the dates within a bucket or a suppressed value; SQLite's sorter spills to
--          temporary files, so memory stays flat.  `CROSS JOIN` keeps the
--          scan of case_record outermost (one pass, one class look-up per
--          row).
-- Parameters: :start_day, :end_day INTEGER (YYYYMMDD, inclusive).
-- Output: country, bucket, quarter, bucket_start, bucket_end, category_id,
--          decision_id, outcome_id (0: none), channel_id (0: none),
--          cat_sup, out_sup (1: released as '*'),
--          case_pseudonym, content_pseudonym (NULL: no content key),
--          h_received_decided, h_decided_forwarded, h_forwarded_outcome,
--          h_received_outcome (whole hours, half up; NULL unless both ends
--          are times — _prec = 2, a date alone is no time, as in the
--          published metrics — and the later is not earlier).
SELECT c.country, k.bucket, k.quarter, k.start_day, k.end_day,
       c.category_id, c.decision_id, k.outcome_id, coalesce(c.channel_id, 0),
       k.cat_sup, k.out_sup,
       vsp_pseudonym('case', c.country || char(31) || c.case_id) AS case_p,
       vsp_pseudonym('content', c.content_key) AS content_p,
       CASE WHEN c.decided_ts >= c.received_ts AND c.decided_prec = 2 AND c.received_prec = 2
            THEN (c.decided_ts - c.received_ts + 1800) / 3600 END,
       CASE WHEN c.forwarded_ts >= c.decided_ts AND c.forwarded_prec = 2 AND c.decided_prec = 2
            THEN (c.forwarded_ts - c.decided_ts + 1800) / 3600 END,
       CASE WHEN c.outcome_ts >= c.forwarded_ts AND c.outcome_prec = 2 AND c.forwarded_prec = 2
            THEN (c.outcome_ts - c.forwarded_ts + 1800) / 3600 END,
       CASE WHEN c.outcome_ts >= c.received_ts AND c.outcome_prec = 2 AND c.received_prec = 2
            THEN (c.outcome_ts - c.received_ts + 1800) / 3600 END
FROM case_record AS c
CROSS JOIN temp.export_class AS k
WHERE +c.received_day BETWEEN :start_day AND :end_day
  AND k.country = c.country
  AND k.month = c.received_day / 100
  AND k.category_id = c.category_id
  AND k.outcome_id = coalesce(c.outcome_id, 0)
ORDER BY c.country, k.bucket, k.cat_sup, CASE k.cat_sup WHEN 0 THEN c.category_id END,
         k.out_sup, CASE k.out_sup WHEN 0 THEN k.outcome_id END, case_p;
