/* metrics.h — the renderers' only way to read figures: everything that
 * `vspreport aggregate` stored for one period (agg_run, agg_metric,
 * agg_crossborder, agg_crossborder_pair, agg_quality; their meaning is in
 * queries/0002_aggregates.sql).  Renderers never recompute a figure.
 *
 *   vsp_metrics *m = vsp_metrics_load(db, "2026Q3", &err);
 *   double v;
 *   if (vsp_metrics_get(m, "AL", "*", "action_rate", &v)) ... else "n/a"
 *   vsp_metrics_free(m);
 *
 * The trend of a quarter is the same figures of the seven quarters before
 * it (vsp_period_shift), which `aggregate` computes with it. */
#ifndef VSP_METRICS_H
#define VSP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline/error.h"
#include "pipeline/period.h"
#include "pipeline/store.h"

typedef struct vsp_metrics vsp_metrics;

/* Load every agg_metric row of the period (all countries, categories) plus
 * agg_run and the cross-border and data-quality rows.  VSP_EDATA with "run
 * vspreport aggregate --period P first" if the period was not aggregated;
 * VSP_EUSAGE if period_label is not a period.  Caller frees with
 * vsp_metrics_free. */
vsp_metrics *vsp_metrics_load(vsp_store *store, const char *period_label, vsp_error *err);
void vsp_metrics_free(vsp_metrics *m);

/* on: from now on, keep every period loaded from a warehouse file for the
 * rest of the process and hand the same figures out again
 * (vsp_metrics_free then only drops a reference) for as long as the
 * period's agg_run row is the one they were loaded with; at most 32
 * periods.  For `run`: its renderers read one aggregated warehouse that
 * nothing changes while they work, and load each period hundreds of times
 * (each report and workbook its period and the seven before it, a
 * report's charts again).  Only where nothing aggregates meanwhile: a
 * period aggregated again within the same second, with no ingest between,
 * has the same agg_run row.  off: stop, and let go of what was kept. */
void vsp_metrics_keep(bool on);

/* false if absent or NULL (undefined: a rate with a zero denominator, a
 * median with n = 0).  country: "AL".."XK" or "region"; category: a code
 * or "*". */
bool vsp_metrics_get(const vsp_metrics *m, const char *country, const char *category,
                     const char *metric, double *value);
/* ISO 8601 UTC of the latest ingest when aggregated ("" if none). */
const char *vsp_metrics_data_freeze(const vsp_metrics *m);
/* When the aggregates were computed (ISO 8601 UTC). */
const char *vsp_metrics_computed_at(const vsp_metrics *m);
const vsp_period *vsp_metrics_period(const vsp_metrics *m);
/* Cases received in the period (all countries). */
int64_t vsp_metrics_cases(const vsp_metrics *m);

/* Cross-border items (agg_crossborder), item 1 first.  Strings are
 * borrowed and live as long as m. */
typedef struct vsp_crossborder_item {
    int item;
    const char *category;  /* category code */
    const char *countries; /* "AL,RS" */
    int n_countries;
    int32_t first_day;     /* YYYYMMDD */
} vsp_crossborder_item;
size_t vsp_metrics_crossborder_count(const vsp_metrics *m);
const vsp_crossborder_item *vsp_metrics_crossborder(const vsp_metrics *m, size_t i);

/* Items shared by a pair of countries; category "*" = all categories. */
typedef struct vsp_crossborder_pair {
    const char *country_a, *country_b, *category;
    int64_t items;
} vsp_crossborder_pair;
size_t vsp_metrics_pair_count(const vsp_metrics *m);
const vsp_crossborder_pair *vsp_metrics_pair(const vsp_metrics *m, size_t i);

/* Data quality: the ingest runs behind the period's cases. */
typedef struct vsp_quality_run {
    int64_t run_id;
    const char *country, *file_name, *sha256, *profile, *finished_at;
    int64_t rows_read, blank_lines, rows_new, rows_updated, rows_unchanged, rows_duplicate,
        rows_rejected, cases;
} vsp_quality_run;
size_t vsp_metrics_quality_count(const vsp_metrics *m);
const vsp_quality_run *vsp_metrics_quality(const vsp_metrics *m, size_t i);

/* How current the data are (DESIGN §5; agg_metric data_as_of): the date
 * (YYYYMMDD) country's figures are as of; the region is as of the
 * earliest regulator.  false when it has no cases at all. */
bool vsp_metrics_as_of(const vsp_metrics *m, const char *country, int32_t *day);
/* The countries whose as-of date is the region's (the earliest), "ME" or
 * "AL, ME", into buf (always terminated); returns how many. */
size_t vsp_metrics_as_of_from(const vsp_metrics *m, char *buf, size_t size);
/* 1 if the period is provisional for country (outcomes still arriving:
 * forwarded cases without a final outcome at the as-of date, or as of
 * less than 30 days after the period's end), 0 if final, -1 unknown. */
int vsp_metrics_provisional(const vsp_metrics *m, const char *country);
/* The countries (not the region) whose metric of category is at least
 * at_least, "AL, BA" into buf (always terminated; size may be 0); returns
 * how many.  E.g. who the region's hour figures pool:
 * ("*", "h_to_response_n", 1). */
size_t vsp_metrics_countries_where(const vsp_metrics *m, const char *category, const char *metric,
                                   double at_least, char *buf, size_t size);

/* True if the period has been aggregated; *fresh (may be NULL) tells
 * whether no ingest finished after that aggregation's data freeze. */
vsp_status vsp_metrics_status(vsp_store *store, const char *period_label, bool *aggregated,
                              bool *fresh, vsp_error *err);

#endif
