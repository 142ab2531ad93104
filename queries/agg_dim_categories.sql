-- agg_dim_categories.sql - the category dimension.
-- Purpose: map case_record.category_id to its code for the aggregates.
-- Parameters: none.
-- Output: id INTEGER, code TEXT.
SELECT id, code FROM category ORDER BY id;
