-- ingest_update_country.sql — the regulator as its profile names it, so
-- that renderers can say whose data it is (footers, covers, workbooks).
-- Parameters: ?1 country, ?2 regulator name, ?3 short name, ?4 language,
--             ?5 IANA time zone
-- Output: none.
UPDATE country SET regulator = ?2, short_name = ?3, language = ?4, timezone = ?5
 WHERE code = ?1;
