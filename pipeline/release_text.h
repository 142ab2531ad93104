/* release_text.h — a release as readers see it, in their language: the
 * release line every output carries, the "(R)" mark of a revised figure,
 * and the lines of the revisions note (DESIGN §6, issue "Releases people
 * can cite").  Shared by the charts' footers, the PDF report, the workbook
 * and the web edition so that they all say the same thing the same way.
 *
 * Every string comes from the catalogues (context "release"); dates and
 * numbers are formatted per language (pipeline/i18n.h).  Functions that
 * take a vsp_release accept NULL (made outside a release) and then say
 * nothing: "" or false. */
#ifndef VSP_RELEASE_TEXT_H
#define VSP_RELEASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "pipeline/release.h"
#include "pipeline/util.h"

/* The mark a revised figure carries in every language, after its value:
 * the statistical offices' convention, explained by vsp_release_legend. */
#define VSP_RELEASE_MARK "(R)"

/* The release line: "Release 2026Q3-v2, 6 Dec 2026 — provisional" /
 * "... — final", in lang.  "" when r is NULL.  Returns buf (160 bytes
 * suffice). */
char *vsp_release_format(const vsp_release *r, const char *lang, char *buf, size_t size);

/* What "(R)" means, for a legend or a note under a table: "(R) revised:
 * changed since version 1 of 1 Nov 2026; see Revisions." in lang; "" when
 * r is NULL or revises nothing.  Returns buf (512 bytes suffice). */
char *vsp_release_legend(const vsp_release *r, const char *lang, char *buf, size_t size);

/* The opening sentence of the revisions note: "Version 2 of the figures
 * for Q3 2026 revises version 1 of 1 Nov 2026: ..." in lang; "" when r
 * is NULL or revises nothing.  Returns buf (768 bytes suffice). */
char *vsp_release_revisions_intro(const vsp_release *r, const char *lang, char *buf,
                                  size_t size);

/* What the regional edition's revisions note lists (see
 * vsp_release_revisions_in), in lang.  Returns buf (512 bytes suffice). */
char *vsp_release_regional_scope(const char *lang, char *buf, size_t size);

/* Why a figure changed, in lang: "later outcomes from the export of 7 Oct
 * 2026", "labels re-mapped in profile al-ama", ...  Returns buf (384
 * bytes suffice). */
char *vsp_release_reason_text(const vsp_revision *v, const char *lang, char *buf, size_t size);

/* The figure's name for a table row, in lang: the report's label where
 * the report shows the figure ("Reports received", "Action rate"), else
 * the workbook's or the revisions note's own ("Time from receipt to
 * outcome in days, 90th percentile") — every measure of
 * pipeline/measures.h has one; a code that is none keeps its code.
 * Never NULL; the string lives as long as the catalogue. */
const char *vsp_release_measure_label(const char *measure, const char *lang);

/* A figures.csv value ("0.7143", "35.78", "") as a reader reads it in
 * lang, by the measure's unit (pipeline/measures.h; an unknown code is a
 * count): "71.4%", "35.8 h", "2.5 days", "1,204";
 * "–" for an absent value.  Returns buf (VSP_FMT_MAX * 2 suffice). */
char *vsp_release_value_text(const char *measure, const char *value, const char *lang,
                             char *buf, size_t size);

/* "1,204 → 1,240", "71.4% → 71.9%": v's old and new value as a reader
 * reads them in lang (vsp_release_value_text), with up to two more
 * decimals where the two would otherwise read the same (71.43% →
 * 71.44%); its spaces are no-break spaces (U+00A0), so that a line
 * never breaks inside a change.  Returns buf (VSP_FMT_MAX * 4 + 8
 * suffice). */
char *vsp_release_change_text(const vsp_revision *v, const char *lang, char *buf, size_t size);

/* The revisions of the edition of area (vsp_release_revision_in), in the
 * order a reader looks for them: by area (the region first, then the
 * countries in the order of pipeline/country.h), by why (reason, then
 * detail: vsp_release_same_why), by measure in the codebook's order
 * (pipeline/measures.h), then by category (all categories "*" first,
 * then in the order of pipeline/taxonomy.h).  A new array of *n pointers
 * into r->revisions, or NULL when *n is 0; the caller frees the array
 * (not what it points to). */
const vsp_revision **vsp_release_revisions_ordered(const vsp_release *r, const char *area,
                                                   size_t *n);

/* True when a and b are of the same area and changed for the same reason
 * (reason and detail): one group of the revisions note. */
bool vsp_release_same_why(const vsp_revision *a, const vsp_revision *b);

/* True when the revisions note lists v among the categories whose figure
 * changed, false when in the column of all categories: the category "*"
 * of r's own period. */
bool vsp_release_by_category(const vsp_release *r, const vsp_revision *v);

/* The texts of one row of the revisions note (report, web edition): the
 * revisions list[0..n) of one measure of one area, in the order of
 * vsp_release_revisions_ordered.  all gets the change over all categories
 * of r's period (vsp_release_change_text; empty when that figure did not
 * change), cats "category: change; ..." for the others
 * (vsp_release_by_category), one of another period with its period.
 * Both are cleared first. */
void vsp_release_row_text(const vsp_release *r, const vsp_revision **list, size_t n,
                          const char *lang, vsp_buf *all, vsp_buf *cats);

/* The figures.csv measure code of an aggregated metric (agg_metric name,
 * as renderers read figures), from the one measures table
 * (pipeline/measures.h): "h_to_action_median" -> "median_h_to_action",
 * "d_share_1d" -> "share_d_1d", "received" -> "received"; a metric that is
 * no published measure keeps its name.  Returns buf (at least 64 bytes). */
char *vsp_release_measure_code(const char *metric, char *buf, size_t size);

/* True when the figure a renderer shows — the agg_metric `metric` of
 * (period, area, category) — is revised in r (vsp_release_revised after
 * vsp_release_measure_code).  False when r is NULL. */
bool vsp_release_revised_metric(const vsp_release *r, const char *period, const char *area,
                                const char *category, const char *metric);

/* How many of r's revisions belong in the revisions note of the edition
 * of area: a country's ("AL".."XK") every changed figure of that country;
 * the region's ("region" or NULL) every changed figure of the region and
 * the six countries' figures over all categories (category "*": what its
 * countries table shows) — a country's figures by category are listed in
 * that country's edition (and all of them in revisions.csv). */
size_t vsp_release_revisions_in(const vsp_release *r, const char *area);

/* True when revision v belongs in the note of an output for area (same
 * rule as vsp_release_revisions_in). */
bool vsp_release_revision_in(const vsp_revision *v, const char *area);

#endif
