/* eu_template.c — the forwarded notices in the EU template layout
 * (eu_template.h). */
#include "reports/eu_template.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/designation.h"
#include "pipeline/measures.h"
#include "pipeline/metrics.h"
#include "pipeline/outfile.h"
#include "pipeline/util.h"

#define S11 "1.1", "Report identification"
#define S13 "1.3", "Article 15(1)(b). Notices submitted in accordance with Article 16 of Regulation (EU) 2022/2065"
#define S131 "1.3.1", "Contextual information on notices"

static void row(vsp_buf *b, const char *section, const char *title, const char *field,
                const char *type, const char *scope, const char *value, const char *context)
{
    const char *f[] = {section, title, field, type, scope, value, context};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (i)
            vsp_buf_putc(b, ',');
        vsp_buf_csv_field(b, f[i]);
    }
    vsp_buf_puts(b, "\r\n");
}

typedef struct category {
    char *code, *dsa;
} category;

/* The countries (agg_dim_countries) and the categories with their DSA
 * category (eu_template_categories, ordered by dsa). */
static vsp_status load_dims(vsp_store *store, char ***countries, size_t *nc, category **cats,
                            size_t *nk, vsp_error *err)
{
    *countries = NULL;
    *cats = NULL;
    *nc = *nk = 0;
    sqlite3_stmt *st = vsp_store_prepare(store, "agg_dim_countries", err);
    if (!st)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *c = sqlite3_column_text(st, 0);
        *countries = vsp_xrealloc(*countries, (*nc + 1) * sizeof **countries);
        (*countries)[(*nc)++] = vsp_xstrdup(c ? (const char *)c : "");
    }
    vsp_status s = VSP_OK;
    if (rc != SQLITE_DONE)
        s = vsp_store_error(store, err, "reading the countries");
    sqlite3_finalize(st);
    if (s != VSP_OK)
        return s;
    if (!(st = vsp_store_prepare(store, "eu_template_categories", err)))
        return err->status;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *c = sqlite3_column_text(st, 0), *d = sqlite3_column_text(st, 1);
        *cats = vsp_xrealloc(*cats, (*nk + 1) * sizeof **cats);
        (*cats)[*nk].code = vsp_xstrdup(c ? (const char *)c : "");
        (*cats)[*nk].dsa = vsp_xstrdup(d ? (const char *)d : "");
        (*nk)++;
    }
    if (rc != SQLITE_DONE)
        s = vsp_store_error(store, err, "reading the categories");
    sqlite3_finalize(st);
    return s;
}

/* The sum of a count over the categories of one DSA category for scope:
 * true with the text; false ("") when a figure is missing. */
static bool group_sum(const vsp_metrics *m, const char *scope, const category *cats, size_t from,
                      size_t to, const char *metric, char *buf, size_t size)
{
    int64_t sum = 0;
    for (size_t k = from; k < to; k++) {
        double v;
        if (!vsp_metrics_get(m, scope, cats[k].code, metric, &v)) {
            buf[0] = '\0';
            return false;
        }
        sum += (int64_t)v;
    }
    snprintf(buf, size, "%lld", (long long)sum);
    return true;
}

static const struct {
    const char *field, *metric, *what;
} count_fields[] = {
    {"number_of_notices", "forwarded",
     "notices the regulator forwarded to the platform after finding the item to violate "
     "national law (vspreport: forwarded)"},
    {"number_of_notices_actioned", "actioned",
     "of those, notices on which the platform acted: removed, geo-blocked, age-restricted, "
     "account suspended or banned (vspreport: actioned)"},
    {"number_of_notices_outcome_pending", "outcome_pending",
     "of those, notices without a final outcome from the platform yet (vspreport: "
     "outcome_pending)"},
};

vsp_status vsp_eu_template_build(vsp_store *store, const vsp_period *period, const char *release,
                                 vsp_buf *b, vsp_error *err)
{
    vsp_status s = VSP_ESOFTWARE;
    char **countries = NULL;
    category *cats = NULL;
    size_t nc = 0, nk = 0;
    vsp_metrics *m = vsp_metrics_load(store, period->label, err);
    if (!m)
        return err->status;
    if ((s = load_dims(store, &countries, &nc, &cats, &nk, err)) != VSP_OK)
        goto out;
    const vsp_period *p = vsp_metrics_period(m);
    char a[11], z[11], text[1024], value[64];
    vsp_day_format(p->start_day, a);
    vsp_day_format(p->end_day, z);

    vsp_buf_puts(b, VSP_EU_TEMPLATE_HEADER "\r\n");
    /* 1.1 */
    row(b, S11, "document_type", "", "", "alignment aid",
        "NOT a DSA transparency report of any provider or authority. The notices that the media "
        "regulators of Albania, Bosnia and Herzegovina, Kosovo, Montenegro, North Macedonia and "
        "Serbia forwarded to the platform, laid out as the quantitative template of Commission "
        "Implementing Regulation (EU) 2024/2835 (Annex I), for comparison with platforms' DSA "
        "transparency reports. Made by vspreport " VSP_VERSION ".");
    snprintf(text, sizeof text, "%s to %s, by the local date each regulator received the report", a,
             z);
    row(b, S11, "reporting_period", "", "", p->label, text);
    row(b, S11, "reporting_period_start", "", "", a, "");
    row(b, S11, "reporting_period_end", "", "", z, "");
    row(b, S11, "release", "", "", release ? release : "",
        "the release of the regulators' figures this layout belongs to (empty: made outside a "
        "release); figures.csv of the same release holds every figure used here");
    int32_t day;
    char asof[11] = "", from[64] = "";
    if (vsp_metrics_as_of(m, "region", &day))
        vsp_day_format(day, asof);
    vsp_metrics_as_of_from(m, from, sizeof from);
    snprintf(text, sizeof text,
             "the figures are as of this date: the earliest of the six regulators' (%s)", from);
    row(b, S11, "data_as_of", "", "", asof, text);
    int prov = vsp_metrics_provisional(m, "region");
    row(b, S11, "status", "", "", prov < 0 ? "" : prov ? "provisional" : "final",
        "provisional while outcomes are still arriving (a forwarded notice without a final "
        "outcome, or data as of less than 30 days after the period's end); provisional figures "
        "are revised in later releases");

    /* 1.3: counts by DSA category (and all), by scope */
    for (size_t f = 0; f < sizeof count_fields / sizeof count_fields[0]; f++) {
        for (size_t g = 0; g < nk;) {
            size_t h = g;
            vsp_buf codes;
            vsp_buf_init(&codes);
            while (h < nk && strcmp(cats[h].dsa, cats[g].dsa) == 0) {
                vsp_buf_printf(&codes, "%s%s", h > g ? ", " : "", cats[h].code);
                h++;
            }
            snprintf(text, sizeof text, "%s; vspreport categories: %s", count_fields[f].what,
                     codes.data ? codes.data : "");
            vsp_buf_fini(&codes);
            for (size_t c = 0; c <= nc; c++) {
                const char *scope = c < nc ? countries[c] : "region";
                group_sum(m, scope, cats, g, h, count_fields[f].metric, value, sizeof value);
                row(b, S13, count_fields[f].field, cats[g].dsa, scope, value, text);
            }
            g = h;
        }
        snprintf(text, sizeof text, "%s; all types of illegal content", count_fields[f].what);
        const vsp_measure *ms = vsp_measure_by_code(count_fields[f].metric);
        for (size_t c = 0; c <= nc; c++) {
            const char *scope = c < nc ? countries[c] : "region";
            vsp_measure_format_figure(ms, m, scope, "*", value, sizeof value);
            row(b, S13, count_fields[f].field, "all", scope, value, text);
        }
    }
    /* the median time to give effect, all types (medians do not merge) */
    const vsp_measure *med = vsp_measure_by_code("median_d_to_action");
    const vsp_measure *n = vsp_measure_by_code("n_d_to_action");
    for (size_t c = 0; c <= nc; c++) {
        const char *scope = c < nc ? countries[c] : "region";
        char nbuf[32];
        vsp_measure_format_figure(n, m, scope, "*", nbuf, sizeof nbuf);
        if (vsp_measure_format_figure(med, m, scope, "*", value, sizeof value))
            snprintf(text, sizeof text,
                     "unit: days (whole calendar days from the regulator forwarding the notice "
                     "to the platform's action); median over n = %s actioned notices with both "
                     "dates; vspreport: median_d_to_action",
                     nbuf);
        else
            snprintf(text, sizeof text,
                     "unit: days; undefined: no actioned notice with both dates (n = %s); "
                     "vspreport: median_d_to_action",
                     nbuf[0] ? nbuf : "0");
        row(b, S13, "median_time_to_give_effect", "all", scope, value, text);
    }

    /* 1.3.1 */
    row(b, S131, "notices", "", "", "",
        "A notice here is one item (a video or an account) that a citizen reported to the "
        "regulator and that the regulator, after assessing it under national law, forwarded to "
        "the platform. Reports the regulator did not forward (no violation, out of remit, "
        "insufficient information, duplicates, pending) are not notices to the platform.");
    row(b, S131, "types_of_illegal_content", "", "", "",
        "vspreport's categories mapped to the DSA Transparency Database categories "
        "(STATEMENT_CATEGORY_*); where two map to one (csam and minors to "
        "STATEMENT_CATEGORY_PROTECTION_OF_MINORS) the counts are their sum.");
    const char *note = vsp_designation_note("en");
    snprintf(text, sizeof text,
             "The country of the regulator that forwarded the notice: ISO 3166-1 alpha-2 codes, "
             "XK for Kosovo%s (the code in common use); region: the six together.%s%s",
             vsp_designation_mark("XK"), note ? " " : "", note ? note : "");
    row(b, S131, "scope", "", "", "", text);
    row(b, S131, "median_time_to_give_effect", "", "", "",
        "Time to give effect = time to action: from forwarding to the platform's action, for "
        "actioned notices; in whole calendar days wherever both dates are known; the median "
        "interpolates between closest ranks (Excel PERCENTILE.INC).");
    row(b, S131, "source", "", "", "",
        "Every number is a figure of figures.csv for the period (the same text) or, for a DSA "
        "category of two vspreport categories, the sum of two.");
    s = VSP_OK;
out:
    for (size_t i = 0; i < nc; i++)
        free(countries[i]);
    free(countries);
    for (size_t i = 0; i < nk; i++) {
        free(cats[i].code);
        free(cats[i].dsa);
    }
    free(cats);
    vsp_metrics_free(m);
    return s;
}

vsp_status vsp_eu_template_write(vsp_store *store, const vsp_period *period, const char *release,
                                 const char *path, vsp_error *err)
{
    vsp_buf b;
    vsp_buf_init(&b);
    vsp_status s = vsp_eu_template_build(store, period, release, &b, err);
    if (s == VSP_OK)
        s = vsp_outfile_write(path, b.data, b.len, err);
    vsp_buf_fini(&b);
    return s;
}

vsp_status vsp_eu_template_print(vsp_store *store, const vsp_period *period, const char *release,
                                 FILE *fp, const char *what, vsp_error *err)
{
    vsp_buf b;
    vsp_buf_init(&b);
    vsp_status s = vsp_eu_template_build(store, period, release, &b, err);
    if (s == VSP_OK && (fwrite(b.data, 1, b.len, fp) != b.len || fflush(fp) != 0))
        s = vsp_error_set(err, VSP_EIO, "writing %s failed: %s", what, strerror(errno));
    vsp_buf_fini(&b);
    return s;
}
