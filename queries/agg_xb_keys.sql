-- agg_xb_keys.sql - every content key with the country that reported it,
-- in key order.
-- Purpose: first step of the cross-border items: pipeline/aggregate.c feeds
--          these rows to an SQL aggregate of its own, which keeps the keys
--          reported in two or more countries; agg_xb_cases.sql then places
--          them in periods.  case_key (0004_case_key.sql) is read in its
--          primary-key order, so the rows come in ascending content_key
--          (BINARY) order without a sort; an ORDER BY here would make SQLite
--          run the query as a co-routine under the aggregate, three times
--          slower.  The C side checks the order and fails loudly if a
--          future SQLite ever returned another one.
--          Plan: SCAN case_key
-- Parameters: none.
-- Output: content_key TEXT, country TEXT; ascending by content_key.
SELECT content_key, country
FROM case_key;
