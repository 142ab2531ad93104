-- agg_insert_run.sql - record one aggregated period.
-- Parameters: :period TEXT, :kind TEXT ('quarter'|'half'|'year'|'range'),
--          :start_day, :end_day INTEGER (YYYYMMDD), :data_freeze TEXT or NULL,
--          :computed_at TEXT (ISO 8601 UTC), :cases INTEGER, :last_run INTEGER
--          or NULL.
-- Output: none.
INSERT INTO agg_run(period, kind, start_day, end_day, data_freeze, computed_at, cases, last_run)
VALUES (:period, :kind, :start_day, :end_day, :data_freeze, :computed_at, :cases, :last_run);
