-- export_class_drop.sql - remove the research export's TEMP table.
-- Parameters: none.
DROP TABLE IF EXISTS temp.export_class;
