-- eu_template_categories.sql - the category dimension with its DSA
--          Transparency Database category.
-- Purpose: the EU template layout (reports/eu_template.c) counts notices
--          by the DSA category their vspreport category maps to
--          (DESIGN section 4; csam and minors both map to
--          STATEMENT_CATEGORY_PROTECTION_OF_MINORS).
-- Parameters: none.
-- Output: code TEXT, dsa TEXT, ordered by dsa, then code.
SELECT code, dsa FROM category ORDER BY dsa, code;
