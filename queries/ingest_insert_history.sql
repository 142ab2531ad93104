-- ingest_insert_history.sql — provenance trail: this run created or
-- changed this case from this line.
-- Parameters: ?1 country, ?2 case_id, ?3 run id, ?4 line, ?5 'updated'
-- Output: none.
INSERT INTO case_history (country, case_id, run_id, line, change) VALUES (?1, ?2, ?3, ?4, ?5);
