-- agg_load_crossborder.sql - the cross-border items of one period.
-- Parameters: :period TEXT.
-- Output: item INTEGER, category TEXT, countries TEXT ('AL,RS'),
--         n_countries INTEGER, first_day INTEGER (YYYYMMDD).
SELECT item, category, countries, n_countries, first_day
FROM agg_crossborder
WHERE period = :period
ORDER BY item;
