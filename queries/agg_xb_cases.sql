-- agg_xb_cases.sql - the cases of one content key received in a span.
-- Purpose: second step of the cross-border items (see agg_xb_keys.sql):
--          which countries reported the key in which period, and the
--          category of its first received case.
--          Plan: SEARCH case_record USING INDEX case_content_key (content_key=?).
-- Parameters: :content_key TEXT, :start_day, :end_day INTEGER (YYYYMMDD,
--          inclusive).
-- Output: country TEXT, received_day INTEGER, received_ts INTEGER,
--          category_id INTEGER.
SELECT country, received_day, received_ts, category_id
FROM case_record
WHERE content_key = :content_key
  AND received_day BETWEEN :start_day AND :end_day;
