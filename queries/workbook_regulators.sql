-- workbook_regulators.sql - who publishes: the regulator of each country.
-- Purpose: reports/workbook.c (About sheet, document author).  name and
--          short_name come from the regulator profiles at ingest; they are
--          NULL for a country nothing was ingested for.
-- Parameters: none.
-- Output: code, name_en, regulator, short_name.
SELECT code, name_en, regulator, short_name
FROM country
ORDER BY code;
