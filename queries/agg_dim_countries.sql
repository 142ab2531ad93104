-- agg_dim_countries.sql - the countries the aggregates report on.
-- Purpose: rows and column order of every per-country figure (alphabetical
--          by code; 'region' comes after them).
-- Parameters: none.
-- Output: code TEXT ('AL', 'BA', ...), in ascending order.
SELECT code FROM country ORDER BY code;
