-- agg_load_pairs.sql - cross-border items per pair of countries.
-- Parameters: :period TEXT.
-- Output: country_a, country_b, category TEXT ('*' = all), items INTEGER.
SELECT country_a, country_b, category, items
FROM agg_crossborder_pair
WHERE period = :period
ORDER BY country_a, country_b, category;
