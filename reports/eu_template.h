/* eu_template.h — the regulators' forwarded notices of one period in the
 * layout of the EU's harmonised transparency reporting templates
 * (Commission Implementing Regulation (EU) 2024/2835, Annex I, the
 * quantitative template), as an ALIGNMENT AID: so that a reader can put
 * the regulators' figures beside the platforms' own DSA reports.  It is
 * not a DSA transparency report of any provider or authority, and says so
 * in its first row.
 *
 * What it follows of the template (the annex's tables themselves were not
 * at hand when this was written; README "The EU template layout" says
 * what was followed): the template's section numbers and titles — 1.1
 * Report identification, 1.3 Article 15(1)(b) notices submitted in
 * accordance with Article 16, 1.3.1 Contextual information on notices —
 * one value a row; types of illegal content as the DSA Transparency
 * Database's STATEMENT_CATEGORY_* codes (the category table's `dsa`
 * column, DESIGN §4); the scope of each figure by country, ISO 3166-1
 * alpha-2 with XK for Kosovo, and "region" for the six together; the
 * median time to give effect (DESIGN §5: time to action, forwarding to
 * the platform's action) with its unit in the contextual-information
 * column; ODF CSV: RFC 4180, UTF-8, CRLF, no byte-order mark.
 *
 * Columns:
 *   section,section_title,field,type_of_illegal_content,scope,value,contextual_information
 * Every value is a figure of figures.csv for the period (measures.h
 * formatting) or an exact sum of them over the vspreport categories that
 * map to one DSA category (counts only; a median is never merged: it is
 * given for all types together).
 *
 * Fields of section 1.3, each for every DSA category and "all", and every
 * scope: number_of_notices (forwarded), number_of_notices_actioned
 * (actioned), number_of_notices_outcome_pending (outcome_pending); for
 * "all" only: median_time_to_give_effect (median_d_to_action, days). */
#ifndef VSP_EU_TEMPLATE_H
#define VSP_EU_TEMPLATE_H

#include <stdio.h>

#include "pipeline/error.h"
#include "pipeline/period.h"
#include "pipeline/store.h"
#include "pipeline/util.h"

#define VSP_EU_TEMPLATE_HEADER                                                                   \
    "section,section_title,field,type_of_illegal_content,scope,value,contextual_information"

/* The template of period (aggregated) as CSV text appended to out (for a
 * caller that writes it later, as run does after closing the warehouse). */
vsp_status vsp_eu_template_build(vsp_store *store, const vsp_period *period, const char *release,
                                 vsp_buf *out, vsp_error *err);

/* The template of period (aggregated) as CSV to path, atomically (or to
 * fp).  release: the release id it belongs to, or NULL/"" outside a
 * release.  VSP_EDATA when the period is not aggregated. */
vsp_status vsp_eu_template_write(vsp_store *store, const vsp_period *period, const char *release,
                                 const char *path, vsp_error *err);
vsp_status vsp_eu_template_print(vsp_store *store, const vsp_period *period, const char *release,
                                 FILE *fp, const char *what, vsp_error *err);

#endif
