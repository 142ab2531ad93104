/* wording.c — numbers and phrases of the report and the web edition (see
 * wording.h). */
#include "reports/wording.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/i18n.h"
#include "pipeline/util.h"

void vsp_wording_init(vsp_wording *w)
{
    memset(w, 0, sizeof *w);
}

void vsp_wording_clear(vsp_wording *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->kept[i]);
    w->n = 0;
}

void vsp_wording_fini(vsp_wording *w)
{
    vsp_wording_clear(w);
    free(w->kept);
    vsp_wording_init(w);
}

const char *vsp_wording_keep(vsp_wording *w, char *s)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->kept = vsp_xrealloc(w->kept, w->cap * sizeof *w->kept);
    }
    w->kept[w->n++] = s;
    return s;
}

const char *vsp_wording_fill(vsp_wording *w, const char *templ, size_t n,
                             const char *const names[], const char *const values[])
{
    size_t need = vsp_i18n_subst(NULL, 0, templ, n, names, values);
    char *buf = vsp_xmalloc(need + 1);
    vsp_i18n_subst(buf, need + 1, templ, n, names, values);
    char *out = buf;
    for (const char *p = buf; *p; p++) {
        if (p[0] == '.' && p[1] == '.' && p[2] != '.' && (p == buf || p[-1] != '.'))
            continue;
        *out++ = *p;
    }
    *out = '\0';
    return vsp_wording_keep(w, buf);
}

const char *vsp_wording_fill1(vsp_wording *w, const char *templ, const char *name,
                              const char *value)
{
    const char *names[] = {name};
    const char *values[] = {value};
    return vsp_wording_fill(w, templ, 1, names, values);
}

const char *vsp_wording_int(vsp_wording *w, const char *lang, double v)
{
    char buf[VSP_FMT_MAX];
    return vsp_wording_keep(w, vsp_xstrdup(vsp_fmt_int(lang, v, buf, sizeof buf)));
}

const char *vsp_wording_pct(vsp_wording *w, const char *lang, double fraction)
{
    char buf[VSP_FMT_MAX];
    return vsp_wording_keep(w, vsp_xstrdup(vsp_fmt_pct(lang, fraction, 1, buf, sizeof buf)));
}

const char *vsp_wording_num(vsp_wording *w, const char *lang, double v, int decimals)
{
    char buf[VSP_FMT_MAX];
    return vsp_wording_keep(w, vsp_xstrdup(vsp_fmt_num(lang, v, decimals, buf, sizeof buf)));
}

const char *vsp_wording_hours(vsp_wording *w, const char *lang, double v)
{
    if (!isfinite(v))
        return vsp_wording_num(w, lang, v, 1);
    return vsp_wording_fill1(w, vsp_i18n_pget(lang, "number", "{n} h"), "n",
                             vsp_wording_num(w, lang, v, 1));
}

const char *vsp_wording_change(vsp_wording *w, const char *lang, double now, double prev,
                               vsp_change_kind kind)
{
    char buf[VSP_FMT_MAX];
    bool relative = kind == VSP_CHANGE_RELATIVE;
    if (!isfinite(now) || !isfinite(prev) || (relative && prev <= 0))
        return "\xe2\x80\x93";
    double v = relative ? (now - prev) / prev : (now - prev) * 100;
    if (relative)
        vsp_fmt_pct(lang, fabs(v), 1, buf, sizeof buf);
    else
        vsp_fmt_num(lang, fabs(v), 1, buf, sizeof buf);
    /* +, the minus sign U+2212, or nothing for a change that rounds to 0 */
    bool zero = fabs(v) < (relative ? 0.0005 : 0.05);
    const char *s =
        vsp_wording_keep(w, vsp_xasprintf("%s%s", zero ? "" : v > 0 ? "+" : "\xe2\x88\x92", buf));
    if (relative)
        return s;
    /* TRANSLATORS: a difference of two percentages, in percentage
     * points; {n} is the number with its sign. */
    return vsp_wording_fill1(w, vsp_i18n_pget(lang, "report", "{n} pp"), "n", s);
}

const char *vsp_wording_vs_prev(vsp_wording *w, const char *lang, const char *change,
                                const char *prev_period)
{
    if (strcmp(change, "\xe2\x80\x93") == 0)
        return vsp_i18n_pget(lang, "report", "no comparison with the previous period");
    const char *names[] = {"change", "period"};
    const char *values[] = {change, prev_period};
    /* TRANSLATORS: under a key figure: {change} e.g. "+12.3%", {period}
     * the previous period, e.g. "Q2 2026". */
    return vsp_wording_fill(w, vsp_i18n_pget(lang, "report", "{change} against {period}"), 2,
                            names, values);
}

double vsp_wording_metric(const vsp_metrics *m, const char *cc, const char *cat,
                          const char *metric)
{
    double v;
    if (m && vsp_metrics_get(m, cc, cat, metric, &v))
        return v;
    return NAN;
}

int vsp_wording_sorted_categories(const vsp_metrics *m, const char *cc, const char *metric,
                                  const char *skip_metric, int out[VSP_N_CATEGORIES])
{
    int n = 0;
    for (int i = 0; i < VSP_N_CATEGORIES; i++) {
        if (skip_metric) {
            double v = vsp_wording_metric(m, cc, vsp_categories[i], skip_metric);
            if (!(isfinite(v) && v > 0))
                continue;
        }
        out[n++] = i;
    }
    /* insertion sort: stable, so ties stay in code order */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0; j--) {
            double a = vsp_wording_metric(m, cc, vsp_categories[out[j - 1]], metric);
            double b = vsp_wording_metric(m, cc, vsp_categories[out[j]], metric);
            if (!((isfinite(b) ? b : -1) > (isfinite(a) ? a : -1)))
                break;
            int k = out[j - 1];
            out[j - 1] = out[j];
            out[j] = k;
        }
    return n;
}

const char *vsp_wording_plural(const char *lang, const char *ctx, const char *msgid,
                               const char *plural, double count)
{
    unsigned long n = isfinite(count) && count >= 0 ? (unsigned long)llround(count) : 0;
    return vsp_i18n_npget(lang, ctx, msgid, plural, n);
}

const char *vsp_wording_top_category(vsp_wording *w, const char *lang, const char *category,
                                     double n)
{
    const char *names[] = {"category", "n"};
    const char *values[] = {vsp_i18n_category(lang, category), vsp_wording_int(w, lang, n)};
    return vsp_wording_fill(
        w,
        vsp_wording_plural(lang, "report", "The most reported category was {category}, with {n} report.",
                           "The most reported category was {category}, with {n} reports.", n),
        2, names, values);
}
