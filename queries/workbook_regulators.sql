-- workbook_regulators.sql - who publishes: the regulator of each country.
-- Purpose: reports/workbook.c (About sheet, document author).  name and
--          short_name come from the regulator profiles at ingest; they are
--          NULL for a country nothing was ingested for.
-- Parameters: none.
--          They are in the profile's language; renderers name a regulator
--          with vsp_i18n_regulator_as (pipeline/i18n.h), which uses them for
--          that language only.
-- Output: code, name_en, regulator, short_name, language.
SELECT code, name_en, regulator, short_name, language
FROM country
ORDER BY code;
