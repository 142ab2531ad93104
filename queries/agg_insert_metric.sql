-- agg_insert_metric.sql - one figure.
-- Parameters: :period TEXT, :country TEXT ('AL'.. or 'region'), :category
--          TEXT (code or '*'), :metric TEXT, :value REAL or NULL.
-- Output: none.
INSERT INTO agg_metric(period, country, category, metric, value)
VALUES (:period, :country, :category, :metric, :value);
