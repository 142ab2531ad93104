/* workbook.h — the public Excel workbook of one country or the region for
 * one period (DESIGN §6, issue 5), in one language.
 *
 * Sheets, each named in the chosen language (validated and made unique
 * ignoring case, reports/xlsx_util.h):
 *     About         title, regulator, period, data freeze, definitions of
 *                   every figure, methodology, population and sources
 *     Summary       the key figures, with a code column that names the
 *                   matching column of `vspreport stats --format csv`
 *     Funnel        received -> assessed -> forwarded -> actioned, rates,
 *                   regulator decisions; bar chart
 *     Categories    the funnel per category with its DSA category; chart
 *     Outcomes      platform outcomes per category; 100 % stacked chart
 *     Timeliness    median / P90 / n per step, shares within 24h/48h/7d
 *     Trend         the same figures for the period and the seven before
 *     Countries     (region) the six countries side by side, per 100 000
 *                   inhabitants, and received by category x country
 *     Cross-border  (region) items reported in two or more countries and
 *                   per pair of countries
 *     Data quality  the ingest runs behind the figures (rows read, new,
 *                   updated, unchanged, duplicates, rejected) and the
 *                   rejected rows by reason
 *
 * Every figure is read from the aggregates through pipeline/metrics.h
 * (the same values as `vspreport stats`); nothing is recomputed.  Numbers
 * are numeric cells (rates as fractions with a % format, hours with one
 * decimal, counts grouped); dates are date cells; undefined figures are
 * empty cells.  Tables have a frozen header row and an autofilter; charts
 * are native Excel charts beside the tables.  Document properties carry
 * the title, subject and author (the regulator); `created` is
 * SOURCE_DATE_EPOCH when set, so the same warehouse gives the same bytes. */
#ifndef VSP_WORKBOOK_H
#define VSP_WORKBOOK_H


#include "pipeline/error.h"
#include "pipeline/release.h"
#include "pipeline/store.h"

typedef struct vsp_workbook_spec {
    const char *country; /* "AL" "BA" "ME" "MK" "RS" "XK" or "region" */
    const char *period;  /* a period label that has been aggregated */
    const char *lang;    /* en sq sr sr-Latn mk bs cnr */
    const char *foreword; /* the regulator's foreword (pipeline/foreword.h), NULL for none:
                           * on the About sheet, as plain text */
    const vsp_release *release; /* the release (borrowed), NULL when made outside a release:
                                 * no release line, no (R), no Revisions sheet */
} vsp_workbook_spec;

/* Write the workbook to path.  It is written under a temporary name in
 * the same directory and renamed only when complete; on failure nothing
 * is left behind.  db is borrowed (read only).  VSP_EDATA if the period
 * has not been aggregated; VSP_ECANTCREAT / VSP_EIO if the file cannot be
 * written; VSP_EDATA with file:line for a foreword outside its subset. */
vsp_status vsp_workbook_write(vsp_store *store, const vsp_workbook_spec *spec, const char *path,
                              vsp_error *err);

#endif
