/* measures.h — the one table of published measures (the key figures of
 * `vspreport stats`, the rows of figures.csv and its codebook).
 *
 * Each measure has a stable code (the `stats` CSV column name, the
 * figures.csv `measure` value: "received", "action_rate",
 * "median_d_to_action", ...), the agg_metric name it is read from
 * ("d_to_action_median"), a unit, the count it rests on (its base), a label
 * for tables and a one-sentence definition for the codebook.  A code, once
 * published, never changes meaning: a new figure is a new code.
 *
 * ONE formatting rule, the same in every output that prints a measure as
 * text (stats CSV/JSON/table, figures.csv):
 *   count      an integer ("%.0f")
 *   fraction   4 decimals, printf rounding of the stored double ("0.7143")
 *   per100k    4 decimals, the same
 *   hours      2 decimals, rounded half up from the exact value (a median or
 *              P90 is a multiple of 0.1 s, so 35.775 h prints 35.78 whichever
 *              way the double nearest to it falls)
 *   days       2 decimals (a median or P90 of whole days is a multiple of
 *              0.1 day, so the second decimal is always 0)
 * "-0.00" is never printed.  A value that is not finite is undefined.
 *
 * Static data: nothing to free; the pointers live for the process. */
#ifndef VSP_MEASURES_H
#define VSP_MEASURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline/metrics.h"

typedef enum vsp_measure_unit {
    VSP_UNIT_COUNT,    /* items or inhabitants, an integer */
    VSP_UNIT_FRACTION, /* a rate or share, 0..1 */
    VSP_UNIT_PER100K,  /* per 100 000 inhabitants */
    VSP_UNIT_HOURS,    /* a duration in hours */
    VSP_UNIT_DAYS      /* a duration in whole calendar days (its median may be x.5) */
} vsp_measure_unit;

/* How a count adds up (vsp_measure.adds). */
#define VSP_ADDS_CATEGORIES 1u /* the categories sum to the category "*" */
#define VSP_ADDS_COUNTRIES 2u  /* the six countries sum to the region */

typedef struct vsp_measure {
    const char *code;       /* stable code: the stats CSV column, figures.csv measure */
    const char *metric;     /* agg_metric.metric it is read from */
    vsp_measure_unit unit;
    /* the count the figure rests on (figures.csv base_n), as agg_metric
     * names: base - base_minus (base_minus NULL: base alone); base NULL
     * for a count, which rests on itself */
    const char *base, *base_minus;
    bool star_only;         /* exists for the category "*" only (population) */
    unsigned adds;          /* VSP_ADDS_* for counts that add up; 0 otherwise */
    const char *label;      /* a table row label with its unit ("action rate (fraction)") */
    const char *definition; /* one sentence, for the codebook */
} vsp_measure;

/* The measures in `stats` column order; i < vsp_measure_count(). */
size_t vsp_measure_count(void);
const vsp_measure *vsp_measure_at(size_t i);

/* The measure with this stable code, or with this agg_metric name; NULL
 * when there is none. */
const vsp_measure *vsp_measure_by_code(const char *code);
const vsp_measure *vsp_measure_by_metric(const char *metric);

/* "count", "fraction", "per100k", "hours", "days" (figures.csv unit). */
const char *vsp_measure_unit_name(vsp_measure_unit unit);

/* The base as the codebook writes it, in measure codes where there are
 * some ("forwarded - outcome_pending", "n_to_action", "population"), ""
 * for a count.  Returns buf. */
const char *vsp_measure_base_text(const vsp_measure *ms, char *buf, size_t size);

/* value as text by the one rule above into buf (64 bytes are plenty):
 * true; false with buf "" when value is not finite (undefined). */
bool vsp_measure_format(const vsp_measure *ms, double value, char *buf, size_t size);

/* The measure's figure for (country, category) of m, formatted: true, or
 * false with buf "" when it is undefined or absent (the category "*" is
 * read for a star_only measure, as `stats --category` prints it). */
bool vsp_measure_format_figure(const vsp_measure *ms, const vsp_metrics *m, const char *country,
                               const char *category, char *buf, size_t size);

/* The count the figure rests on for (country, category): true with *n, or
 * false when the measure is a count (no base) or the base is absent. */
bool vsp_measure_base_n(const vsp_measure *ms, const vsp_metrics *m, const char *country,
                        const char *category, int64_t *n);

#endif
