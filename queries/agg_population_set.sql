-- agg_population_set.sql - add or replace one country's population.
-- Purpose: `vspreport aggregate --population FILE.csv`.
-- Parameters: :country TEXT, :population INTEGER, :year INTEGER, :source TEXT.
-- Output: none.
INSERT INTO population(country, population, year, source)
VALUES (:country, :population, :year, :source)
ON CONFLICT(country) DO UPDATE SET population = excluded.population,
    year = excluded.year, source = excluded.source;
