-- agg_xb_keys.sql - every content key with the country that reported it,
-- in key order.
-- Purpose: first step of the cross-border items: pipeline/aggregate.c feeds
--          these rows to an SQL aggregate of its own, which keeps the keys
--          reported in two or more countries; agg_xb_cases.sql then places
--          them in periods.  case_key (0005_case_key_country.sql) holds
--          each country's keys in key order: the six parts are read in
--          their primary-key order and merged (MERGE (UNION ALL)), so the
--          rows come in ascending content_key (BINARY) order without a
--          sort and without holding the keys in memory.  The six country
--          codes are those queries/0001_schema.sql seeds, the only ones a
--          profile may name (pipeline/profile.c).  The C side checks the
--          order and fails loudly if a future SQLite ever returned another
--          one.
--          Plan: MERGE (UNION ALL) of SEARCH case_key USING PRIMARY KEY
--          (country=?), one per country
-- Parameters: none.
-- Output: content_key TEXT, country TEXT; ascending by content_key.
SELECT content_key, country FROM case_key WHERE country = 'AL'
UNION ALL SELECT content_key, country FROM case_key WHERE country = 'BA'
UNION ALL SELECT content_key, country FROM case_key WHERE country = 'ME'
UNION ALL SELECT content_key, country FROM case_key WHERE country = 'MK'
UNION ALL SELECT content_key, country FROM case_key WHERE country = 'RS'
UNION ALL SELECT content_key, country FROM case_key WHERE country = 'XK'
ORDER BY 1;
