-- export_rows.sql - the cases of the research export, one country after
--          another.
-- Purpose: the second pass of reports/export.c, which finds each case's
--          released class (or leaves the case out) from the release it
--          decided, computes the keyed pseudonyms from the country, the
--          case id and the content key, and sorts a country's rows itself
--          (by released class, then case pseudonym; an external merge
--          sort, so memory stays flat).  ORDER BY c.country is the table's
--          own order: it costs no sort and keeps each country's rows
--          together.  None of what is read here but the whole-hour
--          durations and the codes' ids leaves the export process as it
--          is: no case id, content key, URL, handle, reporter field, note,
--          label or exact date.
-- Parameters: :start_day, :end_day INTEGER (YYYYMMDD, inclusive).
-- Output: country, received_day, category_id, outcome_id (0: none),
--          case_id, content_key, decision_id, channel_id (0: none),
--          h_received_decided, h_decided_forwarded, h_forwarded_outcome,
--          h_received_outcome (whole hours, half up; NULL unless both ends
--          are times — _prec = 2, a date alone is no time, as in the
--          published metrics — and the later is not earlier).
-- Plan:   SCAN c (no temporary B-tree: the primary key's order).
SELECT c.country, c.received_day, c.category_id, coalesce(c.outcome_id, 0),
       c.case_id, c.content_key, c.decision_id, coalesce(c.channel_id, 0),
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
ORDER BY c.country;
