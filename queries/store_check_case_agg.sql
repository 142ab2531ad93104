-- store_check_case_agg.sql - do the aggregates' index and the content keys
--          hold what the table holds?
-- Purpose: part of vsp_store_check, before aggregate computes figures.
--          PRAGMA quick_check checks every page's structure, not that an
--          index holds its table's values: bits flipped inside case_agg's
--          keys pass it, and aggregate reads case_agg alone
--          (agg_cases.sql).  This compares an order-independent checksum of
--          case_agg's columns read through the index with the same read
--          from the table: two linear scans, where PRAGMA integrity_check
--          looks every row up in every index.  The same for case_key
--          (0004_case_key.sql), which the cross-border figures are read
--          from, against the content keys of case_record, taken in the
--          same scan of the table.
-- Parameters: none.  vsp_row_hash(...) is registered by pipeline/store.c:
--          a 32-bit hash of its arguments' types and values, in order.
-- Output: one row: n_index, sum_index, n_table, sum_table, then
--          n_case_key, sum_case_key, n_table_keys, sum_table_keys INTEGER
--          (the sums NULL when there is nothing to sum).
SELECT i.n, i.h, t.n, t.h, k.n, k.h, t.nk, t.hk
FROM (SELECT count(*) AS n,
             sum(vsp_row_hash(received_day, country, category_id, decision_id, outcome_id,
                              received_ts, decided_ts, forwarded_ts, outcome_ts,
                              received_prec, decided_prec, forwarded_prec, outcome_prec,
                              first_run, last_run)) AS h
      FROM case_record INDEXED BY case_agg) AS i,
     (SELECT count(*) AS n,
             sum(vsp_row_hash(received_day, country, category_id, decision_id, outcome_id,
                              received_ts, decided_ts, forwarded_ts, outcome_ts,
                              received_prec, decided_prec, forwarded_prec, outcome_prec,
                              first_run, last_run)) AS h,
             count(content_key) AS nk,
             sum(CASE WHEN content_key IS NOT NULL
                      THEN vsp_row_hash(content_key, country, case_id) END) AS hk
      -- item_kind is not in case_agg: without it the planner reads the
      -- covering index for this side too
      FROM case_record NOT INDEXED
      WHERE item_kind IS NOT NULL) AS t,
     (SELECT count(*) AS n, sum(vsp_row_hash(content_key, country, case_id)) AS h
      FROM case_key) AS k;
