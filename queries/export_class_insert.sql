-- export_class_insert.sql - one released source class (see
--          export_class_create.sql).
-- Parameters: :country, :month, :category_id, :outcome_id, :rank.
INSERT INTO temp.export_class(country, month, category_id, outcome_id, rank)
VALUES (:country, :month, :category_id, :outcome_id, :rank);
