/* wording.h — the numbers and phrases the PDF report and the web edition
 * set in running text, written once for both: {name} templates filled,
 * counts, percentages, hours with their unit, the change against the
 * previous period, all in the reader's language (pipeline/i18n.h), and
 * kept until the caller is done with them.
 *
 * The strings are owned by a vsp_wording (the caller's struct, zeroed or
 * vsp_wording_init): every function returns a string that lives until
 * vsp_wording_clear or vsp_wording_fini. */
#ifndef VSP_WORDING_H
#define VSP_WORDING_H

#include <stddef.h>

#include "pipeline/metrics.h"
#include "pipeline/taxonomy.h"

typedef struct vsp_wording {
    char **kept;
    size_t n, cap;
} vsp_wording;

void vsp_wording_init(vsp_wording *w);
/* Free every string kept so far; w stays usable. */
void vsp_wording_clear(vsp_wording *w);
void vsp_wording_fini(vsp_wording *w);

/* Keep s (malloc'd; ownership moves) until clear or fini; returns it. */
const char *vsp_wording_keep(vsp_wording *w, char *s);

/* templ with its {name} placeholders filled (vsp_i18n_subst); where a
 * value ending in a full stop ("3. квартал 2026.") meets the template's
 * own, one stop, as typesetters do (an ellipsis stays). */
const char *vsp_wording_fill(vsp_wording *w, const char *templ, size_t n,
                             const char *const names[], const char *const values[]);
const char *vsp_wording_fill1(vsp_wording *w, const char *templ, const char *name,
                              const char *value);

/* The plural form of ctx/msgid in lang for count, a figure (NaN or
 * negative counts as 0, i.e. the "many" form): the one way both editions
 * choose a sentence with a count in it. */
const char *vsp_wording_plural(const char *lang, const char *ctx, const char *msgid,
                               const char *plural, double count);

/* "The most reported category was {category}, with {n} reports." for the
 * category code and its count, in lang's plural form for n. */
const char *vsp_wording_top_category(vsp_wording *w, const char *lang, const char *category,
                                     double n);

/* A count, a percentage of a fraction (one decimal), a number with
 * `decimals` decimals, as lang writes them. */
const char *vsp_wording_int(vsp_wording *w, const char *lang, double v);
const char *vsp_wording_pct(vsp_wording *w, const char *lang, double fraction);
const char *vsp_wording_num(vsp_wording *w, const char *lang, double v, int decimals);

/* Hours with one decimal and the unit ("11.2 h"); a missing value as
 * vsp_wording_num writes it. */
const char *vsp_wording_hours(vsp_wording *w, const char *lang, double v);

typedef enum vsp_change_kind {
    VSP_CHANGE_RELATIVE, /* counts and durations: +12.3 % */
    VSP_CHANGE_POINTS    /* rates: +1.5 pp */
} vsp_change_kind;

/* The change from prev to now with its sign (+, U+2212, none when it
 * rounds to 0), or "–" when it cannot be computed (a value missing, or a
 * relative change from 0). */
const char *vsp_wording_change(vsp_wording *w, const char *lang, double now, double prev,
                               vsp_change_kind kind);

/* "{change} against {period}" under a key figure, or "no comparison with
 * the previous period" for a change of "–". */
const char *vsp_wording_vs_prev(vsp_wording *w, const char *lang, const char *change,
                                const char *prev_period);

/* The value of a metric, NaN when m is NULL or holds none. */
double vsp_wording_metric(const vsp_metrics *m, const char *cc, const char *cat,
                          const char *metric);

/* The categories (indices into vsp_categories) ordered by metric, largest
 * first (a missing value last, ties in code order), leaving out those
 * whose skip_metric is not above 0 (skip_metric NULL: none left out).
 * Returns how many are in out. */
int vsp_wording_sorted_categories(const vsp_metrics *m, const char *cc, const char *metric,
                                  const char *skip_metric, int out[VSP_N_CATEGORIES]);

#endif
