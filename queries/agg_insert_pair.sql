-- agg_insert_pair.sql - cross-border items shared by two countries.
-- Parameters: :period TEXT, :country_a TEXT, :country_b TEXT (a < b),
--          :category TEXT (code or '*'), :items INTEGER.
-- Output: none.
INSERT INTO agg_crossborder_pair(period, country_a, country_b, category, items)
VALUES (:period, :country_a, :country_b, :category, :items);
