-- release_corrections.sql - cases of a period corrected since the previous release.
-- Purpose: why a published figure was revised (pipeline/release.h,
--          "corrected_cases"): an ingest run that finished after the
--          previous release's data freeze updated cases received in the
--          period (case_history keeps every run that changed a case).
-- Parameters: ?1 the newest ingest run of the previous release (its id;
--          -1 when the manifest did not say, then ?4 decides), ?2 the
--          period's first day, ?3 its last day (YYYYMMDD, the regulator's
--          calendar), ?4 the previous release's data freeze (ISO 8601 UTC,
--          as agg_freeze.sql gives it).
-- Output: country; export_day (YYYYMMDD) of the latest such export: the
--          date it states (ingest --exported-at, export_date = file_name),
--          else its latest event; cases, how many it corrected.
SELECT h.country AS country,
       max(coalesce(r.exported_day, r.latest_event_day)) AS export_day,
       count(DISTINCT h.case_id) AS cases
FROM ingest_run r
JOIN case_history h ON h.run_id = r.id AND h.change = 'updated'
JOIN case_record c ON c.country = h.country AND c.case_id = h.case_id
WHERE r.finished_at IS NOT NULL
  AND (CASE WHEN ?1 >= 0 THEN r.id > ?1 ELSE r.finished_at > ?4 END)
  AND c.received_day BETWEEN ?2 AND ?3
GROUP BY h.country
ORDER BY h.country;
