/* data.c — loading the data behind each chart from the aggregated tables
 * (agg_run, agg_metric, agg_crossborder, agg_crossborder_pair, country).
 * Language-free: codes and numbers only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts/chart.h"
#include "pipeline/country.h"
#include "pipeline/metrics.h"
#include "pipeline/i18n.h"
#include "pipeline/period.h"
#include "pipeline/taxonomy.h"
#include "pipeline/util.h"

static const char *const chart_names[VSP_CHART_COUNT] = {
    "funnel", "categories", "outcomes", "timeliness", "trend",
    "countries", "map", "heatmap", "crossborder",
};

/* the categories of DESIGN.md §4 (pipeline/taxonomy.h) */
static const char *const *const category_codes = vsp_categories;
#define N_CATEGORIES ((size_t)VSP_N_CATEGORIES)

/* the countries, in code order (pipeline/country.h) */
static const char *const *const country_codes = vsp_countries;
#define N_COUNTRIES VSP_N_COUNTRIES

static const char *const outcome_metrics[] = {
    "outcome_removed", "outcome_geo_blocked", "outcome_age_restricted",
    "outcome_account_suspended", "outcome_account_banned", "outcome_declined",
    "outcome_already_unavailable", "outcome_pending",
};
#define N_OUTCOMES 8

static const char *const duration_names[] = {
    "received_decided", "decided_forwarded", "to_action", "to_response", "received_outcome",
};
#define N_DURATIONS 5

const char *vsp_chart_name(vsp_chart_id id)
{
    return (unsigned)id < VSP_CHART_COUNT ? chart_names[id] : "?";
}

bool vsp_chart_from_name(const char *name, vsp_chart_id *id)
{
    for (int i = 0; name && i < VSP_CHART_COUNT; i++)
        if (strcmp(name, chart_names[i]) == 0) {
            *id = (vsp_chart_id)i;
            return true;
        }
    return false;
}

bool vsp_chart_regional_only(vsp_chart_id id)
{
    return id == VSP_CHART_COUNTRIES || id == VSP_CHART_MAP || id == VSP_CHART_HEATMAP ||
           id == VSP_CHART_CROSSBORDER;
}

bool vsp_chart_applies(vsp_chart_id id, const char *country)
{
    if (!country)
        return false;
    if (strcmp(country, "region") == 0)
        return true;
    return !vsp_chart_regional_only(id);
}

vsp_chart_spec vsp_chart_spec_default(vsp_chart_id id, const char *country, const char *lang)
{
    vsp_chart_spec s;
    s.id = id;
    s.country = country;
    s.lang = lang;
    s.scale = 0;
    s.frame = true;
    s.release = NULL;
    return s;
}

/* ---- the source: the period's metrics and its trend ----------------- */

#define TREND_PERIODS 8

struct vsp_chart_source {
    vsp_store *store;
    vsp_metrics *cur;
    /* the trend: the period and the seven before it, oldest first; NULL
     * where a period was not aggregated (a gap in the line) */
    vsp_metrics *trend[TREND_PERIODS];
    char trend_label[TREND_PERIODS][40];
    bool trend_loaded;
    char own_lang[N_COUNTRIES][16], own_short[N_COUNTRIES][48]; /* the profiles' */
    bool own_known[N_COUNTRIES];
};

static double mget(const vsp_metrics *m, const char *country, const char *category,
                   const char *metric)
{
    double v;
    if (m && vsp_metrics_get(m, country, category, metric, &v))
        return v;
    return NAN;
}

vsp_chart_source *vsp_chart_source_open(vsp_store *store, const char *period, vsp_error *err)
{
    vsp_chart_source *src = vsp_xcalloc(1, sizeof *src);
    sqlite3_stmt *s = NULL;
    src->store = store;
    src->cur = vsp_metrics_load(store, period, err);
    if (!src->cur) {
        free(src);
        return NULL;
    }
    /* Regulators as their profiles name them, for the footer (optional):
     * a country is listed once a profile of it was ingested. */
    vsp_error ignored;
    if ((s = vsp_store_prepare(store, "workbook_regulators", &ignored))) {
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(s, 0);
            const char *name = (const char *)sqlite3_column_text(s, 2);
            const char *short_name = (const char *)sqlite3_column_text(s, 3);
            const char *lang = (const char *)sqlite3_column_text(s, 4);
            for (int i = 0; code && (name || short_name) && i < N_COUNTRIES; i++) {
                if (strcmp(code, country_codes[i]) != 0)
                    continue;
                src->own_known[i] = true;
                snprintf(src->own_short[i], sizeof src->own_short[i], "%s",
                         short_name ? short_name : "");
                snprintf(src->own_lang[i], sizeof src->own_lang[i], "%s", lang ? lang : "");
            }
        }
    }
    sqlite3_finalize(s);
    return src;
}

void vsp_chart_source_close(vsp_chart_source *src)
{
    if (!src)
        return;
    for (size_t i = 0; i < TREND_PERIODS; i++)
        if (src->trend[i] != src->cur)
            vsp_metrics_free(src->trend[i]);
    vsp_metrics_free(src->cur);
    free(src);
}

/* The period and the seven before it (vsp_period_shift), oldest first. */
static void load_trend(vsp_chart_source *src)
{
    if (src->trend_loaded)
        return;
    const vsp_period *p = vsp_metrics_period(src->cur);
    for (int i = 0; i < TREND_PERIODS; i++) {
        vsp_period q;
        vsp_period_shift(p, i - (TREND_PERIODS - 1), &q);
        snprintf(src->trend_label[i], sizeof src->trend_label[i], "%s", q.label);
        if (i == TREND_PERIODS - 1) {
            src->trend[i] = src->cur;
            continue;
        }
        vsp_error ignored;
        src->trend[i] = vsp_metrics_load(src->store, q.label, &ignored); /* NULL: a gap */
    }
    src->trend_loaded = true;
}

/* ---- tables -------------------------------------------------------- */

static vsp_chart_table *table_new(vsp_chart_data *d, const char *name, size_t rows,
                                  size_t cols)
{
    vsp_chart_table *t = &d->tables[d->n_tables++];
    t->name = vsp_xstrdup(name);
    t->n_rows = rows;
    t->n_cols = cols;
    t->rows = vsp_xcalloc(rows ? rows : 1, sizeof *t->rows);
    t->cols = vsp_xcalloc(cols ? cols : 1, sizeof *t->cols);
    t->v = vsp_xmalloc((rows * cols != 0 ? rows * cols : 1) * sizeof *t->v);
    for (size_t i = 0; i < rows * cols; i++)
        t->v[i] = NAN;
    return t;
}

static void set_cols(vsp_chart_table *t, const char *const *names)
{
    for (size_t j = 0; j < t->n_cols; j++)
        t->cols[j] = vsp_xstrdup(names[j]);
}

static double *cell(vsp_chart_table *t, size_t r, size_t c)
{
    return &t->v[r * t->n_cols + c];
}

void vsp_chart_data_free(vsp_chart_data *d)
{
    if (!d)
        return;
    for (size_t k = 0; k < d->n_tables; k++) {
        vsp_chart_table *t = &d->tables[k];
        for (size_t i = 0; i < t->n_rows; i++)
            free(t->rows[i]);
        for (size_t j = 0; j < t->n_cols; j++)
            free(t->cols[j]);
        free(t->rows);
        free(t->cols);
        free(t->v);
        free(t->name);
    }
    free(d);
}

double vsp_chart_table_get(const vsp_chart_table *t, const char *row, const char *col)
{
    if (!t)
        return NAN;
    for (size_t i = 0; i < t->n_rows; i++) {
        if (strcmp(t->rows[i], row) != 0)
            continue;
        for (size_t j = 0; j < t->n_cols; j++)
            if (strcmp(t->cols[j], col) == 0)
                return t->v[i * t->n_cols + j];
    }
    return NAN;
}

const vsp_chart_table *vsp_chart_data_table(const vsp_chart_data *d, const char *name)
{
    for (size_t k = 0; d && k < d->n_tables; k++)
        if (strcmp(d->tables[k].name, name) == 0)
            return &d->tables[k];
    return NULL;
}

/* Sort the rows of t by column col, descending (NaN last), stable on the
 * original order.  Simple insertion sort: tables are small. */
static void sort_rows_desc(vsp_chart_table *t, size_t col)
{
    for (size_t i = 1; i < t->n_rows; i++) {
        for (size_t j = i; j > 0; j--) {
            double a = *cell(t, j - 1, col), b = *cell(t, j, col);
            double av = isnan(a) ? -INFINITY : a, bv = isnan(b) ? -INFINITY : b;
            if (!(bv > av))
                break;
            char *tk = t->rows[j - 1];
            t->rows[j - 1] = t->rows[j];
            t->rows[j] = tk;
            for (size_t c = 0; c < t->n_cols; c++) {
                double tv = *cell(t, j - 1, c);
                *cell(t, j - 1, c) = *cell(t, j, c);
                *cell(t, j, c) = tv;
            }
        }
    }
}

/* Drop rows whose every value is NaN or zero. */
static void drop_empty_rows(vsp_chart_table *t)
{
    size_t w = 0;
    for (size_t r = 0; r < t->n_rows; r++) {
        bool any = false;
        for (size_t c = 0; c < t->n_cols; c++) {
            double v = *cell(t, r, c);
            if (isfinite(v) && v != 0)
                any = true;
        }
        if (!any) {
            free(t->rows[r]);
            continue;
        }
        if (w != r) {
            t->rows[w] = t->rows[r];
            memmove(cell(t, w, 0), cell(t, r, 0), t->n_cols * sizeof *t->v);
        }
        w++;
    }
    t->n_rows = w;
}

static void load_funnel(const vsp_chart_source *src, vsp_chart_data *d, const char *cc)
{
    static const char *const stages[] = {"received", "assessed", "forwarded", "actioned"};
    /* share_of_previous: each stage over the one before (actioned over
     * forwarded); action_rate, on the actioned row only: the one action
     * rate of DESIGN §5, actioned over forwarded with a final outcome */
    static const char *const cols[] = {"count", "share_of_previous", "action_rate"};
    vsp_chart_table *t = table_new(d, "stage", 4, 3);
    set_cols(t, cols);
    for (size_t i = 0; i < 4; i++) {
        t->rows[i] = vsp_xstrdup(stages[i]);
        *cell(t, i, 0) = mget(src->cur, cc, "*", stages[i]);
        *cell(t, i, 2) = i == 3 ? mget(src->cur, cc, "*", "action_rate") : NAN;
        if (i > 0) {
            double prev = *cell(t, i - 1, 0), v = *cell(t, i, 0);
            *cell(t, i, 1) = prev > 0 ? v / prev : NAN;
        }
    }
}

static void load_categories(const vsp_chart_source *src, vsp_chart_data *d, const char *cc)
{
    static const char *const cols[] = {"received", "forwarded", "actioned"};
    vsp_chart_table *t = table_new(d, "category", N_CATEGORIES, 3);
    set_cols(t, cols);
    for (size_t i = 0; i < N_CATEGORIES; i++) {
        t->rows[i] = vsp_xstrdup(category_codes[i]);
        for (size_t j = 0; j < 3; j++)
            *cell(t, i, j) = mget(src->cur, cc, category_codes[i], cols[j]);
    }
    sort_rows_desc(t, 0);
}

static void load_outcomes(const vsp_chart_source *src, vsp_chart_data *d, const char *cc)
{
    const char *cols[1 + N_OUTCOMES];
    cols[0] = "forwarded";
    for (size_t j = 0; j < N_OUTCOMES; j++)
        cols[1 + j] = outcome_metrics[j];
    vsp_chart_table *t = table_new(d, "category", N_CATEGORIES + 1, 1 + N_OUTCOMES);
    set_cols(t, cols);
    for (size_t i = 0; i <= N_CATEGORIES; i++) {
        const char *cat = i == 0 ? "*" : category_codes[i - 1];
        t->rows[i] = vsp_xstrdup(cat);
        for (size_t j = 0; j < 1 + N_OUTCOMES; j++)
            *cell(t, i, j) = mget(src->cur, cc, cat, cols[j]);
    }
    /* categories by forwarded, the total first */
    vsp_chart_table rest = *t;
    rest.rows++;
    rest.v += rest.n_cols;
    rest.n_rows--;
    sort_rows_desc(&rest, 0);
    /* drop categories with nothing forwarded (keep the total) */
    size_t w = 1;
    for (size_t r = 1; r < t->n_rows; r++) {
        double f = *cell(t, r, 0);
        if (!(isfinite(f) && f > 0)) {
            free(t->rows[r]);
            continue;
        }
        if (w != r) {
            t->rows[w] = t->rows[r];
            memmove(cell(t, w, 0), cell(t, r, 0), t->n_cols * sizeof *t->v);
        }
        w++;
    }
    t->n_rows = w;
}

/* Durations at the precision the data have (DESIGN §5): hours where the
 * scope has actioned items timed to the hour, else whole days. */
static void load_timeliness(const vsp_chart_source *src, vsp_chart_data *d, const char *cc)
{
    static const char *const cols[] = {"median", "p90", "n"};
    double h_n = mget(src->cur, cc, "*", "h_to_action_n");
    double d_n = mget(src->cur, cc, "*", "d_to_action_n");
    d->days = !(isfinite(h_n) && h_n > 0) && isfinite(d_n) && d_n > 0;
    d->base = d->days ? VSP_BASE_DATED : VSP_BASE_TIMED;
    d->n = d->days ? d_n : h_n;
    vsp_chart_table *t = table_new(d, "stage", N_DURATIONS, 3);
    set_cols(t, cols);
    for (size_t i = 0; i < N_DURATIONS; i++) {
        t->rows[i] = vsp_xstrdup(duration_names[i]);
        for (size_t j = 0; j < 3; j++) {
            char m[64];
            snprintf(m, sizeof m, "%s_%s_%s", d->days ? "d" : "h", duration_names[i], cols[j]);
            *cell(t, i, j) = mget(src->cur, cc, "*", m);
        }
    }
    static const char *const hshares[] = {"share_24h", "share_48h", "share_7d"};
    static const char *const dshares[] = {"d_share_1d", "d_share_2d", "d_share_7d"};
    const char *const *shares = d->days ? dshares : hshares;
    static const char *const scol[] = {"share"};
    vsp_chart_table *s = table_new(d, "share", 3, 1);
    set_cols(s, scol);
    for (size_t i = 0; i < 3; i++) {
        s->rows[i] = vsp_xstrdup(shares[i]);
        *cell(s, i, 0) = mget(src->cur, cc, "*", shares[i]);
    }
}

static void load_trend_table(const vsp_chart_source *src, vsp_chart_data *d, const char *cc)
{
    static const char *const cols[] = {"received", "forwarded", "actioned"};
    vsp_chart_table *t = table_new(d, "period", TREND_PERIODS, 3);
    set_cols(t, cols);
    for (size_t i = 0; i < TREND_PERIODS; i++) {
        t->rows[i] = vsp_xstrdup(src->trend_label[i]);
        for (size_t j = 0; j < 3; j++)
            *cell(t, i, j) = mget(src->trend[i], cc, "*", cols[j]);
    }
    /* which periods are provisional (1), final (0) or unknown (NAN) */
    static const char *const pcols[] = {"provisional"};
    vsp_chart_table *p = table_new(d, "provisional", TREND_PERIODS, 1);
    set_cols(p, pcols);
    for (size_t i = 0; i < TREND_PERIODS; i++) {
        p->rows[i] = vsp_xstrdup(src->trend_label[i]);
        *cell(p, i, 0) = mget(src->trend[i], cc, "*", "provisional");
    }
    d->base = VSP_BASE_PERIODS;
    d->n = TREND_PERIODS;
}

static void load_countries(const vsp_chart_source *src, vsp_chart_data *d, bool map)
{
    static const char *const cols[] = {"received_per100k", "forwarded_per100k",
                                       "actioned_per100k", "received", "forwarded",
                                       "actioned", "population"};
    static const char *const map_cols[] = {"received_per100k", "received", "population"};
    const char *const *use = map ? map_cols : cols;
    size_t nc = map ? 3 : 7;
    vsp_chart_table *t = table_new(d, "country", N_COUNTRIES, nc);
    set_cols(t, use);
    for (size_t i = 0; i < N_COUNTRIES; i++) {
        t->rows[i] = vsp_xstrdup(country_codes[i]);
        for (size_t j = 0; j < nc; j++)
            *cell(t, i, j) = mget(src->cur, country_codes[i], "*", use[j]);
    }
    if (!map)
        sort_rows_desc(t, 0);
}

static void load_heatmap(const vsp_chart_source *src, vsp_chart_data *d)
{
    vsp_chart_table *t = table_new(d, "category", N_CATEGORIES, N_COUNTRIES + 1);
    for (size_t j = 0; j < N_COUNTRIES; j++)
        t->cols[j] = vsp_xstrdup(country_codes[j]);
    t->cols[N_COUNTRIES] = vsp_xstrdup("region");
    for (size_t i = 0; i < N_CATEGORIES; i++) {
        t->rows[i] = vsp_xstrdup(category_codes[i]);
        for (size_t j = 0; j <= N_COUNTRIES; j++)
            *cell(t, i, j) = mget(src->cur, j < N_COUNTRIES ? country_codes[j] : "region",
                                    category_codes[i], "received");
    }
    sort_rows_desc(t, N_COUNTRIES);
}

static void load_crossborder(const vsp_chart_source *src, vsp_chart_data *d)
{
    static const char *const cols[] = {"items"};
    vsp_chart_table *t = table_new(d, "category", N_CATEGORIES, 1);
    set_cols(t, cols);
    for (size_t i = 0; i < N_CATEGORIES; i++) {
        t->rows[i] = vsp_xstrdup(category_codes[i]);
        *cell(t, i, 0) = 0;
    }
    size_t n_items = vsp_metrics_crossborder_count(src->cur);
    for (size_t k = 0; k < n_items; k++) {
        const vsp_crossborder_item *it = vsp_metrics_crossborder(src->cur, k);
        for (size_t i = 0; it && it->category && i < N_CATEGORIES; i++)
            if (strcmp(it->category, category_codes[i]) == 0)
                *cell(t, i, 0) += 1;
    }
    sort_rows_desc(t, 0);
    drop_empty_rows(t);

    /* pairs: 15 of them at most; the '*' rows count every category */
    vsp_chart_table *p = table_new(d, "pair", 15, 1);
    set_cols(p, cols);
    size_t n = 0;
    for (size_t a = 0; a < N_COUNTRIES; a++)
        for (size_t b = a + 1; b < N_COUNTRIES; b++) {
            p->rows[n] = vsp_xasprintf("%s-%s", country_codes[a], country_codes[b]);
            *cell(p, n, 0) = 0;
            n++;
        }
    size_t n_pairs = vsp_metrics_pair_count(src->cur);
    for (size_t k = 0; k < n_pairs; k++) {
        const vsp_crossborder_pair *pr = vsp_metrics_pair(src->cur, k);
        if (!pr || !pr->category || strcmp(pr->category, "*") != 0)
            continue;
        char k1[16], k2[16];
        snprintf(k1, sizeof k1, "%s-%s", pr->country_a, pr->country_b);
        snprintf(k2, sizeof k2, "%s-%s", pr->country_b, pr->country_a);
        for (size_t i = 0; i < n; i++)
            if (strcmp(p->rows[i], k1) == 0 || strcmp(p->rows[i], k2) == 0)
                *cell(p, i, 0) += (double)pr->items;
    }
    sort_rows_desc(p, 0);
    drop_empty_rows(p);
}

vsp_chart_data *vsp_chart_data_load(vsp_chart_source *src, vsp_chart_id id,
                                    const char *country, vsp_error *err)
{
    if ((unsigned)id >= VSP_CHART_COUNT || !vsp_chart_applies(id, country)) {
        vsp_error_set(err, VSP_EUSAGE, "chart '%s' is drawn for the region only, not for %s",
                      vsp_chart_name(id), country ? country : "(none)");
        return NULL;
    }
    vsp_chart_data *d = vsp_xcalloc(1, sizeof *d);
    d->id = id;
    snprintf(d->country, sizeof d->country, "%s", country);
    snprintf(d->period, sizeof d->period, "%s", vsp_metrics_period(src->cur)->label);
    snprintf(d->data_freeze, sizeof d->data_freeze, "%s", vsp_metrics_data_freeze(src->cur));
    d->n = id == VSP_CHART_CROSSBORDER ? mget(src->cur, "region", "*", "cross_border_items")
                                       : mget(src->cur, country, "*", "received");
    d->base = id == VSP_CHART_CROSSBORDER ? VSP_BASE_ITEMS : VSP_BASE_RECEIVED;
    if (id == VSP_CHART_OUTCOMES) {
        /* the outcomes are those of forwarded items with a final outcome */
        d->base = VSP_BASE_FINAL;
        d->n = mget(src->cur, country, "*", "forwarded") -
               mget(src->cur, country, "*", "outcome_pending");
    }
    int32_t as_of;
    if (vsp_metrics_as_of(src->cur, country, &as_of))
        vsp_day_format(as_of, d->data_as_of);
    if (strcmp(country, "region") == 0) {
        vsp_metrics_as_of_from(src->cur, d->as_of_from, sizeof d->as_of_from);
        vsp_metrics_countries_where(src->cur, "*", "h_to_action_n", 1, d->hours_from,
                                    sizeof d->hours_from);
    }
    d->provisional = vsp_metrics_provisional(src->cur, country);
    bool region = strcmp(country, "region") == 0;
    for (int i = 0; i < N_COUNTRIES; i++) {
        if (!src->own_known[i] || (!region && strcmp(country, country_codes[i]) != 0))
            continue;
        snprintf(d->regs[d->n_regs].code, sizeof d->regs[0].code, "%s", country_codes[i]);
        snprintf(d->regs[d->n_regs].lang, sizeof d->regs[0].lang, "%s", src->own_lang[i]);
        snprintf(d->regs[d->n_regs].short_name, sizeof d->regs[0].short_name, "%s",
                 src->own_short[i]);
        d->n_regs++;
    }
    switch (id) {
    case VSP_CHART_FUNNEL: load_funnel(src, d, country); break;
    case VSP_CHART_CATEGORIES: load_categories(src, d, country); break;
    case VSP_CHART_OUTCOMES: load_outcomes(src, d, country); break;
    case VSP_CHART_TIMELINESS: load_timeliness(src, d, country); break;
    case VSP_CHART_TREND:
        load_trend(src);
        load_trend_table(src, d, country);
        break;
    case VSP_CHART_COUNTRIES: load_countries(src, d, false); break;
    case VSP_CHART_MAP: load_countries(src, d, true); break;
    case VSP_CHART_HEATMAP: load_heatmap(src, d); break;
    case VSP_CHART_CROSSBORDER: load_crossborder(src, d); break;
    case VSP_CHART_COUNT: break;
    }
    return d;
}

char *vsp_chart_regulators(const vsp_chart_data *d, const char *lang, char *buf, size_t size)
{
    if (!size)
        return buf;
    buf[0] = '\0';
    size_t o = 0;
    for (int i = 0; d && i < d->n_regs; i++) {
        const char *name = vsp_i18n_regulator_as(lang, d->regs[i].code, true, d->regs[i].lang,
                                                 d->regs[i].short_name);
        if (!name || !name[0])
            continue;
        int k = snprintf(buf + o, size - o, "%s%s", o ? ", " : "", name);
        if (k < 0 || (size_t)k >= size - o)
            break;
        o += (size_t)k;
    }
    return buf;
}
