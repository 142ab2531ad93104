/* aggregate.c — every metric of DESIGN §5 into the agg_* tables.
 * See aggregate.h for the plan; queries/agg_*.sql hold the SQL. */
#include "pipeline/aggregate.h"
#include "pipeline/metrics.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pipeline/sql.h"
#include "pipeline/store.h"
#include "pipeline/util.h"

#define MAX_C 15  /* countries; index MAX_C-1 at most, region = nc */
#define MAX_K 32  /* category ids 1..31; slot 0 = '*' */
#define MAX_D 16  /* decision ids 1..15 */
#define MAX_O 16  /* outcome ids 1..15 */
#define MAX_P VSP_AGG_TREND
#define MAX_THREADS 4

/* Durations (DESIGN §5), in this order everywhere.  Each is kept twice:
 * slot dur in seconds (hours: both ends with a time of day) and slot
 * N_DUR + dur in whole days (both ends with a date: the difference of the
 * local calendar dates). */
enum { D_RD, D_DF, D_TA, D_TR, D_RO, N_DUR };
#define N_SLOT (2 * N_DUR)
#define DAYS(dur) (N_DUR + (dur))
static const char *const dur_name[N_DUR] = {"received_decided", "decided_forwarded",
                                            "to_action", "to_response", "received_outcome"};

/* Counters of one cell (period, country, category). */
enum {
    K_RECEIVED,
    K_ASSESSED,
    K_FORWARDED,
    K_ACTIONED,
    K_OPENDING,
    K_DEC0,                /* K_DEC0 + decision id */
    K_OUT0 = K_DEC0 + MAX_D, /* K_OUT0 + outcome id */
    K_DURN = K_OUT0 + MAX_O, /* K_DURN + duration slot */
    K_W24 = K_DURN + N_SLOT,
    K_W48,
    K_W7D,
    K_WD1,                 /* time to action <= 1, 2, 7 days (day precision) */
    K_WD2,
    K_WD7,
    K_COHN,                /* cohort: forwarded with a forwarding date */
    K_COH1,                /* ... actioned within 1, 2, 7, 14 days of it */
    K_COH2,
    K_COH7,
    K_COH14,
    K_LREC,                /* the previous period at the same lag (see lag_cut) */
    K_LASS,
    K_LFWD,
    K_LACT,
    K_LPEND,
    K_XB,
    N_K
};

/* Packed duration key: seconds << 9 | country << 5 | category. */
#define PACK_SHIFT 9

#define MAX_SECONDS ((int64_t)1 << 54)

typedef struct dims {
    int nc;
    char country[MAX_C][8];
    int nk; /* category slots 0..nk-1 (0 = '*', ids 1..nk-1) */
    char category[MAX_K][32];
    int cat_order[MAX_K]; /* slots sorted by code, '*' first */
    int nd;               /* decision ids 1..nd-1 */
    char decision[MAX_D][32];
    bool assessed[MAX_D];
    int forwarded_id;
    int no; /* outcome ids 1..no-1 */
    char outcome[MAX_O][32];
    bool actioned[MAX_O], final[MAX_O];
    int np;
    vsp_period periods[MAX_P]; /* oldest first, contiguous for calendar kinds */
    int32_t scan_start, scan_end;
    /* how current the data are (DESIGN §5): YYYYMMDD, 0 = no data; [nc] is
     * the region, the earliest of the countries */
    int32_t as_of[MAX_C + 1];
    int as_of_stated[MAX_C];   /* 1: from a stated export date */
    /* same lag: a case of period p (p < np - 1) counts into period p + 1's
     * K_L* counters with its events up to this day (days since 1970-01-01:
     * the end of p plus the lag of p + 1, as_of - end of p + 1); INT64_MIN
     * where the country has no as-of date */
    int64_t lag_cut[MAX_P][MAX_C];
} dims;

typedef struct u64vec {
    uint64_t *v;
    size_t n, cap;
} u64vec;

/* The durations of one (period, slot), packed (PACK_SHIFT).  A value
 * under SMALL_PACKED, that is a duration under 2^23 (97 days in seconds,
 * any in days), takes 4 bytes; the rest 8, in `big`.  Every small value
 * sorts before every big one, so the two halves sorted and read one after
 * the other are the whole in order.  At a million cases of one quarter the
 * ten slots held 45 MB in 8-byte values, at the moment the research
 * export, started beside aggregation by `run`, is at its largest. */
typedef struct durvec {
    uint32_t *v;
    size_t n, cap;
    u64vec big;
} durvec;
#define SMALL_PACKED ((uint64_t)1 << 32)

typedef struct run_count {
    int64_t run, cases;
} run_count;

typedef struct run_list {
    run_count *v;
    size_t n, cap, last;
} run_list;

/* One worker's partial results. */
typedef struct acc {
    const dims *d;
    int64_t *counts; /* [np][nc + 1][nk][N_K] */
    durvec dur[MAX_P][N_SLOT];
    run_list runs[MAX_P];
} acc;

/* A cross-border item before numbering. */
typedef struct xb_item {
    int p;
    uint32_t mask;
    int n, cat, first_c;
    int64_t first_ts;
    int32_t first_day;
    size_t key_ord; /* rank of the key: ties broken as content_key ascending */
} xb_item;

typedef struct xb_result {
    xb_item *v;
    size_t n, cap;
} xb_result;

/* Candidate keys (reported in >= 2 countries somewhere), in key order. */
typedef struct xb_keys {
    vsp_buf arena;    /* NUL-separated keys */
    size_t *off;
    size_t n, cap;
    vsp_buf prev;     /* key of the group being read */
    bool have_prev;
    uint32_t mask;    /* countries of that group */
    bool out_of_order;
} xb_keys;

typedef struct worker {
    const dims *d;
    vsp_store *store; /* its own read-only connection, or the caller's */
    bool own_store;
    acc a;
    int country;      /* country index of the previous row, or -1 */
    char step_error[256];
    xb_keys keys;
    xb_result *xb;    /* where the cross-border task puts its items */
    vsp_error err;
    /* shared */
    pthread_mutex_t *lock;
    int *next_task;
    int n_tasks;
    const int32_t (*spans)[2]; /* task i >= 1 scans spans[i - 1] */
    const char *path;
} worker;

/* ---- small helpers ------------------------------------------------------ */

static double trace_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* VSP_AGG_TRACE=1 prints the time of every phase on stderr. */
static bool tracing(void)
{
    const char *t = getenv("VSP_AGG_TRACE");
    return t && t[0] == '1';
}


static void u64_push(u64vec *a, uint64_t x)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 1024;
        a->v = vsp_xrealloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = x;
}

static void dur_push(durvec *a, uint64_t x)
{
    if (x >= SMALL_PACKED) {
        u64_push(&a->big, x);
        return;
    }
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 1024;
        a->v = vsp_xrealloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = (uint32_t)x;
}

static void run_add(run_list *l, int64_t run)
{
    if (l->n && l->v[l->last].run == run) {
        l->v[l->last].cases++;
        return;
    }
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].run == run) {
            l->v[i].cases++;
            l->last = i;
            return;
        }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = vsp_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n].run = run;
    l->v[l->n].cases = 1;
    l->last = l->n++;
}

static int popcount32(uint32_t x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

static size_t cell_index(const dims *d, int p, int c, int k)
{
    return (((size_t)p * (size_t)(d->nc + 1) + (size_t)c) * (size_t)d->nk + (size_t)k) * N_K;
}

static int period_of(const dims *d, int64_t day)
{
    if (day < d->scan_start || day > d->scan_end)
        return -1;
    for (int p = d->np - 1; p >= 0; p--)
        if (day >= d->periods[p].start_day && day <= d->periods[p].end_day)
            return p;
    return -1;
}

static void bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

static void bind_int(sqlite3_stmt *st, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_int64(st, i, v);
}

static void bind_null(sqlite3_stmt *st, const char *name)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_null(st, i);
}

/* Prepare queries/<name>.sql wrapped as SELECT fn(<its columns>) FROM (...),
 * so that its rows feed an application-defined aggregate inside SQLite. */
static sqlite3_stmt *prepare_wrapped(vsp_store *store, const char *name, const char *fn,
                                     vsp_error *err)
{
    sqlite3_stmt *inner = vsp_store_prepare(store, name, err), *outer = NULL;
    if (!inner)
        return NULL;
    const char *sql = vsp_sql_get(name);
    size_t len = strlen(sql);
    while (len && (sql[len - 1] == ' ' || sql[len - 1] == '\n' || sql[len - 1] == '\r' ||
                   sql[len - 1] == '\t'))
        len--;
    if (len && sql[len - 1] == ';')
        len--;
    vsp_buf b;
    vsp_buf_init(&b);
    vsp_buf_printf(&b, "SELECT %s(", fn);
    int n = sqlite3_column_count(inner);
    for (int i = 0; i < n; i++)
        vsp_buf_printf(&b, "%s\"%s\"", i ? ", " : "", sqlite3_column_name(inner, i));
    vsp_buf_puts(&b, ") FROM (\n");
    vsp_buf_append(&b, sql, len);
    vsp_buf_puts(&b, "\n)");
    sqlite3_finalize(inner);
    char what[128];
    snprintf(what, sizeof what, "queries/%s.sql", name);
    outer = vsp_store_prepare_sql(store, b.data, what, err);
    vsp_buf_fini(&b);
    return outer;
}

/* ---- dimensions ---------------------------------------------------------- */

static int cmp_cat_code(const void *a, const void *b, const dims *d)
{
    int x = *(const int *)a, y = *(const int *)b;
    if (x == 0 || y == 0)
        return x == 0 ? (y == 0 ? 0 : -1) : 1;
    return strcmp(d->category[x], d->category[y]);
}

static vsp_status load_dims(vsp_store *store, dims *d, vsp_error *err)
{
    vsp_status s = VSP_ESOFTWARE;
    sqlite3_stmt *st = NULL;
    memset(d->country, 0, sizeof d->country);
    memset(d->category, 0, sizeof d->category);
    memset(d->decision, 0, sizeof d->decision);
    memset(d->outcome, 0, sizeof d->outcome);
    d->nc = 0;
    d->nk = 1;
    d->nd = 1;
    d->no = 1;
    d->forwarded_id = -1;
    int rc;

    if (!(st = vsp_store_prepare(store, "agg_dim_countries", err))) {
        s = err->status;
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        if (d->nc >= MAX_C || !code || strlen(code) >= sizeof d->country[0]) {
            s = vsp_error_set(err, VSP_ECONFIG,
                              "table country: at most %d countries with codes of up to 7 "
                              "characters can be aggregated",
                              MAX_C);
            goto out;
        }
        strcpy(d->country[d->nc++], code);
    }
    if (rc != SQLITE_DONE) {
        s = vsp_store_error(store, err, "reading the countries");
        goto out;
    }
    sqlite3_finalize(st);

    if (!(st = vsp_store_prepare(store, "agg_dim_categories", err))) {
        s = err->status;
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *code = (const char *)sqlite3_column_text(st, 1);
        if (id < 1 || id >= MAX_K || !code || strlen(code) >= sizeof d->category[0]) {
            s = vsp_error_set(err, VSP_ECONFIG,
                              "table category: id %lld is out of the range 1..%d that the "
                              "aggregates support",
                              (long long)id, MAX_K - 1);
            goto out;
        }
        strcpy(d->category[id], code);
        if (id + 1 > d->nk)
            d->nk = (int)id + 1;
    }
    if (rc != SQLITE_DONE) {
        s = vsp_store_error(store, err, "reading the categories");
        goto out;
    }
    sqlite3_finalize(st);

    if (!(st = vsp_store_prepare(store, "agg_dim_decisions", err))) {
        s = err->status;
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *code = (const char *)sqlite3_column_text(st, 1);
        if (id < 1 || id >= MAX_D || !code || strlen(code) >= sizeof d->decision[0]) {
            s = vsp_error_set(err, VSP_ECONFIG, "table decision: id %lld is out of range 1..%d",
                              (long long)id, MAX_D - 1);
            goto out;
        }
        strcpy(d->decision[id], code);
        d->assessed[id] = sqlite3_column_int(st, 2) != 0;
        if (strcmp(code, "forwarded") == 0)
            d->forwarded_id = (int)id;
        if (id + 1 > d->nd)
            d->nd = (int)id + 1;
    }
    if (rc != SQLITE_DONE) {
        s = vsp_store_error(store, err, "reading the decisions");
        goto out;
    }
    sqlite3_finalize(st);

    if (!(st = vsp_store_prepare(store, "agg_dim_outcomes", err))) {
        s = err->status;
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *code = (const char *)sqlite3_column_text(st, 1);
        if (id < 1 || id >= MAX_O || !code || strlen(code) >= sizeof d->outcome[0]) {
            s = vsp_error_set(err, VSP_ECONFIG, "table outcome: id %lld is out of range 1..%d",
                              (long long)id, MAX_O - 1);
            goto out;
        }
        strcpy(d->outcome[id], code);
        d->actioned[id] = sqlite3_column_int(st, 2) != 0;
        d->final[id] = sqlite3_column_int(st, 3) != 0;
        if (id + 1 > d->no)
            d->no = (int)id + 1;
    }
    if (rc != SQLITE_DONE) {
        s = vsp_store_error(store, err, "reading the outcomes");
        goto out;
    }
    if (d->forwarded_id < 0) {
        s = vsp_error_set(err, VSP_ECONFIG, "table decision has no 'forwarded' decision");
        goto out;
    }
    /* '*' first, then categories by code (the primary-key order of agg_metric). */
    for (int k = 0; k < d->nk; k++)
        d->cat_order[k] = k;
    for (int i = 1; i < d->nk; i++)
        for (int j = i; j > 0 && cmp_cat_code(&d->cat_order[j - 1], &d->cat_order[j], d) > 0; j--) {
            int t = d->cat_order[j];
            d->cat_order[j] = d->cat_order[j - 1];
            d->cat_order[j - 1] = t;
        }
    s = VSP_OK;
out:
    sqlite3_finalize(st);
    return s;
}

static int country_index(const dims *d, const char *code)
{
    if (!code)
        return -1;
    for (int c = 0; c < d->nc; c++)
        if (strcmp(d->country[c], code) == 0)
            return c;
    return -1;
}

/* How current each country's data are (queries/agg_as_of.sql), the region
 * as of the earliest; then the same-lag cut-off days of every period. */
static vsp_status load_as_of(vsp_store *store, dims *d, vsp_error *err)
{
    vsp_status s = VSP_ESOFTWARE;
    sqlite3_stmt *st = NULL;
    memset(d->as_of, 0, sizeof d->as_of);
    memset(d->as_of_stated, 0, sizeof d->as_of_stated);
    int rc;
    if (!(st = vsp_store_prepare(store, "agg_as_of", err))) {
        s = err->status;
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int c = country_index(d, (const char *)sqlite3_column_text(st, 0));
        if (c < 0)
            continue;
        int64_t stated = sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 1);
        int64_t latest = sqlite3_column_int64(st, 2);
        int64_t day = stated > 0 ? stated : latest;
        if (day < 10000101 || day > 99991231)
            continue;
        d->as_of[c] = (int32_t)day;
        d->as_of_stated[c] = stated > 0;
    }
    if (rc != SQLITE_DONE) {
        s = vsp_store_error(store, err, "reading how current the data are");
        goto out;
    }
    d->as_of[d->nc] = 0;
    for (int c = 0; c < d->nc; c++)
        if (d->as_of[c] && (!d->as_of[d->nc] || d->as_of[c] < d->as_of[d->nc]))
            d->as_of[d->nc] = d->as_of[c];
    for (int p = 0; p < MAX_P; p++)
        for (int c = 0; c < MAX_C; c++) {
            d->lag_cut[p][c] = INT64_MIN;
            if (p + 1 < d->np && c < d->nc && d->as_of[c])
                d->lag_cut[p][c] = vsp_day_to_days(d->periods[p].end_day) +
                                   (vsp_day_to_days(d->as_of[c]) -
                                    vsp_day_to_days(d->periods[p + 1].end_day));
        }
    s = VSP_OK;
out:
    sqlite3_finalize(st);
    return s;
}

/* ---- the scans ----------------------------------------------------------- */

static void acc_init(acc *a, const dims *d)
{
    memset(a, 0, sizeof *a);
    a->d = d;
    a->counts = vsp_xcalloc((size_t)d->np * (size_t)(d->nc + 1) * (size_t)d->nk * N_K,
                            sizeof *a->counts);
}

static void acc_fini(acc *a)
{
    free(a->counts);
    for (int p = 0; p < MAX_P; p++) {
        for (int k = 0; k < N_SLOT; k++) {
            free(a->dur[p][k].v);
            free(a->dur[p][k].big.v);
        }
        free(a->runs[p].v);
    }
    memset(a, 0, sizeof *a);
}

static void push_duration(acc *a, int p, int dur, int c, int k, int64_t secs)
{
    if (secs < 0 || secs >= MAX_SECONDS)
        return;
    dur_push(&a->dur[p][dur],
             (uint64_t)secs << PACK_SHIFT | (uint64_t)c << 5 | (uint64_t)k);
    a->counts[cell_index(a->d, p, c, k) + K_DURN + dur]++;
}

/* Country index of a code; the previous answer first (rows of one country
 * come in runs). */
static int country_of(worker *w, const char *code, int len)
{
    const dims *d = w->d;
    int c = w->country;
    if (c >= 0 && (int)strlen(d->country[c]) == len && memcmp(d->country[c], code, (size_t)len) == 0)
        return c;
    for (c = 0; c < d->nc; c++)
        if ((int)strlen(d->country[c]) == len && memcmp(d->country[c], code, (size_t)len) == 0)
            return w->country = c;
    return -1;
}

/* vsp_agg_case(received_day, country, category_id, decision_id, outcome_id,
 *              received_ts, decided_ts, forwarded_ts, outcome_ts,
 *              received_prec, decided_prec, forwarded_prec, outcome_prec,
 *              first_run, last_run, decided_day, forwarded_day, outcome_day)
 * - one case (queries/agg_cases.sql).
 * A duration counts in hours only when both its ends are a date and time
 * (_prec 2): a date-only end is not a time, and its local midnight would
 * turn a same-day action into 0 h.  It counts in whole days wherever both
 * ends have a date (the difference of the local calendar dates), so a
 * regulator that exports dates only still has day figures.  End >= start
 * in both (where both ends have a time, the instants too). */
static void case_step(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
    worker *w = sqlite3_user_data(ctx);
    const dims *d = w->d;
    if (argc != 18) {
        sqlite3_result_error(ctx, "vsp_agg_case: queries/agg_cases.sql must return 18 columns",
                             -1);
        return;
    }
    int64_t rday = sqlite3_value_int64(v[0]);
    int p = period_of(d, rday);
    if (p < 0)
        return;
    const char *code = (const char *)sqlite3_value_text(v[1]);
    int c = code ? country_of(w, code, sqlite3_value_bytes(v[1])) : -1;
    int64_t cat = sqlite3_value_int64(v[2]), dec = sqlite3_value_int64(v[3]);
    int64_t out = sqlite3_value_type(v[4]) == SQLITE_NULL ? 0 : sqlite3_value_int64(v[4]);
    if (c < 0 || cat < 1 || cat >= d->nk || !d->category[cat][0] || dec < 1 || dec >= d->nd ||
        !d->decision[dec][0] || out < 0 || out >= d->no || (out && !d->outcome[out][0])) {
        snprintf(w->step_error, sizeof w->step_error,
                 "case_record: unknown country '%s', category_id %lld, decision_id %lld or "
                 "outcome_id %lld (received_day %lld)",
                 code ? code : "", (long long)cat, (long long)dec, (long long)out,
                 (long long)rday);
        sqlite3_result_error(ctx, w->step_error, -1);
        return;
    }
    int k = (int)cat;
    acc *a = &w->a;
    int64_t *cell = a->counts + cell_index(d, p, c, k);
    cell[K_RECEIVED]++;
    cell[K_DEC0 + dec]++;
    if (d->assessed[dec])
        cell[K_ASSESSED]++;
    bool actioned = false, final = false, forwarded = dec == d->forwarded_id;
    if (forwarded) {
        cell[K_FORWARDED]++;
        if (out == 0 || !d->final[out]) {
            cell[K_OPENDING]++;
        } else {
            final = true;
            cell[K_OUT0 + out]++;
            if (d->actioned[out]) {
                actioned = true;
                cell[K_ACTIONED]++;
            }
        }
    }
    /* hours: an end "exists" when it is given with its time of day */
    bool has_r = sqlite3_value_int64(v[9]) == 2;
    bool has_d = sqlite3_value_type(v[6]) != SQLITE_NULL && sqlite3_value_int64(v[10]) == 2;
    bool has_f = sqlite3_value_type(v[7]) != SQLITE_NULL && sqlite3_value_int64(v[11]) == 2;
    bool has_o = sqlite3_value_type(v[8]) != SQLITE_NULL && sqlite3_value_int64(v[12]) == 2;
    int64_t rts = sqlite3_value_int64(v[5]);
    int64_t dts = has_d ? sqlite3_value_int64(v[6]) : 0;
    int64_t fts = has_f ? sqlite3_value_int64(v[7]) : 0;
    int64_t ots = has_o ? sqlite3_value_int64(v[8]) : 0;
    if (has_r && has_d)
        push_duration(a, p, D_RD, c, k, dts - rts);
    if (has_d && has_f)
        push_duration(a, p, D_DF, c, k, fts - dts);
    if (final && has_o) {
        if (has_r)
            push_duration(a, p, D_RO, c, k, ots - rts);
        if (has_f) {
            int64_t sec = ots - fts;
            push_duration(a, p, D_TR, c, k, sec);
            if (actioned && sec >= 0 && sec < MAX_SECONDS) {
                push_duration(a, p, D_TA, c, k, sec);
                cell[K_W24] += sec <= 24 * 3600;
                cell[K_W48] += sec <= 48 * 3600;
                cell[K_W7D] += sec <= 7 * 24 * 3600;
            }
        }
    }
    /* days: an end exists when it has a date; as days since 1970-01-01 */
    bool dd_d = sqlite3_value_type(v[15]) != SQLITE_NULL;
    bool dd_f = sqlite3_value_type(v[16]) != SQLITE_NULL;
    bool dd_o = sqlite3_value_type(v[17]) != SQLITE_NULL;
    int64_t rd = vsp_day_to_days((int32_t)rday);
    int64_t dd = dd_d ? vsp_day_to_days((int32_t)sqlite3_value_int64(v[15])) : 0;
    int64_t fd = dd_f ? vsp_day_to_days((int32_t)sqlite3_value_int64(v[16])) : 0;
    int64_t od = dd_o ? vsp_day_to_days((int32_t)sqlite3_value_int64(v[17])) : 0;
    /* where both ends have a time, the instants must be in order too */
    if (dd_d && !(has_r && has_d && dts < rts))
        push_duration(a, p, DAYS(D_RD), c, k, dd - rd);
    if (dd_d && dd_f && !(has_d && has_f && fts < dts))
        push_duration(a, p, DAYS(D_DF), c, k, fd - dd);
    if (final && dd_o) {
        if (!(has_r && has_o && ots < rts))
            push_duration(a, p, DAYS(D_RO), c, k, od - rd);
        if (dd_f && !(has_f && has_o && ots < fts) && od >= fd) {
            int64_t days = od - fd;
            push_duration(a, p, DAYS(D_TR), c, k, days);
            if (actioned) {
                push_duration(a, p, DAYS(D_TA), c, k, days);
                cell[K_WD1] += days <= 1;
                cell[K_WD2] += days <= 2;
                cell[K_WD7] += days <= 7;
            }
        }
    }
    /* the cohort of the period's forwarded items with a forwarding date:
     * actioned within 1, 2, 7, 14 days of it */
    if (forwarded && dd_f) {
        cell[K_COHN]++;
        if (actioned && dd_o && od >= fd && !(has_f && has_o && ots < fts)) {
            int64_t days = od - fd;
            cell[K_COH1] += days <= 1;
            cell[K_COH2] += days <= 2;
            cell[K_COH7] += days <= 7;
            cell[K_COH14] += days <= 14;
        }
    }
    /* the next period's comparison at the same lag: this case as it stood
     * lag_cut[p][c]; an event without a date counts as it stands now */
    if (p + 1 < d->np && d->lag_cut[p][c] != INT64_MIN && rd <= d->lag_cut[p][c]) {
        int64_t cut = d->lag_cut[p][c];
        int64_t *next = a->counts + cell_index(d, p + 1, c, k);
        next[K_LREC]++;
        bool decided = !dd_d || dd <= cut;
        if (d->assessed[dec] && decided)
            next[K_LASS]++;
        if (forwarded && decided && (!dd_f || fd <= cut)) {
            next[K_LFWD]++;
            if (final && (!dd_o || od <= cut)) {
                if (actioned)
                    next[K_LACT]++;
            } else {
                next[K_LPEND]++;
            }
        }
    }
    int64_t first = sqlite3_value_int64(v[13]), last = sqlite3_value_int64(v[14]);
    run_add(&a->runs[p], first);
    if (last != first)
        run_add(&a->runs[p], last);
}

static void key_flush(worker *w)
{
    xb_keys *x = &w->keys;
    if (x->have_prev && popcount32(x->mask) >= 2) {
        if (x->n == x->cap) {
            x->cap = x->cap ? x->cap * 2 : 64;
            x->off = vsp_xrealloc(x->off, x->cap * sizeof *x->off);
        }
        x->off[x->n++] = x->arena.len;
        vsp_buf_append(&x->arena, x->prev.data, x->prev.len + 1);
    }
}

/* vsp_agg_key(content_key, country), rows in key order. */
static void key_step(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
    worker *w = sqlite3_user_data(ctx);
    xb_keys *x = &w->keys;
    if (argc != 2)
        return;
    const char *key = (const char *)sqlite3_value_text(v[0]);
    int klen = sqlite3_value_bytes(v[0]);
    if (!key)
        return;
    const char *code = (const char *)sqlite3_value_text(v[1]);
    int c = code ? country_of(w, code, sqlite3_value_bytes(v[1])) : -1;
    if (x->have_prev && (size_t)klen == x->prev.len && memcmp(key, x->prev.data, x->prev.len) == 0) {
        if (c >= 0)
            x->mask |= 1u << c;
        return;
    }
    if (x->have_prev) {
        size_t m = (size_t)klen < x->prev.len ? (size_t)klen : x->prev.len;
        int r = memcmp(key, x->prev.data, m);
        if (r < 0 || (r == 0 && (size_t)klen < x->prev.len))
            x->out_of_order = true;
    }
    key_flush(w);
    vsp_buf_clear(&x->prev);
    vsp_buf_append(&x->prev, key, (size_t)klen);
    x->have_prev = true;
    x->mask = c >= 0 ? 1u << c : 0;
}

static void agg_final(sqlite3_context *ctx)
{
    sqlite3_result_null(ctx);
}

static vsp_status scan_span(worker *w, int32_t start, int32_t end)
{
    vsp_status s = VSP_ESOFTWARE;
    sqlite3_stmt *st = prepare_wrapped(w->store, "agg_cases", "vsp_agg_case", &w->err);
    if (!st)
        return w->err.status;
    w->country = -1;
    w->step_error[0] = '\0';
    bind_int(st, ":start_day", start);
    bind_int(st, ":end_day", end);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE) {
        if (w->step_error[0])
            s = vsp_error_set(&w->err, VSP_EDATA, "%s", w->step_error);
        else
            s = vsp_store_error(w->store, &w->err, "reading the cases");
        goto out;
    }
    s = VSP_OK;
out:
    sqlite3_finalize(st);
    return s;
}

static int cmp_item(const void *pa, const void *pb)
{
    const xb_item *a = pa, *b = pb;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    if (a->first_ts != b->first_ts)
        return a->first_ts < b->first_ts ? -1 : 1;
    return a->key_ord < b->key_ord ? -1 : a->key_ord > b->key_ord;
}

/* Cross-border items: candidate keys in key order, then each key's cases
 * of the scanned span placed in periods. */
static vsp_status scan_crossborder(worker *w)
{
    const dims *d = w->d;
    vsp_status s = VSP_ESOFTWARE;
    w->country = -1;
    sqlite3_stmt *st = prepare_wrapped(w->store, "agg_xb_keys", "vsp_agg_key", &w->err);
    if (!st)
        return w->err.status;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE) {
        s = vsp_store_error(w->store, &w->err, "reading the content keys");
        goto out;
    }
    key_flush(w);
    w->keys.have_prev = false;
    if (w->keys.out_of_order) {
        s = vsp_error_set(&w->err, VSP_ESOFTWARE,
                          "queries/agg_xb_keys.sql did not return the keys in order");
        goto out;
    }
    sqlite3_finalize(st);
    if (tracing())
        fprintf(stderr, "aggregate: content keys read, cpu %.3f s\n", thread_cpu());
    if (!(st = vsp_store_prepare(w->store, "agg_xb_cases", &w->err)))
        return w->err.status;
    for (size_t i = 0; i < w->keys.n; i++) {
        uint32_t mask[MAX_P] = {0};
        int64_t first_ts[MAX_P] = {0};
        int first_c[MAX_P] = {0}, first_cat[MAX_P] = {0};
        int32_t first_day[MAX_P] = {0};
        sqlite3_reset(st);
        bind_text(st, ":content_key", w->keys.arena.data + w->keys.off[i]);
        bind_int(st, ":start_day", d->scan_start);
        bind_int(st, ":end_day", d->scan_end);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int c = country_index(d, (const char *)sqlite3_column_text(st, 0));
            int p = period_of(d, sqlite3_column_int64(st, 1));
            int64_t ts = sqlite3_column_int64(st, 2);
            int64_t cat = sqlite3_column_int64(st, 3);
            if (c < 0 || p < 0 || cat < 1 || cat >= d->nk)
                continue;
            /* first received: earliest instant, then country, then category */
            bool first = !mask[p] || ts < first_ts[p] ||
                         (ts == first_ts[p] && (c < first_c[p] ||
                                                (c == first_c[p] && cat < first_cat[p])));
            if (first) {
                first_ts[p] = ts;
                first_c[p] = c;
                first_cat[p] = (int)cat;
                first_day[p] = (int32_t)sqlite3_column_int64(st, 1);
            }
            mask[p] |= 1u << c;
        }
        if (rc != SQLITE_DONE) {
            s = vsp_store_error(w->store, &w->err, "reading the cases of a cross-border key");
            goto out;
        }
        for (int p = 0; p < d->np; p++) {
            int n = popcount32(mask[p]);
            if (n < 2)
                continue;
            xb_result *r = w->xb;
            if (r->n == r->cap) {
                r->cap = r->cap ? r->cap * 2 : 64;
                r->v = vsp_xrealloc(r->v, r->cap * sizeof *r->v);
            }
            xb_item *it = &r->v[r->n++];
            it->p = p;
            it->mask = mask[p];
            it->n = n;
            it->cat = first_cat[p];
            it->first_c = first_c[p];
            it->first_ts = first_ts[p];
            it->first_day = first_day[p];
            it->key_ord = i;
        }
    }
    if (w->xb->n)
        qsort(w->xb->v, w->xb->n, sizeof *w->xb->v, cmp_item);
    s = VSP_OK;
out:
    sqlite3_finalize(st);
    return s;
}

static vsp_status register_functions(worker *w)
{
    if (sqlite3_create_function(vsp_store_db(w->store), "vsp_agg_case", 18, SQLITE_UTF8, w, NULL, case_step,
                                agg_final) != SQLITE_OK ||
        sqlite3_create_function(vsp_store_db(w->store), "vsp_agg_key", 2, SQLITE_UTF8, w, NULL, key_step,
                                agg_final) != SQLITE_OK)
        return vsp_store_error(w->store, &w->err, "registering the aggregate functions");
    return VSP_OK;
}

static void unregister_functions(vsp_store *store)
{
    sqlite3 *db = vsp_store_db(store);
    sqlite3_create_function(db, "vsp_agg_case", 18, SQLITE_UTF8, NULL, NULL, NULL, NULL);
    sqlite3_create_function(db, "vsp_agg_key", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
}

/* Task 0 is the cross-border scan (the longest one), then the day spans. */
static vsp_status run_task(worker *w, int task)
{
    double t0 = tracing() ? trace_now() : 0, c0 = tracing() ? thread_cpu() : 0;
    vsp_status s = task == 0 ? scan_crossborder(w)
                             : scan_span(w, w->spans[task - 1][0], w->spans[task - 1][1]);
    if (tracing()) {
        if (task == 0)
            fprintf(stderr, "aggregate: cross-border scan %.3f s, cpu %.3f s (%zu candidate keys)\n",
                    trace_now() - t0, thread_cpu() - c0, w->keys.n);
        else
            fprintf(stderr, "aggregate: scan %d..%d %.3f s, cpu %.3f s\n", (int)w->spans[task - 1][0],
                    (int)w->spans[task - 1][1], trace_now() - t0, thread_cpu() - c0);
    }
    return s;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    if (w->own_store) {
        if (!(w->store = vsp_store_open_readonly(w->path, &w->err)))
            return NULL;
    }
    if (register_functions(w) != VSP_OK)
        return NULL;
    for (;;) {
        pthread_mutex_lock(w->lock);
        int task = (*w->next_task)++;
        pthread_mutex_unlock(w->lock);
        if (task >= w->n_tasks)
            break;
        if (run_task(w, task) != VSP_OK) {
            /* stop the others early */
            pthread_mutex_lock(w->lock);
            *w->next_task = w->n_tasks;
            pthread_mutex_unlock(w->lock);
            break;
        }
    }
    return NULL;
}

/* ---- merging, sorting, quantiles -------------------------------------- */

static void radix_sort(uint32_t *v, size_t n, uint32_t *tmp)
{
    if (n < 2)
        return;
    uint32_t max = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] > max)
            max = v[i];
    enum { BITS = 11, BUCKETS = 1 << BITS };
    size_t count[BUCKETS];
    uint32_t *src = v, *dst = tmp;
    for (int shift = 0; shift < 32 && (max >> shift) != 0; shift += BITS) {
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & (BUCKETS - 1)]++;
        if (count[(src[0] >> shift) & (BUCKETS - 1)] == n)
            continue; /* this digit is the same everywhere */
        size_t sum = 0;
        for (size_t b = 0; b < BUCKETS; b++) {
            size_t t = count[b];
            count[b] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & (BUCKETS - 1)]++] = src[i];
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
}

/* Ranks of quantile tenths/10 among n values, exactly: position
 * (n-1)*tenths/10 = lo + rem/10. */
static void exact_ranks(int64_t n, int tenths, int64_t *lo, int64_t *hi, int *rem)
{
    int64_t num = (n > 0 ? n - 1 : 0) * tenths;
    *lo = num / 10;
    *rem = (int)(num % 10);
    *hi = *rem ? *lo + 1 : *lo;
}

/* The quantile in hours from the seconds at its two ranks: exact in tenths
 * of a second (lo*10 + (hi-lo)*rem), then one correctly rounded division,
 * so that every implementation that interpolates the same way prints the
 * same digits. */
static double exact_hours(int64_t s_lo, int64_t s_hi, int rem)
{
    int64_t tenths = s_lo * 10 + (s_hi - s_lo) * rem;
    return (double)tenths / 36000.0;
}

/* The same in days from whole days: a multiple of 0.1 day. */
static double exact_days(int64_t d_lo, int64_t d_hi, int rem)
{
    int64_t tenths = d_lo * 10 + (d_hi - d_lo) * rem;
    return (double)tenths / 10.0;
}

/* Median and P90 (hours) of every group of one (period, duration). */
typedef struct qgroup {
    int64_t n, seen;
    int64_t rank[4];   /* lo50, hi50, lo90, hi90 */
    int rem50, rem90;
    int64_t val[4];    /* seconds at those ranks */
} qgroup;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* One value, in sorted order, into the four groups it counts in: its
 * country and category, its country, the region's category, the region. */
static void quantile_feed(qgroup *g, int nk, int R, uint64_t x)
{
    int k = (int)(x & 31), c = (int)((x >> 5) & 15);
    int64_t secs = (int64_t)(x >> PACK_SHIFT);
    qgroup *gs[4] = {&g[c * nk + k], &g[c * nk], &g[R * nk + k], &g[R * nk]};
    for (int j = 0; j < 4; j++) {
        qgroup *q = gs[j];
        int64_t r = q->seen++;
        for (int m = 0; m < 4; m++)
            if (q->rank[m] == r)
                q->val[m] = secs;
    }
}

/* v sorted: its small values, then its big ones. */
static void quantiles_of(const dims *d, const int64_t *counts, int p, int dur, const durvec *v,
                         double *median, double *p90)
{
    int G = (d->nc + 1) * d->nk;
    qgroup *g = vsp_xcalloc((size_t)G, sizeof *g);
    for (int c = 0; c <= d->nc; c++)
        for (int k = 0; k < d->nk; k++) {
            qgroup *q = &g[c * d->nk + k];
            q->n = counts[cell_index(d, p, c, k) + K_DURN + dur];
            exact_ranks(q->n, 5, &q->rank[0], &q->rank[1], &q->rem50);
            exact_ranks(q->n, 9, &q->rank[2], &q->rank[3], &q->rem90);
        }
    for (size_t i = 0; i < v->n; i++)
        quantile_feed(g, d->nk, d->nc, v->v[i]);
    for (size_t i = 0; i < v->big.n; i++)
        quantile_feed(g, d->nk, d->nc, v->big.v[i]);
    for (int i = 0; i < G; i++) {
        qgroup *q = &g[i];
        if (q->n == 0 || q->seen != q->n) {
            median[i] = p90[i] = NAN;
            continue;
        }
        if (dur >= N_DUR) {
            median[i] = exact_days(q->val[0], q->val[1], q->rem50);
            p90[i] = exact_days(q->val[2], q->val[3], q->rem90);
        } else {
            median[i] = exact_hours(q->val[0], q->val[1], q->rem50);
            p90[i] = exact_hours(q->val[2], q->val[3], q->rem90);
        }
    }
    free(g);
}

/* Medians and P90s of one period: [duration slot][(nc + 1) * nk] hours
 * (slots < N_DUR) or days, NaN where n = 0. */
typedef struct period_quantiles {
    double *median[N_SLOT], *p90[N_SLOT];
} period_quantiles;

typedef struct quantile_job {
    const dims *d;
    acc *a;
    period_quantiles *pq;
    pthread_mutex_t *lock;
    int next, n;
} quantile_job;

/* Sort each duration of a period once and read every group's quantiles. */
static void period_quantiles_compute(const dims *d, acc *a, int p, period_quantiles *pq)
{
    size_t G = (size_t)(d->nc + 1) * (size_t)d->nk, maxn = 0;
    for (int i = 0; i < N_SLOT; i++) {
        pq->median[i] = vsp_xmalloc(G * sizeof(double));
        pq->p90[i] = vsp_xmalloc(G * sizeof(double));
        if (a->dur[p][i].n > maxn)
            maxn = a->dur[p][i].n;
    }
    uint32_t *tmp = vsp_xmalloc((maxn ? maxn : 1) * sizeof *tmp);
    for (int i = 0; i < N_SLOT; i++) {
        durvec *v = &a->dur[p][i];
        radix_sort(v->v, v->n, tmp);
        if (v->big.n > 1)
            qsort(v->big.v, v->big.n, sizeof *v->big.v, cmp_u64);
        quantiles_of(d, a->counts, p, i, v, pq->median[i], pq->p90[i]);
    }
    free(tmp);
}

static void *quantile_main(void *arg)
{
    quantile_job *j = arg;
    for (;;) {
        pthread_mutex_lock(j->lock);
        int p = j->next++;
        pthread_mutex_unlock(j->lock);
        if (p >= j->n)
            break;
        period_quantiles_compute(j->d, j->a, p, &j->pq[p]);
    }
    return NULL;
}

/* Every period's quantiles, on up to nthreads threads (the periods are
 * independent; each thread takes the next one). */
static void all_quantiles(const dims *d, acc *a, period_quantiles *pq, int nthreads)
{
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    quantile_job job = {d, a, pq, &lock, 0, d->np};
    pthread_t tid[MAX_THREADS];
    int started = 0;
    for (int i = 1; i < nthreads && i < d->np; i++)
        if (pthread_create(&tid[started], NULL, quantile_main, &job) == 0)
            started++;
    quantile_main(&job);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&lock);
}

static void period_quantiles_fini(period_quantiles *pq)
{
    for (int i = 0; i < N_SLOT; i++) {
        free(pq->median[i]);
        free(pq->p90[i]);
    }
}

/* ---- output ---------------------------------------------------------------- */

typedef struct metric_def {
    char name[48];
    int kind;  /* what to compute, see emit_value */
    int arg;
} metric_def;

enum {
    M_COUNT,      /* counts[arg] */
    M_VIOLATION_RATE,
    M_ACTION_RATE,
    M_POPULATION,
    M_PER100K,    /* counts[arg] per 100 000 */
    M_MEDIAN,     /* duration slot arg */
    M_P90,
    M_SHARE,      /* counts[arg] / n_to_action (hours) */
    M_DSHARE,     /* counts[arg] / n_to_action (days) */
    M_COHORT,     /* counts[K_COH0 + ...] / cohort n, NULL until arg days after the end */
    M_LAG_RATE,   /* arg 0: violation rate, 1: action rate, at the same lag */
    M_LAG_COUNT,  /* counts[arg], NULL for the oldest period (no previous one scanned) */
    M_LAG_DAYS,   /* as_of - end of the period, in days ('*' only) */
    M_AS_OF,      /* YYYYMMDD ('*' only) */
    M_AS_OF_STATED, /* 1 if from a stated export date ('*' only) */
    M_PROVISIONAL /* 0/1 ('*' only) */
};

/* Metrics stored for category '*' only. */
static bool star_only(int kind)
{
    return kind == M_POPULATION || kind == M_LAG_DAYS || kind == M_AS_OF ||
           kind == M_AS_OF_STATED || kind == M_PROVISIONAL;
}

static int cmp_metric(const void *a, const void *b)
{
    return strcmp(((const metric_def *)a)->name, ((const metric_def *)b)->name);
}

static size_t build_metrics(const dims *d, metric_def *m)
{
    size_t n = 0;
#define ADD(nm, kd, ag)                                         \
    do {                                                        \
        snprintf(m[n].name, sizeof m[n].name, "%s", nm);        \
        m[n].kind = (kd);                                       \
        m[n].arg = (ag);                                        \
        n++;                                                    \
    } while (0)
    ADD("received", M_COUNT, K_RECEIVED);
    ADD("assessed", M_COUNT, K_ASSESSED);
    ADD("forwarded", M_COUNT, K_FORWARDED);
    ADD("actioned", M_COUNT, K_ACTIONED);
    ADD("outcome_pending", M_COUNT, K_OPENDING);
    char name[48];
    for (int i = 1; i < d->nd; i++)
        if (d->decision[i][0]) {
            snprintf(name, sizeof name, "decision_%s", d->decision[i]);
            ADD(name, M_COUNT, K_DEC0 + i);
        }
    for (int i = 1; i < d->no; i++)
        if (d->outcome[i][0] && d->final[i]) {
            snprintf(name, sizeof name, "outcome_%s", d->outcome[i]);
            ADD(name, M_COUNT, K_OUT0 + i);
        }
    ADD("violation_rate", M_VIOLATION_RATE, 0);
    ADD("action_rate", M_ACTION_RATE, 0);
    ADD("population", M_POPULATION, 0);
    ADD("received_per100k", M_PER100K, K_RECEIVED);
    ADD("forwarded_per100k", M_PER100K, K_FORWARDED);
    ADD("actioned_per100k", M_PER100K, K_ACTIONED);
    for (int i = 0; i < N_DUR; i++) {
        snprintf(name, sizeof name, "h_%s_median", dur_name[i]);
        ADD(name, M_MEDIAN, i);
        snprintf(name, sizeof name, "h_%s_p90", dur_name[i]);
        ADD(name, M_P90, i);
        snprintf(name, sizeof name, "h_%s_n", dur_name[i]);
        ADD(name, M_COUNT, K_DURN + i);
    }
    for (int i = 0; i < N_DUR; i++) {
        snprintf(name, sizeof name, "d_%s_median", dur_name[i]);
        ADD(name, M_MEDIAN, DAYS(i));
        snprintf(name, sizeof name, "d_%s_p90", dur_name[i]);
        ADD(name, M_P90, DAYS(i));
        snprintf(name, sizeof name, "d_%s_n", dur_name[i]);
        ADD(name, M_COUNT, K_DURN + DAYS(i));
    }
    ADD("share_24h", M_SHARE, K_W24);
    ADD("share_48h", M_SHARE, K_W48);
    ADD("share_7d", M_SHARE, K_W7D);
    ADD("d_share_1d", M_DSHARE, K_WD1);
    ADD("d_share_2d", M_DSHARE, K_WD2);
    ADD("d_share_7d", M_DSHARE, K_WD7);
    ADD("cohort_n", M_COUNT, K_COHN);
    ADD("cohort_1d", M_COHORT, 1);
    ADD("cohort_2d", M_COHORT, 2);
    ADD("cohort_7d", M_COHORT, 7);
    ADD("cohort_14d", M_COHORT, 14);
    ADD("lag_days", M_LAG_DAYS, 0);
    ADD("lag_prev_received", M_LAG_COUNT, K_LREC);
    ADD("lag_prev_assessed", M_LAG_COUNT, K_LASS);
    ADD("lag_prev_forwarded", M_LAG_COUNT, K_LFWD);
    ADD("lag_prev_actioned", M_LAG_COUNT, K_LACT);
    ADD("lag_prev_outcome_pending", M_LAG_COUNT, K_LPEND);
    ADD("lag_prev_violation_rate", M_LAG_RATE, 0);
    ADD("lag_prev_action_rate", M_LAG_RATE, 1);
    ADD("data_as_of", M_AS_OF, 0);
    ADD("data_as_of_stated", M_AS_OF_STATED, 0);
    ADD("provisional", M_PROVISIONAL, 0);
    ADD("cross_border_items", M_COUNT, K_XB);
#undef ADD
    qsort(m, n, sizeof *m, cmp_metric);
    return n;
}

typedef struct writer {
    const dims *d;
    const int64_t *counts;
    const int64_t *pop;          /* [nc + 1], 0 = unknown */
    const double *median[N_SLOT], *p90[N_SLOT]; /* [(nc+1)*nk] for the period */
} writer;

/* Value of metric m for (p, c, k); false for NULL. */
static bool metric_value(const writer *wr, const metric_def *m, int p, int c, int k, double *out)
{
    const dims *d = wr->d;
    const int64_t *cell = wr->counts + cell_index(d, p, c, k);
    switch (m->kind) {
    case M_COUNT:
        *out = (double)cell[m->arg];
        return true;
    case M_VIOLATION_RATE:
        if (cell[K_ASSESSED] == 0)
            return false;
        *out = (double)cell[K_FORWARDED] / (double)cell[K_ASSESSED];
        return true;
    case M_ACTION_RATE: {
        int64_t den = cell[K_FORWARDED] - cell[K_OPENDING];
        if (den == 0)
            return false;
        *out = (double)cell[K_ACTIONED] / (double)den;
        return true;
    }
    case M_POPULATION:
        if (wr->pop[c] <= 0)
            return false;
        *out = (double)wr->pop[c];
        return true;
    case M_PER100K:
        if (wr->pop[c] <= 0)
            return false;
        *out = (double)cell[m->arg] * 100000.0 / (double)wr->pop[c];
        return true;
    case M_MEDIAN:
    case M_P90: {
        double x = (m->kind == M_MEDIAN ? wr->median : wr->p90)[m->arg][c * d->nk + k];
        if (isnan(x))
            return false;
        *out = x;
        return true;
    }
    case M_SHARE:
        if (cell[K_DURN + D_TA] == 0)
            return false;
        *out = (double)cell[m->arg] / (double)cell[K_DURN + D_TA];
        return true;
    case M_DSHARE:
        if (cell[K_DURN + DAYS(D_TA)] == 0)
            return false;
        *out = (double)cell[m->arg] / (double)cell[K_DURN + DAYS(D_TA)];
        return true;
    case M_COHORT: {
        /* undistorted by censoring only once every item of the period has
         * had its arg days: as of at least arg days after the period's end */
        int32_t as_of = d->as_of[c];
        if (cell[K_COHN] == 0 || as_of == 0 ||
            vsp_day_to_days(as_of) - vsp_day_to_days(d->periods[p].end_day) < m->arg)
            return false;
        int idx = m->arg == 1 ? K_COH1 : m->arg == 2 ? K_COH2 : m->arg == 7 ? K_COH7 : K_COH14;
        *out = (double)cell[idx] / (double)cell[K_COHN];
        return true;
    }
    case M_LAG_COUNT:
        if (p == 0 || d->as_of[c] == 0)
            return false;
        *out = (double)cell[m->arg];
        return true;
    case M_LAG_RATE: {
        if (p == 0 || d->as_of[c] == 0)
            return false;
        int64_t num = m->arg == 0 ? cell[K_LFWD] : cell[K_LACT];
        int64_t den = m->arg == 0 ? cell[K_LASS] : cell[K_LFWD] - cell[K_LPEND];
        if (den == 0)
            return false;
        *out = (double)num / (double)den;
        return true;
    }
    case M_LAG_DAYS:
        if (d->as_of[c] == 0)
            return false;
        *out = (double)(vsp_day_to_days(d->as_of[c]) - vsp_day_to_days(d->periods[p].end_day));
        return true;
    case M_AS_OF:
        if (d->as_of[c] == 0)
            return false;
        *out = (double)d->as_of[c];
        return true;
    case M_AS_OF_STATED:
        if (c == d->nc || d->as_of[c] == 0)
            return false;
        *out = d->as_of_stated[c];
        return true;
    case M_PROVISIONAL:
        /* DESIGN §5: outcomes still arriving (forwarded without a final
         * outcome at the as-of date) or as of less than 30 days after the
         * period's end */
        if (d->as_of[c] == 0)
            return false;
        *out = cell[K_OPENDING] > 0 ||
               vsp_day_to_days(d->as_of[c]) - vsp_day_to_days(d->periods[p].end_day) < 30;
        return true;
    }
    return false;
}

/* ---- population --------------------------------------------------------- */

/* Split one CSV line into at most nf fields (quotes as in RFC 4180, within
 * the line).  Returns the field count or -1 on a broken quote. */
static int csv_split(char *line, char **f, int nf)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == nf)
            return n + 1;
        char *o = p;
        f[n++] = o;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0')
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *o++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *o++ = *p++;
                }
            }
            if (*p != ',' && *p != '\0')
                return -1;
        } else {
            while (*p && *p != ',')
                *o++ = *p++;
        }
        char end = *p;
        *o = '\0';
        if (end == '\0')
            return n;
        p++;
    }
}

static bool parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    size_t len;
    s = vsp_trim(s, strlen(s), &len);
    if (len == 0 || len > 18)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '_')
            continue; /* "2 402 113" */
        if (ch < '0' || ch > '9')
            return false;
        v = v * 10 + (ch - '0');
    }
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

vsp_status vsp_aggregate_load_population(vsp_store *store, const char *csv_path, vsp_error *err)
{
    vsp_error local;
    if (!err)
        err = &local;
    vsp_status s = VSP_ESOFTWARE;
    sqlite3_stmt *st = NULL;
    char *line = NULL;
    size_t cap = 0;
    FILE *fp = fopen(csv_path, "r");
    if (!fp)
        return vsp_error_set(err, VSP_ENOINPUT, "%s: cannot open population table: %s", csv_path,
                             strerror(errno));
    dims d;
    if ((s = load_dims(store, &d, err)) != VSP_OK)
        goto out;
    if (!(st = vsp_store_prepare(store, "agg_population_set", err))) {
        s = err->status;
        goto out;
    }
    long lineno = 0, rows = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = '\0';
        char *text = line;
        if (lineno == 1 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
            (unsigned char)text[2] == 0xBF)
            text += 3;
        size_t tl;
        vsp_trim(text, strlen(text), &tl);
        if (tl == 0)
            continue;
        char *f[4];
        int n = csv_split(text, f, 4);
        if (n != 4) {
            s = vsp_error_set(err, VSP_EDATA,
                              "%s:%ld: expected 4 fields country,population,year,source; "
                              "found %s",
                              csv_path, lineno, n < 0 ? "a broken quote" : "another count");
            goto out;
        }
        size_t cl;
        const char *cc = vsp_trim(f[0], strlen(f[0]), &cl);
        if (lineno == 1 && cl == 7 && vsp_ascii_iequal(cc, "country"))
            continue; /* header */
        char code[8] = "";
        if (cl < sizeof code)
            memcpy(code, cc, cl), code[cl] = '\0';
        if (country_index(&d, code) < 0) {
            s = vsp_error_set(err, VSP_EDATA,
                              "%s:%ld: unknown country '%.*s'; use a code of the country table "
                              "(AL BA ME MK RS XK)",
                              csv_path, lineno, (int)(cl > 20 ? 20 : cl), cc);
            goto out;
        }
        int64_t pop, year;
        if (!parse_int(f[1], 1, INT64_C(10000000000), &pop)) {
            s = vsp_error_set(err, VSP_EDATA,
                              "%s:%ld: population '%s' is not a whole number greater than 0",
                              csv_path, lineno, f[1]);
            goto out;
        }
        if (!parse_int(f[2], 1000, 9999, &year)) {
            s = vsp_error_set(err, VSP_EDATA, "%s:%ld: year '%s' is not a year like 2023",
                              csv_path, lineno, f[2]);
            goto out;
        }
        size_t sl;
        const char *src = vsp_trim(f[3], strlen(f[3]), &sl);
        if (sl == 0) {
            s = vsp_error_set(err, VSP_EDATA,
                              "%s:%ld: the source is empty; name the statistical office and "
                              "census",
                              csv_path, lineno);
            goto out;
        }
        char *srcz = vsp_xstrndup(src, sl);
        bind_text(st, ":country", code);
        bind_int(st, ":population", pop);
        bind_int(st, ":year", year);
        bind_text(st, ":source", srcz);
        free(srcz);
        if ((s = vsp_store_step_done(store, st, "updating the population table", err)) != VSP_OK)
            goto out;
        rows++;
    }
    if (ferror(fp)) {
        s = vsp_error_set(err, VSP_EIO, "%s: read error: %s", csv_path, strerror(errno));
        goto out;
    }
    if (rows == 0) {
        s = vsp_error_set(err, VSP_EDATA, "%s: no population rows (country,population,year,source)",
                          csv_path);
        goto out;
    }
    s = VSP_OK;
out:
    free(line);
    sqlite3_finalize(st);
    fclose(fp);
    return s;
}

/* The data freeze and the newest ingest run id (0 if none). */
static vsp_status data_freeze(vsp_store *store, char buf[32], int64_t *last_run, vsp_error *err);

vsp_status vsp_aggregate_data_freeze(vsp_store *store, char buf[32], vsp_error *err)
{
    int64_t run;
    return data_freeze(store, buf, &run, err);
}

static vsp_status data_freeze(vsp_store *store, char buf[32], int64_t *last_run, vsp_error *err)
{
    vsp_error local;
    if (!err)
        err = &local;
    buf[0] = '\0';
    *last_run = 0;
    sqlite3_stmt *st = vsp_store_prepare(store, "agg_freeze", err);
    if (!st)
        return err->status;
    vsp_status s = VSP_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (t)
            snprintf(buf, 32, "%s", t);
        *last_run = sqlite3_column_int64(st, 1);
    } else if (rc != SQLITE_DONE) {
        s = vsp_store_error(store, err, "reading the data freeze");
    }
    sqlite3_finalize(st);
    return s;
}

/* Today's date as stated: SOURCE_DATE_EPOCH when set, else the clock (UTC). */
static int32_t stated_today(void)
{
    char now[32];
    int y, m, dd;
    vsp_store_utc_now(now);
    if (sscanf(now, "%4d-%2d-%2d", &y, &m, &dd) == 3 && vsp_date_valid(y, m, dd))
        return y * 10000 + m * 100 + dd;
    return 0;
}

/* The latest as-of date of any country (0 when the warehouse holds no case). */
static vsp_status latest_as_of(vsp_store *store, int32_t *out, vsp_error *err)
{
    *out = 0;
    sqlite3_stmt *st = vsp_store_prepare(store, "agg_as_of", err);
    if (!st)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t day = sqlite3_column_type(st, 1) != SQLITE_NULL ? sqlite3_column_int64(st, 1)
                                                                : sqlite3_column_int64(st, 2);
        if (day >= 10000101 && day <= 99991231 && day > *out)
            *out = (int32_t)day;
    }
    vsp_status s = VSP_OK;
    if (rc != SQLITE_DONE)
        s = vsp_store_error(store, err, "reading how current the data are");
    sqlite3_finalize(st);
    return s;
}

vsp_status vsp_aggregate_default_period(vsp_store *store, vsp_period *out, bool *complete,
                                        vsp_error *err)
{
    vsp_error local;
    if (!err)
        err = &local;
    /* the data's own date, not the clock nor the time of the ingest */
    int32_t today;
    vsp_status s = latest_as_of(store, &today, err);
    if (s != VSP_OK)
        return s;
    if (today == 0)
        today = stated_today();
    vsp_period cur;
    vsp_period_containing(VSP_PERIOD_QUARTER, today, &cur);
    sqlite3_stmt *st = vsp_store_prepare(store, "agg_latest_day", err);
    if (!st)
        return err->status;
    int64_t latest = 0;
    bool done = false;
    for (int pass = 0; pass < 2 && !done; pass++) {
        sqlite3_reset(st);
        bind_int(st, ":before_day", pass == 0 ? cur.start_day : 100000000);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
            s = vsp_store_error(store, err, "finding the latest case");
            sqlite3_finalize(st);
            return s;
        }
        if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
            latest = sqlite3_column_int64(st, 0);
            if (complete)
                *complete = pass == 0;
            done = true;
        }
    }
    sqlite3_finalize(st);
    if (!done)
        return vsp_error_set(err, VSP_EDATA,
                             "the warehouse holds no cases yet; ingest case logs first "
                             "(vspreport ingest --db DB --profile PROFILE FILE...)");
    vsp_period_containing(VSP_PERIOD_QUARTER, (int32_t)latest, out);
    return VSP_OK;
}

/* The period and day vsp_aggregate_warn_future last checked in this
 * process (and in the processes forked from it): vsp_aggregate_ensure
 * does not scan the period's cases again for the same warning.  `run`
 * checks once after ingest, and its renderers, forked after, inherit it. */
static struct {
    char period[sizeof ((vsp_period *)0)->label];
    int32_t today;
} future_checked;

vsp_status vsp_aggregate_warn_future(vsp_store *store, const char *cmd, const vsp_period *period,
                                     FILE *to, int64_t *n_cases, vsp_error *err)
{
    vsp_error local;
    if (!err)
        err = &local;
    if (n_cases)
        *n_cases = 0;
    int32_t today = stated_today();
    if (today == 0)
        return VSP_OK;
    sqlite3_stmt *st = vsp_store_prepare(store, "agg_future", err);
    if (!st)
        return err->status;
    bind_int(st, ":start_day", period->start_day);
    bind_int(st, ":end_day", period->end_day);
    bind_int(st, ":today", today);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char t[11];
    vsp_day_format(today, t);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cc = (const char *)sqlite3_column_text(st, 0);
        int64_t n = sqlite3_column_int64(st, 1);
        char last[11];
        vsp_day_format((int32_t)sqlite3_column_int64(st, 2), last);
        if (n_cases)
            *n_cases += n;
        if (to)
            fprintf(to,
                    "vspreport %s: warning: %s holds %lld %s case(s) with events after %s, "
                    "the date stated as current%s (the latest on %s); check %s and the "
                    "case dates\n",
                    cmd, period->label, (long long)n, cc ? cc : "?", t,
                    sde && *sde ? " (SOURCE_DATE_EPOCH)" : "", last,
                    sde && *sde ? "SOURCE_DATE_EPOCH" : "the clock");
    }
    vsp_status s = VSP_OK;
    if (rc != SQLITE_DONE)
        s = vsp_store_error(store, err, "looking for events after today");
    sqlite3_finalize(st);
    if (s == VSP_OK) {
        snprintf(future_checked.period, sizeof future_checked.period, "%s", period->label);
        future_checked.today = today;
    }
    return s;
}

/* ---- the run ----------------------------------------------------------------- */

static int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* b's values onto a's; b left empty */
static void u64_append(u64vec *a, u64vec *b)
{
    for (size_t i = 0; i < b->n; i++)
        u64_push(a, b->v[i]);
    free(b->v);
    memset(b, 0, sizeof *b);
}

static void merge_acc(acc *into, acc *from, const dims *d)
{
    size_t n = (size_t)d->np * (size_t)(d->nc + 1) * (size_t)d->nk * N_K;
    for (size_t i = 0; i < n; i++)
        into->counts[i] += from->counts[i];
    for (int p = 0; p < d->np; p++) {
        for (int k = 0; k < N_SLOT; k++) {
            durvec *a = &into->dur[p][k], *b = &from->dur[p][k];
            u64_append(&a->big, &b->big);
            if (!b->n)
                continue;
            if (a->n + b->n > a->cap) {
                a->cap = a->n + b->n;
                a->v = vsp_xrealloc(a->v, a->cap * sizeof *a->v);
            }
            memcpy(a->v + a->n, b->v, b->n * sizeof *b->v);
            a->n += b->n;
            free(b->v);
            b->v = NULL;
            b->n = b->cap = 0;
        }
        for (size_t i = 0; i < from->runs[p].n; i++) {
            run_count rc = from->runs[p].v[i];
            run_list *l = &into->runs[p];
            size_t j;
            for (j = 0; j < l->n && l->v[j].run != rc.run; j++)
                ;
            if (j < l->n) {
                l->v[j].cases += rc.cases;
            } else {
                run_add(l, rc.run);
                l->v[l->n - 1].cases = rc.cases;
            }
        }
    }
}

/* Roll the per-(country, category) cells up into '*' and the region.
 * Cross-border counts are set from the items instead (an item shared by
 * two countries is one item of the region). */
static void roll_up(const dims *d, int64_t *counts, const xb_result *xb)
{
    int R = d->nc;
    for (int p = 0; p < d->np; p++) {
        for (int c = 0; c < d->nc; c++)
            for (int k = 1; k < d->nk; k++) {
                const int64_t *src = counts + cell_index(d, p, c, k);
                int64_t *star = counts + cell_index(d, p, c, 0);
                int64_t *reg = counts + cell_index(d, p, R, k);
                int64_t *regstar = counts + cell_index(d, p, R, 0);
                for (int i = 0; i < N_K; i++) {
                    if (i == K_XB)
                        continue;
                    star[i] += src[i];
                    reg[i] += src[i];
                    regstar[i] += src[i];
                }
            }
    }
    for (size_t i = 0; i < xb->n; i++) {
        const xb_item *it = &xb->v[i];
        for (int c = 0; c < d->nc; c++)
            if (it->mask & (1u << c)) {
                counts[cell_index(d, it->p, c, it->cat) + K_XB]++;
                counts[cell_index(d, it->p, c, 0) + K_XB]++;
            }
        counts[cell_index(d, it->p, R, it->cat) + K_XB]++;
        counts[cell_index(d, it->p, R, 0) + K_XB]++;
    }
}

static int cmp_run(const void *a, const void *b)
{
    const run_count *x = a, *y = b;
    return x->run < y->run ? -1 : x->run > y->run;
}

/* The period's rows of every aggregate table go, before they are written
 * anew. */
static vsp_status delete_period(vsp_store *store, const vsp_period *per, vsp_error *err)
{
    static const char *const del[] = {"agg_delete_quality_reason", "agg_delete_quality",
                                      "agg_delete_crossborder_pair", "agg_delete_crossborder",
                                      "agg_delete_metric", "agg_delete_run"};
    vsp_status s = VSP_OK;
    for (size_t i = 0; i < sizeof del / sizeof del[0] && s == VSP_OK; i++) {
        sqlite3_stmt *st = vsp_store_prepare(store, del[i], err);
        if (!st)
            return err->status;
        bind_text(st, ":period", per->label);
        s = vsp_store_step_done(store, st, "replacing the period's aggregates", err);
        sqlite3_finalize(st);
    }
    return s;
}

/* agg_run: the period's bounds, its data freeze, when and from which
 * ingest run it was computed, and its cases. */
static vsp_status write_run(vsp_store *store, const vsp_period *per, int64_t cases,
                            const char *freeze, int64_t last_run, const char *now,
                            vsp_error *err)
{
    sqlite3_stmt *st = vsp_store_prepare(store, "agg_insert_run", err);
    if (!st)
        return err->status;
    bind_text(st, ":period", per->label);
    bind_text(st, ":kind", vsp_period_kind_name(per->kind));
    bind_int(st, ":start_day", per->start_day);
    bind_int(st, ":end_day", per->end_day);
    if (freeze[0])
        bind_text(st, ":data_freeze", freeze);
    else
        bind_null(st, ":data_freeze");
    bind_text(st, ":computed_at", now);
    bind_int(st, ":cases", cases);
    if (last_run > 0)
        bind_int(st, ":last_run", last_run);
    else
        bind_null(st, ":last_run");
    vsp_status s = vsp_store_step_done(store, st, "recording the aggregated period", err);
    sqlite3_finalize(st);
    return s;
}

/* agg_metric: every metric of every (country and the region, category and
 * '*') cell of period p, in primary-key order; NULL where a metric has no
 * value. */
static vsp_status write_metrics(vsp_store *store, const dims *d, int p, const int64_t *counts,
                                const period_quantiles *pq, const int64_t *pop, vsp_error *err)
{
    vsp_status s = VSP_ESOFTWARE;
    const vsp_period *per = &d->periods[p];
    writer wr;
    memset(&wr, 0, sizeof wr);
    for (int i = 0; i < N_SLOT; i++) {
        wr.median[i] = pq->median[i];
        wr.p90[i] = pq->p90[i];
    }
    wr.d = d;
    wr.counts = counts;
    wr.pop = pop;
    metric_def defs[192];
    size_t nm = build_metrics(d, defs);
    sqlite3_stmt *st = vsp_store_prepare(store, "agg_insert_metric", err);
    if (!st)
        return err->status;
    int ip = sqlite3_bind_parameter_index(st, ":period");
    int ic = sqlite3_bind_parameter_index(st, ":country");
    int ik = sqlite3_bind_parameter_index(st, ":category");
    int im = sqlite3_bind_parameter_index(st, ":metric");
    int iv = sqlite3_bind_parameter_index(st, ":value");
    if (!ip || !ic || !ik || !im || !iv) {
        s = vsp_error_set(err, VSP_ESOFTWARE, "queries/agg_insert_metric.sql lacks a parameter");
        goto out;
    }
    sqlite3_bind_text(st, ip, per->label, -1, SQLITE_STATIC);
    for (int c = 0; c <= d->nc; c++) {
        sqlite3_bind_text(st, ic, c == d->nc ? "region" : d->country[c], -1, SQLITE_STATIC);
        for (int ko = 0; ko < d->nk; ko++) {
            int k = d->cat_order[ko];
            if (k != 0 && !d->category[k][0])
                continue;
            sqlite3_bind_text(st, ik, k == 0 ? "*" : d->category[k], -1, SQLITE_STATIC);
            for (size_t mi = 0; mi < nm; mi++) {
                if (star_only(defs[mi].kind) && k != 0)
                    continue;
                double v;
                sqlite3_bind_text(st, im, defs[mi].name, -1, SQLITE_STATIC);
                if (metric_value(&wr, &defs[mi], p, c, k, &v))
                    sqlite3_bind_double(st, iv, v);
                else
                    sqlite3_bind_null(st, iv);
                if (sqlite3_step(st) != SQLITE_DONE) {
                    s = vsp_store_error(store, err, "writing agg_metric");
                    goto out;
                }
                sqlite3_reset(st);
            }
        }
    }
    s = VSP_OK;
out:
    sqlite3_finalize(st);
    return s;
}

/* agg_crossborder: period p's items reported in two or more countries,
 * numbered; and the pairs of countries that share them, counted into
 * pairs[(c * nc + c2) * nk + category] (category 0: all). */
static vsp_status write_crossborder_items(vsp_store *store, const dims *d, int p,
                                          const xb_result *xb, int64_t *pairs, vsp_error *err)
{
    const vsp_period *per = &d->periods[p];
    sqlite3_stmt *st = vsp_store_prepare(store, "agg_insert_crossborder", err);
    if (!st)
        return err->status;
    vsp_status s = VSP_OK;
    int64_t item = 0;
    for (size_t i = 0; i < xb->n && s == VSP_OK; i++) {
        const xb_item *it = &xb->v[i];
        if (it->p != p)
            continue;
        char countries[MAX_C * 8] = "";
        size_t len = 0;
        for (int c = 0; c < d->nc; c++)
            if (it->mask & (1u << c)) {
                len += (size_t)snprintf(countries + len, sizeof countries - len, "%s%s",
                                        len ? "," : "", d->country[c]);
                for (int c2 = c + 1; c2 < d->nc; c2++)
                    if (it->mask & (1u << c2)) {
                        size_t base = ((size_t)c * (size_t)d->nc + (size_t)c2) * (size_t)d->nk;
                        pairs[base + (size_t)it->cat]++;
                        pairs[base]++;
                    }
            }
        bind_text(st, ":period", per->label);
        bind_int(st, ":item", ++item);
        bind_text(st, ":category", d->category[it->cat]);
        bind_text(st, ":countries", countries);
        bind_int(st, ":n_countries", it->n);
        bind_int(st, ":first_day", it->first_day);
        s = vsp_store_step_done(store, st, "writing agg_crossborder", err);
    }
    sqlite3_finalize(st);
    return s;
}

/* agg_crossborder_pair: the counts write_crossborder_items made, by pair
 * of countries and category, in the categories' order; zeros left out. */
static vsp_status write_crossborder_pairs(vsp_store *store, const dims *d, int p,
                                          const int64_t *pairs, vsp_error *err)
{
    const vsp_period *per = &d->periods[p];
    sqlite3_stmt *st = vsp_store_prepare(store, "agg_insert_pair", err);
    if (!st)
        return err->status;
    vsp_status s = VSP_OK;
    for (int c = 0; c < d->nc && s == VSP_OK; c++)
        for (int c2 = c + 1; c2 < d->nc && s == VSP_OK; c2++)
            for (int ko = 0; ko < d->nk && s == VSP_OK; ko++) {
                int k = d->cat_order[ko];
                int64_t nitems = pairs[((size_t)c * (size_t)d->nc + (size_t)c2) * (size_t)d->nk +
                                       (size_t)k];
                if (nitems == 0)
                    continue;
                bind_text(st, ":period", per->label);
                bind_text(st, ":country_a", d->country[c]);
                bind_text(st, ":country_b", d->country[c2]);
                bind_text(st, ":category", k == 0 ? "*" : d->category[k]);
                bind_int(st, ":items", nitems);
                s = vsp_store_step_done(store, st, "writing agg_crossborder_pair", err);
            }
    sqlite3_finalize(st);
    return s;
}

/* agg_quality and agg_quality_reason: the ingest runs behind period p's
 * cases, in run order, with how many cases each brought. */
static vsp_status write_quality(vsp_store *store, const vsp_period *per, run_list *rl,
                                vsp_error *err)
{
    vsp_status s = VSP_OK;
    if (rl->n)
        qsort(rl->v, rl->n, sizeof *rl->v, cmp_run);
    sqlite3_stmt *st = NULL, *st2 = NULL;
    if (!(st = vsp_store_prepare(store, "agg_insert_quality", err)) ||
        !(st2 = vsp_store_prepare(store, "agg_insert_quality_reason", err))) {
        s = err->status;
        goto out;
    }
    for (size_t i = 0; i < rl->n && s == VSP_OK; i++) {
        bind_text(st, ":period", per->label);
        bind_int(st, ":run_id", rl->v[i].run);
        bind_int(st, ":cases", rl->v[i].cases);
        s = vsp_store_step_done(store, st, "writing agg_quality", err);
        if (s == VSP_OK) {
            bind_text(st2, ":period", per->label);
            bind_int(st2, ":run_id", rl->v[i].run);
            s = vsp_store_step_done(store, st2, "writing agg_quality_reason", err);
        }
    }
out:
    sqlite3_finalize(st2);
    sqlite3_finalize(st);
    return s;
}

/* Replace period p's rows in every aggregate table. */
static vsp_status write_period(vsp_store *store, const dims *d, int p, acc *a, const xb_result *xb,
                               const period_quantiles *pq, const int64_t *pop,
                               const char *freeze, int64_t last_run, const char *now,
                               vsp_error *err)
{
    const vsp_period *per = &d->periods[p];
    int64_t cases = a->counts[cell_index(d, p, d->nc, 0) + K_RECEIVED];
    vsp_status s;
    if ((s = delete_period(store, per, err)) != VSP_OK ||
        (s = write_run(store, per, cases, freeze, last_run, now, err)) != VSP_OK ||
        (s = write_metrics(store, d, p, a->counts, pq, pop, err)) != VSP_OK)
        return s;
    int64_t *pairs = vsp_xcalloc((size_t)d->nc * (size_t)d->nc * (size_t)d->nk, sizeof *pairs);
    if ((s = write_crossborder_items(store, d, p, xb, pairs, err)) == VSP_OK)
        s = write_crossborder_pairs(store, d, p, pairs, err);
    free(pairs);
    if (s != VSP_OK)
        return s;
    return write_quality(store, per, &a->runs[p], err);
}

static vsp_status load_population(vsp_store *store, const dims *d, int64_t *pop, vsp_error *err)
{
    memset(pop, 0, (size_t)(d->nc + 1) * sizeof *pop);
    sqlite3_stmt *st = vsp_store_prepare(store, "agg_population", err);
    if (!st)
        return err->status;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int c = country_index(d, (const char *)sqlite3_column_text(st, 0));
        if (c >= 0)
            pop[c] = sqlite3_column_int64(st, 1);
    }
    vsp_status s = VSP_OK;
    if (rc != SQLITE_DONE)
        s = vsp_store_error(store, err, "reading the population table");
    sqlite3_finalize(st);
    /* the region: the sum of the six, or unknown if any is unknown */
    int64_t sum = 0;
    for (int c = 0; c < d->nc; c++) {
        if (pop[c] <= 0) {
            sum = 0;
            break;
        }
        sum += pop[c];
    }
    pop[d->nc] = sum;
    return s;
}

static void utc_now(char buf[32])
{
    vsp_store_utc_now(buf);
}

vsp_status vsp_aggregate_run(vsp_store *store, const vsp_period *period,
                             const vsp_aggregate_options *options, vsp_aggregate_result *out,
                             vsp_error *err)
{
    vsp_error local;
    if (!err)
        err = &local;
    vsp_status s = VSP_ESOFTWARE;
    dims *d = vsp_xcalloc(1, sizeof *d);
    worker *w = NULL;
    xb_result xb = {NULL, 0, 0};
    period_quantiles *pq = NULL;
    int nthreads = 0, nworkers = 0;
    bool in_tx = false;
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

    double t0 = tracing() ? trace_now() : 0;
    if ((s = load_dims(store, d, err)) != VSP_OK)
        goto out;
    d->np = period->kind == VSP_PERIOD_RANGE ? 1 : MAX_P;
    for (int p = 0; p < d->np; p++)
        vsp_period_shift(period, p - (d->np - 1), &d->periods[p]);
    d->scan_start = d->periods[0].start_day;
    d->scan_end = d->periods[d->np - 1].end_day;

    if ((s = vsp_store_begin(store, err)) != VSP_OK)
        goto out;
    in_tx = true;
    /* damaged pages would change figures silently: check the snapshot the
     * scans will read (they start after this transaction's lock) */
    double tcheck = tracing() ? trace_now() : 0;
    if ((s = vsp_store_check(store, err)) != VSP_OK)
        goto out;
    if (tracing())
        fprintf(stderr, "aggregate: warehouse check %.3f s\n", trace_now() - tcheck);
    if (options && options->population_csv &&
        (s = vsp_aggregate_load_population(store, options->population_csv, err)) != VSP_OK)
        goto out;
    int64_t pop[MAX_C + 1];
    if ((s = load_population(store, d, pop, err)) != VSP_OK)
        goto out;
    if ((s = load_as_of(store, d, err)) != VSP_OK)
        goto out;
    char freeze[32], now[32];
    int64_t last_run = 0;
    if ((s = data_freeze(store, freeze, &last_run, err)) != VSP_OK)
        goto out;
    utc_now(now);

    /* the scans: task 0 = cross-border, then one task per day span; the
     * results do not depend on which thread ran what (durations are sorted,
     * counts summed, items and runs ordered) */
    const char *path = sqlite3_db_filename(vsp_store_db(store), "main");
    bool file_db = path && path[0];
    nthreads = options && options->threads > 0 ? options->threads : online_cpus();
    if (nthreads > MAX_THREADS)
        nthreads = MAX_THREADS;
    if (!file_db)
        nthreads = 1;
    /* day spans: each period, or quarters of it when there are few periods */
    int32_t spans[MAX_P * 4][2];
    int n_spans = 0, split = d->np < 4 ? 4 : 1;
    for (int p = d->np - 1; p >= 0; p--) {
        int64_t a0 = vsp_day_to_days(d->periods[p].start_day);
        int64_t len = vsp_day_to_days(d->periods[p].end_day) - a0 + 1;
        for (int i = 0; i < split; i++) {
            int64_t from = a0 + len * i / split, to = a0 + len * (i + 1) / split - 1;
            if (to < from)
                continue;
            spans[n_spans][0] = vsp_days_to_day(from);
            spans[n_spans][1] = vsp_days_to_day(to);
            n_spans++;
        }
    }
    int next_task = 0, n_tasks = n_spans + 1;
    w = vsp_xcalloc((size_t)nthreads, sizeof *w);
    nworkers = nthreads;
    for (int i = 0; i < nthreads; i++) {
        w[i].d = d;
        acc_init(&w[i].a, d);
        vsp_buf_init(&w[i].keys.arena);
        vsp_buf_init(&w[i].keys.prev);
        w[i].xb = &xb;
        w[i].lock = &lock;
        w[i].next_task = &next_task;
        w[i].n_tasks = n_tasks;
        w[i].spans = (const int32_t(*)[2])spans;
        w[i].path = path;
        w[i].own_store = nthreads > 1;
        w[i].store = nthreads > 1 ? NULL : store;
        vsp_error_clear(&w[i].err);
    }
    double tscan = tracing() ? trace_now() : 0;
    if (nthreads == 1) {
        worker_main(&w[0]);
        unregister_functions(store);
    } else {
        pthread_t tid[MAX_THREADS];
        int started = 0;
        for (int i = 0; i < nthreads; i++) {
            if (pthread_create(&tid[i], NULL, worker_main, &w[i]) != 0)
                break;
            started++;
        }
        if (started == 0) {
            /* no thread could start: scan here, on a connection of our own */
            worker_main(&w[0]);
        }
        for (int i = 0; i < started; i++)
            pthread_join(tid[i], NULL);
        if (started == 0)
            started = 1;
        nthreads = started;
        for (int i = 0; i < nthreads; i++)
            if (w[i].store)
                vsp_store_close(w[i].store), w[i].store = NULL;
    }
    for (int i = 0; i < nthreads; i++)
        if (w[i].err.status != VSP_OK) {
            *err = w[i].err;
            s = w[i].err.status;
            goto out;
        }
    double t1 = tracing() ? trace_now() : 0;
    if (tracing())
        fprintf(stderr, "aggregate: %.3f s before the scans, scans %.3f s on %d threads\n",
                tscan - t0, t1 - tscan, nthreads);
    for (int i = 1; i < nthreads; i++)
        merge_acc(&w[0].a, &w[i].a, d);
    roll_up(d, w[0].a.counts, &xb);
    double t2 = tracing() ? trace_now() : 0;
    pq = vsp_xcalloc((size_t)d->np, sizeof *pq);
    all_quantiles(d, &w[0].a, pq, nthreads);
    double t2b = tracing() ? trace_now() : 0;
    for (int p = 0; p < d->np; p++)
        if ((s = write_period(store, d, p, &w[0].a, &xb, &pq[p], pop, freeze, last_run, now,
                              err)) != VSP_OK)
            goto out;
    double t3 = tracing() ? trace_now() : 0;
    if ((s = vsp_store_commit(store, err)) != VSP_OK)
        goto out;
    if (tracing())
        fprintf(stderr,
                "aggregate: merge %.3f s, sort+quantiles %.3f s, write %.3f s, commit %.3f s\n",
                t2 - t1, t2b - t2, t3 - t2b, trace_now() - t3);
    in_tx = false;

    if (out) {
        memset(out, 0, sizeof *out);
        out->n_periods = d->np;
        out->threads = nthreads;
        snprintf(out->data_freeze, sizeof out->data_freeze, "%s", freeze);
        out->n_countries = d->nc < 16 ? d->nc : 16;
        for (int c = 0; c < out->n_countries; c++) {
            memcpy(out->country[c], d->country[c], sizeof out->country[c]);
            out->as_of[c] = d->as_of[c];
            out->as_of_stated[c] = d->as_of_stated[c] != 0;
        }
        out->region_as_of = d->as_of[d->nc];
        for (int p = 0; p < d->np; p++) {
            out->periods[p] = d->periods[p];
            out->cases[p] = w[0].a.counts[cell_index(d, p, d->nc, 0) + K_RECEIVED];
            out->crossborder[p] = w[0].a.counts[cell_index(d, p, d->nc, 0) + K_XB];
        }
    }
    s = VSP_OK;
out:
    if (in_tx)
        vsp_store_rollback(store);
    if (w) {
        for (int i = 0; i < nworkers; i++) {
            if (w[i].own_store)
                vsp_store_close(w[i].store);
            acc_fini(&w[i].a);
            vsp_buf_fini(&w[i].keys.arena);
            vsp_buf_fini(&w[i].keys.prev);
            free(w[i].keys.off);
        }
        free(w);
    }
    if (pq) {
        for (int p = 0; p < d->np; p++)
            period_quantiles_fini(&pq[p]);
        free(pq);
    }
    free(xb.v);
    free(d);
    pthread_mutex_destroy(&lock);
    return s;
}

vsp_status vsp_aggregate_ensure(vsp_store *store, const char *cmd, const char *period_text,
                                bool may_aggregate, vsp_period *period, vsp_error *err)
{
    vsp_status s;
    if (!period_text) {
        bool complete = true;
        if ((s = vsp_aggregate_default_period(store, period, &complete, err)) != VSP_OK)
            return s;
        if (!complete)
            fprintf(stderr,
                    "vspreport %s: no complete quarter holds data yet; using %s, which had "
                    "not ended by the date the data are as of\n",
                    cmd, period->label);
    }
    bool warned = strcmp(future_checked.period, period->label) == 0 &&
                  future_checked.today == stated_today();
    if (!warned && (s = vsp_aggregate_warn_future(store, cmd, period, stderr, NULL, err)) != VSP_OK)
        return s;
    bool aggregated = false, fresh = false;
    if ((s = vsp_metrics_status(store, period->label, &aggregated, &fresh, err)) != VSP_OK)
        return s;
    if (aggregated && fresh)
        return VSP_OK;
    if (!may_aggregate)
        return vsp_error_set(err, VSP_EDATA,
                             aggregated ? "%s was aggregated before the latest ingest; run "
                                          "vspreport aggregate --period %s first"
                                        : "period %s has not been aggregated; run vspreport "
                                          "aggregate --period %s first",
                             period->label, period->label);
    fprintf(stderr, "vspreport %s: %s %s; aggregating it now\n", cmd, period->label,
            aggregated ? "was aggregated before the latest ingest" : "is not aggregated yet");
    return vsp_aggregate_run(store, period, NULL, NULL, err);
}
