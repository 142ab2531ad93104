-- workbook_categories.sql - the category codes in their canonical order,
--          with the EU DSA Transparency Database category of each.
-- Purpose: reports/workbook.c (Categories and Outcomes sheets).
-- Parameters: none.
-- Output: code, dsa.
SELECT code, dsa
FROM category
ORDER BY id;
