-- export_dims.sql - the codes of the dimension ids, for the research export.
-- Purpose: reports/export.c maps the ids of its row query to codes in C,
--          so that its rows, sorted and handed between threads, hold small
--          integers, not strings.
-- Parameters: none.
-- Output: dim ('category' 'decision' 'outcome' 'channel'), id, code, dsa
--          (the EU DSA category; NULL but for categories).
SELECT 'category' AS dim, id, code, dsa FROM category
UNION ALL SELECT 'decision', id, code, NULL FROM decision
UNION ALL SELECT 'outcome', id, code, NULL FROM outcome
UNION ALL SELECT 'channel', id, code, NULL FROM channel
ORDER BY 1, 2;
