-- agg_xb_keys.sql - every content key with the country that reported it,
-- in key order.
-- Purpose: first step of the cross-border items: pipeline/aggregate.c reads
--          this in key order (the case_content_key index, no sort) through
--          an SQL aggregate of its own and keeps the keys reported in two or
--          more countries; agg_xb_cases.sql then places them in periods.
--          Plan: SCAN case_record USING COVERING INDEX case_content_key.
-- Parameters: none.
-- Output: content_key TEXT, country TEXT; ascending by content_key (BINARY).
SELECT content_key, country
FROM case_record
WHERE content_key IS NOT NULL
ORDER BY content_key;
