-- agg_as_of.sql - how current each regulator's data are (DESIGN section 5).
-- Purpose: the "as of" date of every country: the latest export date its
--          ingest runs state (ingest --exported-at), else the latest local
--          calendar date of any event (received, decided, forwarded,
--          outcome) in its ingested logs, which each run records
--          (ingest_run.latest_event_day).  A country with a run from before
--          that column (NULL), or with cases but no run, is read from its
--          cases instead (a range of the primary key).  The region is as of
--          the earliest country (pipeline/aggregate.c).
-- Parameters: none.
-- Output: country, stated_day (YYYYMMDD or NULL), latest_event_day
--          (YYYYMMDD, or NULL for a country without cases).
SELECT c.code AS country, r.stated_day,
       CASE WHEN r.n_unknown = 0 AND r.latest_day IS NOT NULL THEN r.latest_day
            ELSE (SELECT max(max(received_day), coalesce(max(decided_day), 0),
                             coalesce(max(forwarded_day), 0), coalesce(max(outcome_day), 0))
                  FROM case_record WHERE country = c.code)
       END AS latest_event_day
FROM country c
LEFT JOIN (SELECT country, max(exported_day) AS stated_day,
                  max(latest_event_day) AS latest_day, count(*) AS n_runs,
                  sum(latest_event_day IS NULL AND rows_new + rows_updated + rows_unchanged
                      + rows_duplicate > 0) AS n_unknown
           FROM ingest_run WHERE finished_at IS NOT NULL
           GROUP BY country) r ON r.country = c.code
ORDER BY c.code;
