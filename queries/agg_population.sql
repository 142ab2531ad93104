-- agg_population.sql - the population table, for per-100 000 figures.
-- Parameters: none.
-- Output: country TEXT, population INTEGER, year INTEGER, source TEXT.
SELECT country, population, year, source FROM population ORDER BY country;
