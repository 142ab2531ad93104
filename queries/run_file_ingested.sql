-- run_file_ingested.sql — has the warehouse already ingested this file
-- (same SHA-256) with this profile?  `vspreport run` then skips it.
-- Parameters: ?1 sha256 (hex), ?2 profile name (e.g. al-ama)
-- Output: one row (1) if so, none otherwise.  Uses the index ingest_run_sha.
SELECT 1 FROM ingest_run WHERE sha256 = ?1 AND profile = ?2 LIMIT 1;
