-- agg_as_of.sql - how current each regulator's data are (DESIGN section 5).
-- Purpose: the "as of" date of every country with cases: the latest export
--          date its ingest runs state (ingest --exported-at), else the
--          latest local calendar date of any event (received, decided,
--          forwarded, outcome) among its cases.  The region is as of the
--          earliest of them (pipeline/aggregate.c).
--          Plan: SCAN case_record USING COVERING INDEX case_agg (one pass,
--          the index being far narrower than the table).
-- Parameters: none.
-- Output: country, stated_day (YYYYMMDD or NULL), latest_event_day (YYYYMMDD).
SELECT e.country, s.stated_day, e.latest_event_day
FROM (SELECT country,
             max(max(received_day), coalesce(max(decided_day), 0),
                 coalesce(max(forwarded_day), 0), coalesce(max(outcome_day), 0))
                 AS latest_event_day
      FROM case_record INDEXED BY case_agg
      GROUP BY country) e
LEFT JOIN (SELECT country, max(exported_day) AS stated_day
           FROM ingest_run WHERE finished_at IS NOT NULL
           GROUP BY country) s ON s.country = e.country
ORDER BY e.country;
