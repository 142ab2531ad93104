-- agg_insert_crossborder.sql - one cross-border item (never its key).
-- Parameters: :period TEXT, :item INTEGER, :category TEXT, :countries TEXT
--          ('AL,RS'), :n_countries INTEGER, :first_day INTEGER (YYYYMMDD).
-- Output: none.
INSERT INTO agg_crossborder(period, item, category, countries, n_countries, first_day)
VALUES (:period, :item, :category, :countries, :n_countries, :first_day);
