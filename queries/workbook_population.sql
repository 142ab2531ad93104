-- workbook_population.sql - the census behind the per-100 000 figures.
-- Purpose: reports/workbook.c (About sheet: year and source of each
--          population; the figure itself is agg_metric 'population').
-- Parameters: none.
-- Output: country, population, year, source.
SELECT country, population, year, source
FROM population
ORDER BY country;
