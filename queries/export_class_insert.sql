-- export_class_insert.sql - one released class (see export_class_create.sql).
-- Parameters: :country, :month, :category_id, :decision_id, :outcome_id,
--          :channel_id, :bucket, :quarter, :start_day, :end_day.
INSERT INTO temp.export_class(country, month, category_id, decision_id, outcome_id,
                              channel_id, bucket, quarter, start_day, end_day)
VALUES (:country, :month, :category_id, :decision_id, :outcome_id, :channel_id, :bucket,
        :quarter, :start_day, :end_day);
