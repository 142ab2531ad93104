-- export_class_insert.sql - one released source class (see
--          export_class_create.sql).
-- Parameters: :country, :month, :category_id, :outcome_id, :bucket,
--          :quarter, :start_day, :end_day, :cat_sup, :out_sup.
INSERT INTO temp.export_class(country, month, category_id, outcome_id, bucket, quarter,
                              start_day, end_day, cat_sup, out_sup)
VALUES (:country, :month, :category_id, :outcome_id, :bucket, :quarter, :start_day, :end_day,
        :cat_sup, :out_sup);
