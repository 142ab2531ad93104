/* metrics.c — reading one aggregated period back for the renderers. */
#include "pipeline/metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/util.h"

typedef struct metric_row {
    const char *country, *category, *metric; /* into the arena */
    double value;
    bool has_value;
} metric_row;

struct vsp_metrics {
    vsp_period period;
    char data_freeze[32];
    char computed_at[32];
    int64_t cases;
    metric_row *rows;
    size_t n_rows;
    vsp_crossborder_item *xb;
    size_t n_xb;
    vsp_crossborder_pair *pairs;
    size_t n_pairs;
    vsp_quality_run *quality;
    size_t n_quality;
    char **strings; /* every string handed out, freed with m */
    size_t n_strings, cap_strings;
    int refs;          /* holders: the caller(s), and the cache */
    int64_t last_run;  /* agg_run.last_run, part of the cache key */
    char *db_name;     /* the warehouse file, part of the cache key */
};

/* Periods kept once loaded (vsp_metrics_keep), oldest first. */
#define CACHE_MAX 32
static struct {
    pthread_mutex_t mu;
    bool on;
    vsp_metrics *m[CACHE_MAX];
    size_t n;
} cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void metrics_destroy(vsp_metrics *m);

void vsp_metrics_keep(bool on)
{
    vsp_metrics *drop[CACHE_MAX];
    size_t n_drop = 0;
    pthread_mutex_lock(&cache.mu);
    cache.on = on;
    if (!on) {
        for (size_t i = 0; i < cache.n; i++)
            if (--cache.m[i]->refs <= 0)
                drop[n_drop++] = cache.m[i];
        cache.n = 0;
    }
    pthread_mutex_unlock(&cache.mu);
    for (size_t i = 0; i < n_drop; i++)
        metrics_destroy(drop[i]);
}

/* The cached load of this period of this warehouse, if its agg_run row is
 * still the one it was loaded with (a period aggregated again has another
 * computed_at, last_run or data freeze), with one more holder; or NULL. */
static vsp_metrics *cache_find(const char *db_name, const vsp_metrics *fresh)
{
    vsp_metrics *hit = NULL;
    pthread_mutex_lock(&cache.mu);
    for (size_t i = 0; cache.on && !hit && i < cache.n; i++) {
        vsp_metrics *c = cache.m[i];
        if (strcmp(c->db_name, db_name) == 0 && strcmp(c->period.label, fresh->period.label) == 0 &&
            strcmp(c->data_freeze, fresh->data_freeze) == 0 &&
            strcmp(c->computed_at, fresh->computed_at) == 0 && c->cases == fresh->cases &&
            c->last_run == fresh->last_run) {
            hit = c;
            hit->refs++;
        }
    }
    pthread_mutex_unlock(&cache.mu);
    return hit;
}

static void cache_add(vsp_metrics *m)
{
    vsp_metrics *evicted = NULL;
    pthread_mutex_lock(&cache.mu);
    if (cache.on && m->db_name[0]) { /* not an in-memory warehouse: no name */
        if (cache.n == CACHE_MAX) {
            evicted = cache.m[0];
            memmove(cache.m, cache.m + 1, (CACHE_MAX - 1) * sizeof *cache.m);
            cache.n--;
            if (--evicted->refs > 0)
                evicted = NULL;
        }
        m->refs++;
        cache.m[cache.n++] = m;
    }
    pthread_mutex_unlock(&cache.mu);
    metrics_destroy(evicted);
}

static const char *keep(vsp_metrics *m, const unsigned char *s)
{
    if (m->n_strings == m->cap_strings) {
        m->cap_strings = m->cap_strings ? m->cap_strings * 2 : 256;
        m->strings = vsp_xrealloc(m->strings, m->cap_strings * sizeof *m->strings);
    }
    const char *t = s ? (const char *)s : "";
    char *copy = vsp_xstrdup(t);
    m->strings[m->n_strings++] = copy;
    return copy;
}

/* Interning for the many repeated short strings of agg_metric. */
typedef struct intern {
    const char *last[3];
} intern;

static const char *keep_repeated(vsp_metrics *m, intern *in, int slot, const unsigned char *s)
{
    const char *t = s ? (const char *)s : "";
    if (in->last[slot] && strcmp(in->last[slot], t) == 0)
        return in->last[slot];
    return in->last[slot] = keep(m, s);
}

/* queries/<name>.sql with :period bound. */
static sqlite3_stmt *prepare_period(vsp_store *store, const char *name, const char *period,
                                    vsp_error *err)
{
    sqlite3_stmt *st = vsp_store_prepare(store, name, err);
    int i = st ? sqlite3_bind_parameter_index(st, ":period") : 0;
    if (i > 0)
        sqlite3_bind_text(st, i, period, -1, SQLITE_TRANSIENT);
    return st;
}

vsp_status vsp_metrics_status(vsp_store *store, const char *period_label, bool *aggregated,
                              bool *fresh, vsp_error *err)
{
    vsp_period p;
    vsp_status s = vsp_period_parse(period_label, &p, err);
    if (s != VSP_OK)
        return s;
    sqlite3_stmt *st = prepare_period(store, "agg_load_run", p.label, err);
    if (!st)
        return err ? err->status : VSP_ESOFTWARE;
    int rc = sqlite3_step(st);
    *aggregated = rc == SQLITE_ROW;
    if (fresh)
        *fresh = false;
    if (rc == SQLITE_ROW && fresh) {
        const unsigned char *a = sqlite3_column_text(st, 4), *b = sqlite3_column_text(st, 8);
        bool same_freeze = (!a && !b) || (a && b && strcmp((const char *)a, (const char *)b) == 0);
        bool same_run = sqlite3_column_type(st, 7) == sqlite3_column_type(st, 9) &&
                        sqlite3_column_int64(st, 7) == sqlite3_column_int64(st, 9);
        *fresh = same_freeze && same_run;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        s = vsp_store_error(store, err, "reading agg_run");
    sqlite3_finalize(st);
    return s;
}

vsp_metrics *vsp_metrics_load(vsp_store *store, const char *period_label, vsp_error *err)
{
    vsp_metrics *m = vsp_xcalloc(1, sizeof *m);
    m->refs = 1;
    sqlite3_stmt *st = NULL;
    int rc;
    if (vsp_period_parse(period_label, &m->period, err) != VSP_OK)
        goto fail;
    const char *label = m->period.label;

    if (!(st = prepare_period(store, "agg_load_run", label, err)))
        goto fail;
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        vsp_error_set(err, VSP_EDATA,
                      "period %s has not been aggregated; run vspreport aggregate --period %s "
                      "first",
                      label, label);
        goto fail;
    }
    if (rc != SQLITE_ROW) {
        vsp_store_error(store, err, "reading agg_run");
        goto fail;
    }
    const unsigned char *t = sqlite3_column_text(st, 4);
    snprintf(m->data_freeze, sizeof m->data_freeze, "%s", t ? (const char *)t : "");
    t = sqlite3_column_text(st, 5);
    snprintf(m->computed_at, sizeof m->computed_at, "%s", t ? (const char *)t : "");
    m->cases = sqlite3_column_int64(st, 6);
    m->last_run = sqlite3_column_int64(st, 7);
    sqlite3_finalize(st);
    st = NULL;
    const char *db_name = sqlite3_db_filename(vsp_store_db(store), "main");
    m->db_name = vsp_xstrdup(db_name ? db_name : "");
    vsp_metrics *cached = cache_find(m->db_name, m);
    if (cached) {
        metrics_destroy(m);
        return cached;
    }

    if (!(st = prepare_period(store, "agg_load_metrics", label, err)))
        goto fail;
    size_t cap = 0;
    intern in = {{NULL, NULL, NULL}};
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (m->n_rows == cap) {
            cap = cap ? cap * 2 : 1024;
            m->rows = vsp_xrealloc(m->rows, cap * sizeof *m->rows);
        }
        metric_row *r = &m->rows[m->n_rows++];
        r->country = keep_repeated(m, &in, 0, sqlite3_column_text(st, 0));
        r->category = keep_repeated(m, &in, 1, sqlite3_column_text(st, 1));
        r->metric = keep(m, sqlite3_column_text(st, 2));
        r->has_value = sqlite3_column_type(st, 3) != SQLITE_NULL;
        r->value = r->has_value ? sqlite3_column_double(st, 3) : 0;
    }
    if (rc != SQLITE_DONE) {
        vsp_store_error(store, err, "reading agg_metric");
        goto fail;
    }
    sqlite3_finalize(st);

    if (!(st = prepare_period(store, "agg_load_crossborder", label, err)))
        goto fail;
    cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (m->n_xb == cap) {
            cap = cap ? cap * 2 : 64;
            m->xb = vsp_xrealloc(m->xb, cap * sizeof *m->xb);
        }
        vsp_crossborder_item *x = &m->xb[m->n_xb++];
        x->item = sqlite3_column_int(st, 0);
        x->category = keep(m, sqlite3_column_text(st, 1));
        x->countries = keep(m, sqlite3_column_text(st, 2));
        x->n_countries = sqlite3_column_int(st, 3);
        x->first_day = (int32_t)sqlite3_column_int64(st, 4);
    }
    if (rc != SQLITE_DONE) {
        vsp_store_error(store, err, "reading agg_crossborder");
        goto fail;
    }
    sqlite3_finalize(st);

    if (!(st = prepare_period(store, "agg_load_pairs", label, err)))
        goto fail;
    cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (m->n_pairs == cap) {
            cap = cap ? cap * 2 : 64;
            m->pairs = vsp_xrealloc(m->pairs, cap * sizeof *m->pairs);
        }
        vsp_crossborder_pair *x = &m->pairs[m->n_pairs++];
        x->country_a = keep(m, sqlite3_column_text(st, 0));
        x->country_b = keep(m, sqlite3_column_text(st, 1));
        x->category = keep(m, sqlite3_column_text(st, 2));
        x->items = sqlite3_column_int64(st, 3);
    }
    if (rc != SQLITE_DONE) {
        vsp_store_error(store, err, "reading agg_crossborder_pair");
        goto fail;
    }
    sqlite3_finalize(st);

    if (!(st = prepare_period(store, "agg_load_quality", label, err)))
        goto fail;
    cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (m->n_quality == cap) {
            cap = cap ? cap * 2 : 16;
            m->quality = vsp_xrealloc(m->quality, cap * sizeof *m->quality);
        }
        vsp_quality_run *q = &m->quality[m->n_quality++];
        q->run_id = sqlite3_column_int64(st, 0);
        q->country = keep(m, sqlite3_column_text(st, 1));
        q->file_name = keep(m, sqlite3_column_text(st, 2));
        q->sha256 = keep(m, sqlite3_column_text(st, 3));
        q->profile = keep(m, sqlite3_column_text(st, 4));
        q->finished_at = keep(m, sqlite3_column_text(st, 5));
        q->rows_read = sqlite3_column_int64(st, 6);
        q->blank_lines = sqlite3_column_int64(st, 7);
        q->rows_new = sqlite3_column_int64(st, 8);
        q->rows_updated = sqlite3_column_int64(st, 9);
        q->rows_unchanged = sqlite3_column_int64(st, 10);
        q->rows_duplicate = sqlite3_column_int64(st, 11);
        q->rows_rejected = sqlite3_column_int64(st, 12);
        q->cases = sqlite3_column_int64(st, 13);
    }
    if (rc != SQLITE_DONE) {
        vsp_store_error(store, err, "reading agg_quality");
        goto fail;
    }
    sqlite3_finalize(st);
    cache_add(m);
    return m;
fail:
    sqlite3_finalize(st);
    vsp_metrics_free(m);
    return NULL;
}

void vsp_metrics_free(vsp_metrics *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&cache.mu);
    bool last = --m->refs <= 0;
    pthread_mutex_unlock(&cache.mu);
    if (last)
        metrics_destroy(m);
}

static void metrics_destroy(vsp_metrics *m)
{
    if (!m)
        return;
    free(m->db_name);
    for (size_t i = 0; i < m->n_strings; i++)
        free(m->strings[i]);
    free(m->strings);
    free(m->rows);
    free(m->xb);
    free(m->pairs);
    free(m->quality);
    free(m);
}

bool vsp_metrics_get(const vsp_metrics *m, const char *country, const char *category,
                     const char *metric, double *value)
{
    if (!m || !country || !category || !metric)
        return false;
    size_t lo = 0, hi = m->n_rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const metric_row *r = &m->rows[mid];
        int c = strcmp(r->country, country);
        if (c == 0)
            c = strcmp(r->category, category);
        if (c == 0)
            c = strcmp(r->metric, metric);
        if (c == 0) {
            if (!r->has_value)
                return false;
            if (value)
                *value = r->value;
            return true;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

const char *vsp_metrics_data_freeze(const vsp_metrics *m)
{
    return m->data_freeze;
}

const char *vsp_metrics_computed_at(const vsp_metrics *m)
{
    return m->computed_at;
}

const vsp_period *vsp_metrics_period(const vsp_metrics *m)
{
    return &m->period;
}

int64_t vsp_metrics_cases(const vsp_metrics *m)
{
    return m->cases;
}

size_t vsp_metrics_crossborder_count(const vsp_metrics *m)
{
    return m->n_xb;
}

const vsp_crossborder_item *vsp_metrics_crossborder(const vsp_metrics *m, size_t i)
{
    return i < m->n_xb ? &m->xb[i] : NULL;
}

size_t vsp_metrics_pair_count(const vsp_metrics *m)
{
    return m->n_pairs;
}

const vsp_crossborder_pair *vsp_metrics_pair(const vsp_metrics *m, size_t i)
{
    return i < m->n_pairs ? &m->pairs[i] : NULL;
}

size_t vsp_metrics_quality_count(const vsp_metrics *m)
{
    return m->n_quality;
}

const vsp_quality_run *vsp_metrics_quality(const vsp_metrics *m, size_t i)
{
    return i < m->n_quality ? &m->quality[i] : NULL;
}

/* ---- how current, how precise (DESIGN §5) ------------------------------ */

bool vsp_metrics_as_of(const vsp_metrics *m, const char *country, int32_t *day)
{
    double v;
    if (!vsp_metrics_get(m, country, "*", "data_as_of", &v) || v < 10000101 || v > 99991231)
        return false;
    if (day)
        *day = (int32_t)v;
    return true;
}

int vsp_metrics_provisional(const vsp_metrics *m, const char *country)
{
    double v;
    if (!vsp_metrics_get(m, country, "*", "provisional", &v))
        return -1;
    return v != 0;
}

/* Append code to buf as "AL, ME"; buf is always terminated. */
static void list_add(char *buf, size_t size, size_t *len, const char *code)
{
    if (*len >= size)
        return;
    int n = snprintf(buf + *len, size - *len, "%s%s", *len ? ", " : "", code);
    if (n > 0)
        *len += (size_t)n < size - *len ? (size_t)n : size - *len - 1;
}

size_t vsp_metrics_countries_where(const vsp_metrics *m, const char *category, const char *metric,
                                   double at_least, char *buf, size_t size)
{
    size_t n = 0, len = 0;
    if (size)
        buf[0] = '\0';
    const char *prev = NULL;
    for (size_t i = 0; i < m->n_rows; i++) {
        const metric_row *r = &m->rows[i];
        if (strcmp(r->country, "region") == 0 || (prev && strcmp(prev, r->country) == 0))
            continue;
        double v;
        if (vsp_metrics_get(m, r->country, category, metric, &v) && v >= at_least) {
            if (size)
                list_add(buf, size, &len, r->country);
            n++;
        }
        prev = r->country;
    }
    return n;
}

size_t vsp_metrics_as_of_from(const vsp_metrics *m, char *buf, size_t size)
{
    int32_t region;
    size_t n = 0, len = 0;
    if (size)
        buf[0] = '\0';
    if (!vsp_metrics_as_of(m, "region", &region))
        return 0;
    const char *prev = NULL;
    for (size_t i = 0; i < m->n_rows; i++) {
        const metric_row *r = &m->rows[i];
        if (strcmp(r->country, "region") == 0 || (prev && strcmp(prev, r->country) == 0))
            continue;
        int32_t day;
        if (vsp_metrics_as_of(m, r->country, &day) && day == region) {
            if (size)
                list_add(buf, size, &len, r->country);
            n++;
        }
        prev = r->country;
    }
    return n;
}
