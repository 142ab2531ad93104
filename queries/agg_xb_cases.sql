-- agg_xb_cases.sql - the cases of one content key received in a span.
-- Purpose: second step of the cross-border items (see agg_xb_keys.sql):
--          which countries reported the key in which period, and the
--          category of its first received case.  case_key is keyed by
--          country first (0005_case_key_country.sql): the key is looked up
--          in each country's part.
--          Plan: SEARCH k (case_key) USING PRIMARY KEY (country=? AND
--          content_key=?), SEARCH c (case_record) USING PRIMARY KEY
--          (country=? AND case_id=?).
-- Parameters: :content_key TEXT, :start_day, :end_day INTEGER (YYYYMMDD,
--          inclusive).
-- Output: country TEXT, received_day INTEGER, received_ts INTEGER,
--          category_id INTEGER.
SELECT c.country, c.received_day, c.received_ts, c.category_id
FROM case_key k
JOIN case_record c ON c.country = k.country AND c.case_id = k.case_id
WHERE k.country IN (SELECT code FROM country)
  AND k.content_key = :content_key
  AND c.received_day BETWEEN :start_day AND :end_day;
