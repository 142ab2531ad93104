/* export.c — the anonymised research export (reports/export.h). */
#include "reports/export.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pthread.h>

/* SHA256_Init and its kin: see "pseudonyms" below */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <xlsxwriter.h>

#include "pipeline/aggregate.h"
#include "pipeline/country.h"
#include "pipeline/outfile.h"
#include "pipeline/period.h"
#include "pipeline/sql.h"
#include "reports/xlsx_deflate.h"
#include "reports/xlsx_stream.h"
#include "reports/xlsx_util.h"

/* the countries, in code order (pipeline/country.h) */
static const char *const *const country_codes = vsp_countries;
#define N_COUNTRIES VSP_N_COUNTRIES
#define MAX_DIM 64 /* ids of category, decision, outcome, channel are small */

/* Helper threads (the workbook's deflate): one a core;
 * the bytes written do not depend on how many. */
static int export_workers(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 1 ? (int)(cores < 8 ? cores : 8) : 0;
}

/* ---- pseudonyms ----------------------------------------------------- */

/* HMAC-SHA-256 (RFC 2104) on OpenSSL's SHA-256 itself: the states after
 * the key's inner and outer pad are computed once, and each pseudonym
 * starts from copies of them.  EVP_MAC copied and cleaned its contexts
 * through the provider layer on every message: a million cases (two
 * pseudonyms each) took 0.5 s of CPU there, 0.25 s here, the same bytes.
 * SHA256_Init and its kin are deprecated in OpenSSL 3 in favour of EVP,
 * but kept in every 3.x; the unit test holds the results to Python's
 * hmac module. */
struct vsp_pseudonymizer {
    SHA256_CTX inner, outer; /* after key ^ ipad, key ^ opad */
};

vsp_pseudonymizer *vsp_pseudonymizer_new(const unsigned char *key, size_t key_len,
                                         vsp_error *err)
{
    vsp_pseudonymizer *p = vsp_xcalloc(1, sizeof *p);
    unsigned char k0[SHA256_CBLOCK], pad[SHA256_CBLOCK];
    memset(k0, 0, sizeof k0);
    if (key_len > SHA256_CBLOCK) { /* a long key is hashed first (RFC 2104) */
        SHA256_CTX c;
        bool ok = SHA256_Init(&c) && SHA256_Update(&c, key, key_len) && SHA256_Final(k0, &c);
        OPENSSL_cleanse(&c, sizeof c);
        if (!ok)
            goto fail;
    } else if (key_len) {
        memcpy(k0, key, key_len);
    }
    for (size_t i = 0; i < sizeof pad; i++)
        pad[i] = k0[i] ^ 0x36;
    if (!SHA256_Init(&p->inner) || !SHA256_Update(&p->inner, pad, sizeof pad))
        goto fail;
    for (size_t i = 0; i < sizeof pad; i++)
        pad[i] = k0[i] ^ 0x5c;
    if (!SHA256_Init(&p->outer) || !SHA256_Update(&p->outer, pad, sizeof pad))
        goto fail;
    OPENSSL_cleanse(k0, sizeof k0);
    OPENSSL_cleanse(pad, sizeof pad);
    return p;
fail:
    OPENSSL_cleanse(k0, sizeof k0);
    OPENSSL_cleanse(pad, sizeof pad);
    vsp_error_set(err, VSP_ESOFTWARE, "OpenSSL: cannot set up HMAC-SHA-256");
    vsp_pseudonymizer_free(p);
    return NULL;
}

void vsp_pseudonymizer_free(vsp_pseudonymizer *p)
{
    if (!p)
        return;
    OPENSSL_cleanse(p, sizeof *p);
    free(p);
}

bool vsp_pseudonym_bytes(vsp_pseudonymizer *p, const char *kind, const char *msg, size_t msg_len,
                         unsigned char out[VSP_PSEUDONYM_BYTES])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256_CTX c = p->inner;
    bool ok = SHA256_Update(&c, kind, strlen(kind)) && SHA256_Update(&c, "\x1f", 1) &&
              SHA256_Update(&c, msg, msg_len) && SHA256_Final(md, &c);
    if (ok) {
        c = p->outer;
        ok = SHA256_Update(&c, md, sizeof md) && SHA256_Final(md, &c);
    }
    if (ok)
        memcpy(out, md, VSP_PSEUDONYM_BYTES);
    OPENSSL_cleanse(&c, sizeof c);
    return ok;
}

/* prefix and the hex of a pseudonym's bytes into out */
static void pseudonym_hex(const char *prefix, const unsigned char b[VSP_PSEUDONYM_BYTES],
                          char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = strlen(prefix);
    memcpy(out, prefix, o);
    for (size_t i = 0; i < VSP_PSEUDONYM_BYTES; i++) {
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

bool vsp_pseudonym(vsp_pseudonymizer *p, const char *prefix, const char *kind, const char *msg,
                   size_t msg_len, char *out)
{
    unsigned char b[VSP_PSEUDONYM_BYTES];
    if (!vsp_pseudonym_bytes(p, kind, msg, msg_len, b))
        return false;
    pseudonym_hex(prefix, b, out);
    return true;
}

/* ---- CSV ------------------------------------------------------------ */

void vsp_csv_text(vsp_buf *line, const char *text)
{
    if (!text || !text[0])
        return;
    bool formula = strchr("=+-@\t\r", text[0]) != NULL;
    size_t n = strcspn(text, ",\"\r\n");
    if (!formula && !text[n]) { /* the usual field: as it is, in one copy */
        vsp_buf_append(line, text, n);
        return;
    }
    vsp_buf_putc(line, '"');
    if (formula)
        vsp_buf_putc(line, '\'');
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            vsp_buf_putc(line, '"');
        vsp_buf_putc(line, *p);
    }
    vsp_buf_putc(line, '"');
}

/* The decimal digits of v into out (at least 21 bytes, not terminated);
 * returns their number.  printf costs more than the rest of a CSV row. */
static size_t format_i64(char *out, int64_t v)
{
    char t[24];
    size_t n = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do
        t[n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    size_t o = 0;
    if (v < 0)
        out[o++] = '-';
    while (n)
        out[o++] = t[--n];
    return o;
}

void vsp_csv_int(vsp_buf *line, int64_t v)
{
    char t[24];
    vsp_buf_append(line, t, format_i64(t, v));
}

/* ---- options, result ------------------------------------------------ */

static int cmp_group(const void *a, const void *b)
{
    const vsp_xb_group *x = a, *y = b;
    if (x->items != y->items)
        return x->items > y->items ? -1 : 1;
    int c = strcmp(x->category, y->category);
    return c ? c : strcmp(x->countries, y->countries);
}

size_t vsp_export_crossborder_groups(const vsp_metrics *m, int k, vsp_xb_group **groups)
{
    size_t n_items = vsp_metrics_crossborder_count(m), n = 0;
    vsp_xb_group *g = vsp_xcalloc(n_items + 1, sizeof *g);
    for (size_t i = 0; i < n_items; i++) {
        const vsp_crossborder_item *it = vsp_metrics_crossborder(m, i);
        if (!it || !it->category || !it->countries)
            continue;
        size_t j = 0;
        while (j < n && !(strcmp(g[j].category, it->category) == 0 &&
                          strcmp(g[j].countries, it->countries) == 0))
            j++;
        if (j == n)
            g[n++] = (vsp_xb_group){it->category, it->countries, 0};
        g[j].items++;
    }
    if (n)
        qsort(g, n, sizeof *g, cmp_group);
    size_t kept = 0;
    int64_t rest = 0;
    for (size_t j = 0; j < n; j++) {
        if (g[j].items >= k)
            g[kept++] = g[j];
        else
            rest += g[j].items;
    }
    if (rest)
        g[kept++] = (vsp_xb_group){NULL, NULL, rest};
    *groups = g;
    return kept;
}

void vsp_export_options_init(vsp_export_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->k = VSP_EXPORT_K_DEFAULT;
    opt->grain = VSP_EXPORT_MONTH;
    opt->xlsx = opt->csv = true;
}

void vsp_export_result_fini(vsp_export_result *res)
{
    if (!res)
        return;
    for (int i = 0; i < 4; i++) {
        free(res->files[i]);
        res->files[i] = NULL;
    }
}

/* ---- classes -------------------------------------------------------- */

/* A class key packs: country index (3 bits), month index year*12+m-1
 * (17 bits), category, decision, outcome and channel ids (6 bits each).
 * The export's classes use country, month, category and outcome (the
 * quasi-identifiers); a released class puts its grain (1: quarter) where
 * the decision goes, and SUP for a suppressed category or outcome. */
typedef uint64_t class_key;

static class_key key_make(int country, int month_index, int cat, int dec, int out, int chan)
{
    return (uint64_t)country << 41 | (uint64_t)month_index << 24 | (uint64_t)cat << 18 |
           (uint64_t)dec << 12 | (uint64_t)out << 6 | (uint64_t)chan;
}
static int key_country(class_key k) { return (int)(k >> 41 & 7); }
static int key_month(class_key k) { return (int)(k >> 24 & 0x1FFFF); }
static int key_cat(class_key k) { return (int)(k >> 18 & 63); }
static int key_dec(class_key k) { return (int)(k >> 12 & 63); }
static int key_out(class_key k) { return (int)(k >> 6 & 63); }
#define SUP 63 /* a suppressed category or outcome in a released class key */

typedef struct class_entry {
    class_key key;
    int64_t n;
    int state; /* 0 empty slot; 1 used */
} class_entry;

/* Open addressing; grows at 50 % load.  Its size is bounded by the class
 * space (countries x months x categories x ...), never by the rows. */
typedef struct class_map {
    class_entry *slots;
    size_t cap, used;
} class_map;

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static class_entry *map_get(class_map *m, class_key k, bool insert)
{
    if (insert && (m->used + 1) * 2 > m->cap) {
        class_map g = {vsp_xcalloc(m->cap ? m->cap * 2 : 1024, sizeof *g.slots),
                       m->cap ? m->cap * 2 : 1024, 0};
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].state)
                *map_get(&g, m->slots[i].key, true) = m->slots[i];
        free(m->slots);
        *m = g;
    }
    if (!m->cap)
        return NULL;
    size_t i = mix(k) & (m->cap - 1);
    while (m->slots[i].state) {
        if (m->slots[i].key == k)
            return &m->slots[i];
        i = (i + 1) & (m->cap - 1);
    }
    if (!insert)
        return NULL;
    m->slots[i].state = 1;
    m->slots[i].key = k;
    m->slots[i].n = 0;
    m->used++;
    return &m->slots[i];
}


/* ---- the export ----------------------------------------------------- */

typedef struct dims {
    char *category[MAX_DIM], *dsa[MAX_DIM], *decision[MAX_DIM], *outcome[MAX_DIM],
        *channel[MAX_DIM];
} dims;

typedef struct country_count {
    int64_t cases, month, generalised, suppressed; /* rows */
    int64_t cat_sup, out_sup;                       /* values suppressed */
    /* the action rate's parts: of every case, and of the released rows
     * whose outcome is shown */
    int64_t fwd, actioned, pending, rel_fwd, rel_actioned, rel_pending;
} country_count;

/* A source class: the cases of one country, month, category and outcome
 * (the quasi-identifiers at their finest), and what the release does to
 * them. */
typedef struct src_class {
    class_key key; /* key_make(country, month, category, 0, outcome, 0) */
    int64_t n;
    uint8_t quarter; /* the month generalised to its quarter */
    uint8_t cat_sup; /* category (and DSA category) suppressed */
    uint8_t out_sup; /* outcome (and decision, durations) suppressed */
    uint8_t dropped; /* the rows are left out */
    uint8_t keep_cat; /* keeps its category for the category's presence */
    uint32_t rank;    /* of its released class in the row order (decide_classes) */
} src_class;

/* A released class as the rows show it, at its rank in the row order:
 * what export_rows.sql's rows get from their rank. */
typedef struct rel_class {
    int country;
    char bucket[12];     /* "2026-08" or "2026Q3" */
    int32_t start, end;  /* first and last day of the bucket */
    uint8_t quarter, cat_sup, out_sup;
    uint8_t cat, out;    /* ids; 0 where suppressed */
} rel_class;

typedef struct xport {
    vsp_store *store;
    const vsp_export_options *opt;
    vsp_period period;
    vsp_error *err;
    vsp_status st;
    dims d;
    class_map months;   /* source classes and their counts */
    class_map released; /* released classes and their sizes (decide_classes) */
    src_class *src;     /* the source classes, sorted by key */
    size_t n_src;
    rel_class *rel;     /* the released classes, by rank */
    size_t n_rel;
    class_map rank_of;  /* source class key -> rank of its released class */
    int out_actioned[MAX_DIM]; /* outcome id: 1 actioned, 2 pending */
    int dec_forwarded;         /* the id of decision 'forwarded' */
    country_count by_country[N_COUNTRIES];
    vsp_export_result res;
    vsp_pseudonymizer *pz;
    char time_iso[32], freeze[32];
    time_t created;
    /* outputs */
    vsp_outfile f_xlsx, f_csv, f_dict, f_report;
    FILE *csv;
    lxw_workbook *book;
    vsp_xlsx_stream *stream; /* the Cases rows, when they bypass libxlsxwriter */
    lxw_format *f_head, *f_date, *f_int, *f_wrap, *f_bold;
    vsp_buf line, scratch;
    /* the CSV text of what a row takes from its class and the dimensions,
     * each field as vsp_csv_text writes it (csv_prepare) */
    char **csv_class;       /* by rank: country to dsa_category, each with its comma */
    char **csv_outcome;     /* by rank: the outcome, or "*" */
    char *csv_dec[MAX_DIM], *csv_chan[MAX_DIM];
} xport;

static void xfail(xport *x, vsp_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void xfail(xport *x, vsp_status st, const char *fmt, ...)
{
    if (x->st != VSP_OK)
        return; /* the first failure is the one to report */
    va_list ap;
    va_start(ap, fmt);
    x->st = vsp_error_vset(x->err, st, fmt, ap);
    va_end(ap);
}

/* A failure reported by a callee into a vsp_error of its own. */
static void xfail_from(xport *x, const vsp_error *e)
{
    xfail(x, e->status, "%s", e->msg);
}

static int country_index(const char *cc)
{
    for (int i = 0; cc && i < N_COUNTRIES; i++)
        if (strcmp(cc, country_codes[i]) == 0)
            return i;
    return -1;
}

/* A warehouse error, reported through vsp_store_error unless an earlier
 * failure is already the one to report. */
static void store_failed(xport *x, const char *what)
{
    if (x->st == VSP_OK)
        x->st = vsp_store_error(x->store, x->err, what);
}

/* queries/<name>.sql with the period's days bound; NULL after a failure. */
static sqlite3_stmt *prepare_period(xport *x, const char *name)
{
    vsp_error e;
    sqlite3_stmt *st = vsp_store_prepare(x->store, name, &e);
    if (!st) {
        xfail(x, e.status, "%s", e.msg);
        return NULL;
    }
    int i;
    if ((i = sqlite3_bind_parameter_index(st, ":start_day")) > 0)
        sqlite3_bind_int64(st, i, x->period.start_day);
    if ((i = sqlite3_bind_parameter_index(st, ":end_day")) > 0)
        sqlite3_bind_int64(st, i, x->period.end_day);
    return st;
}

static void load_dims(xport *x)
{
    sqlite3_stmt *st = prepare_period(x, "export_dims");
    if (!st)
        return;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *dim = (const char *)sqlite3_column_text(st, 0);
        int id = sqlite3_column_int(st, 1);
        const char *code = (const char *)sqlite3_column_text(st, 2);
        if (!dim || !code || id <= 0 || id >= SUP) {
            xfail(x, VSP_EDATA, "warehouse: dimension id %d of %s is out of range", id,
                  dim ? dim : "?");
            break;
        }
        char **slot = strcmp(dim, "category") == 0   ? &x->d.category[id]
                      : strcmp(dim, "decision") == 0 ? &x->d.decision[id]
                      : strcmp(dim, "outcome") == 0  ? &x->d.outcome[id]
                                                     : &x->d.channel[id];
        free(*slot);
        *slot = vsp_xstrdup(code);
        if (strcmp(dim, "decision") == 0 && strcmp(code, "forwarded") == 0)
            x->dec_forwarded = id;
        if (strcmp(dim, "outcome") == 0) {
            static const char *const actioned[] = {"removed", "geo_blocked", "age_restricted",
                                                   "account_suspended", "account_banned"};
            for (size_t a = 0; a < sizeof actioned / sizeof actioned[0]; a++)
                if (strcmp(code, actioned[a]) == 0)
                    x->out_actioned[id] = 1;
            if (strcmp(code, "pending") == 0)
                x->out_actioned[id] = 2;
        }
        if (strcmp(dim, "category") == 0 && sqlite3_column_type(st, 3) != SQLITE_NULL) {
            free(x->d.dsa[id]);
            x->d.dsa[id] = vsp_xstrdup((const char *)sqlite3_column_text(st, 3));
        }
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        store_failed(x, "reading queries/export_dims.sql");
    sqlite3_finalize(st);
}

static void free_dims(dims *d)
{
    for (int i = 0; i < MAX_DIM; i++) {
        free(d->category[i]), free(d->dsa[i]), free(d->decision[i]), free(d->outcome[i]);
        free(d->channel[i]);
    }
}

/* Pass 1: count the month classes. */
static void count_classes(xport *x)
{
    sqlite3_stmt *st = prepare_period(x, "export_scan");
    if (!st)
        return;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int c = country_index((const char *)sqlite3_column_text(st, 0));
        int32_t day = (int32_t)sqlite3_column_int64(st, 1);
        int cat = sqlite3_column_int(st, 2), dec = sqlite3_column_int(st, 3);
        int out = sqlite3_column_int(st, 4);
        int y = day / 10000, mo = day / 100 % 100;
        if (c < 0 || y < 1 || y > 9999 || mo < 1 || mo > 12 || cat < 1 || cat >= MAX_DIM ||
            dec < 1 || dec >= MAX_DIM || out < 0 || out >= MAX_DIM) {
            xfail(x, VSP_EDATA, "warehouse: a case of %s received %d holds a value outside the "
                                "schema's dimensions",
                  c < 0 ? "an unknown country" : country_codes[c], (int)day);
            break;
        }
        class_entry *e = map_get(&x->months, key_make(c, y * 12 + mo - 1, cat, 0, out, 0), true);
        e->n++;
        x->res.cases++;
        country_count *cc = &x->by_country[c];
        cc->cases++;
        if (dec == x->dec_forwarded) {
            cc->fwd++;
            cc->actioned += x->out_actioned[out] == 1;
            cc->pending += x->out_actioned[out] == 2;
        }
    }
    if (rc != SQLITE_DONE && x->st == VSP_OK)
        store_failed(x, "reading queries/export_scan.sql");
    sqlite3_finalize(st);
}

static int32_t month_start(int mi) { return (mi / 12) * 10000 + (mi % 12 + 1) * 100 + 1; }

static int32_t span_end(int mi, int months)
{
    int last = mi + months - 1;
    int y = last / 12, m = last % 12 + 1;
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int d = dim[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return y * 10000 + m * 100 + d;
}

/* ---- deciding the release: values before rows ------------------------
 *
 * The quasi-identifiers are country, received month, category and outcome
 * (the threat model in the anonymisation report says why).  Every
 * released combination of their values — a suppressed value ("*") and a
 * quarter being values of their own — must hold at least k rows.  Like
 * sdcMicro's local suppression and ARX, the export changes the fewest
 * values it can, in an order that keeps what researchers use most:
 *   1. a month class with fewer than k cases is generalised to its quarter;
 *   2. a quarter class still smaller than k loses its category ("*"); the
 *      (country, quarter, *, outcome) class so formed, if still smaller
 *      than k, is filled up with the smallest whole classes of the same
 *      country, quarter and outcome that can spare their category;
 *   3. one still smaller than k loses its outcome too (and the decision
 *      and durations that would tell the outcome), filled up the same way
 *      from the country's quarter;
 *   4. only what is then still smaller than k — a country with fewer than
 *      k cases in a quarter — is left out.
 * Country is never suppressed: per-country figures are the point of the
 * data.  Everything here works on class counts, never on rows, so its
 * cost does not grow with the rows. */

static class_key rel_key(const src_class *s)
{
    int mi = key_month(s->key);
    return key_make(key_country(s->key), s->quarter ? mi - mi % 3 : mi,
                    s->cat_sup ? SUP : key_cat(s->key), s->quarter, s->out_sup ? SUP : key_out(s->key),
                    0);
}

static void released_sizes(xport *x)
{
    if (x->released.slots)
        memset(x->released.slots, 0, x->released.cap * sizeof *x->released.slots);
    x->released.used = 0;
    for (size_t i = 0; i < x->n_src; i++)
        if (!x->src[i].dropped)
            map_get(&x->released, rel_key(&x->src[i]), true)->n += x->src[i].n;
}

static int64_t released_size(xport *x, const src_class *s)
{
    class_entry *e = map_get(&x->released, rel_key(s), false);
    return e ? e->n : 0;
}

static int quarter_of(const src_class *s)
{
    int mi = key_month(s->key);
    return mi - mi % 3;
}

/* Fill the released class of t (short of k) from the same country and
 * quarter — with the same outcome when with_outcome: a source class that
 * its released class can spare (what stays keeps k), or a whole released
 * class; of those that bring t to k the one that moves the fewest rows,
 * else the largest (fewest steps).  Each moved class gets t's
 * suppressions.  False when nothing is left to take and t is still short. */
static bool fill_up(xport *x, const src_class *t, bool with_outcome)
{
    const int64_t k = x->opt->k;
    class_key tk = rel_key(t);
    while (released_size(x, t) < k) {
        const int64_t need = k - released_size(x, t);
        const src_class *best = NULL;
        int64_t best_cost = 0;
        bool best_whole = false;
        for (size_t i = 0; i < x->n_src; i++) {
            const src_class *d = &x->src[i];
            if (d->dropped || d->keep_cat || key_country(d->key) != key_country(t->key) ||
                quarter_of(d) != quarter_of(t) || rel_key(d) == tk)
                continue;
            if (with_outcome && (d->out_sup || key_out(d->key) != key_out(t->key)))
                continue;
            int64_t from = released_size(x, d);
            if (from < k)
                continue; /* short itself: it is being dealt with */
            bool whole = from - d->n < k;
            int64_t cost = whole ? from : d->n;
            bool better = !best || (cost >= need && (best_cost < need || cost < best_cost)) ||
                          (cost < need && best_cost < need && cost > best_cost);
            if (better)
                best = d, best_cost = cost, best_whole = whole;
        }
        if (!best)
            return false;
        class_key from_key = rel_key(best);
        for (size_t i = 0; i < x->n_src; i++) {
            src_class *d = &x->src[i];
            if (d == best || (best_whole && !d->dropped && rel_key(d) == from_key)) {
                d->quarter = 1;
                d->cat_sup = 1;
                d->out_sup = t->out_sup;
            }
        }
        released_sizes(x);
    }
    return true;
}

static int cmp_src(const void *a, const void *b)
{
    class_key x = ((const src_class *)a)->key, y = ((const src_class *)b)->key;
    return x < y ? -1 : x > y;
}

static void plan_release(xport *x)
{
    const int64_t k = x->opt->k;
    bool month_grain = x->opt->grain == VSP_EXPORT_MONTH;
    x->src = vsp_xcalloc(x->months.used + 1, sizeof *x->src);
    x->n_src = 0;
    for (size_t i = 0; i < x->months.cap; i++)
        if (x->months.slots[i].state)
            x->src[x->n_src++] = (src_class){.key = x->months.slots[i].key,
                                             .n = x->months.slots[i].n};
    qsort(x->src, x->n_src, sizeof *x->src, cmp_src); /* the same plan every time */
    /* 1. month, or quarter */
    for (size_t i = 0; i < x->n_src; i++)
        x->src[i].quarter = !month_grain || x->src[i].n < k;
    released_sizes(x);
    /* 1b. every category with k cases in the period stays present: where
     * none of its classes reaches k, the country and quarter with the
     * most of its cases (when they are k) show it with the outcome
     * suppressed instead of the category */
    for (int cat = 1; cat < SUP; cat++) {
        int64_t total = 0;
        bool present = false;
        for (size_t i = 0; i < x->n_src; i++)
            if (key_cat(x->src[i].key) == cat) {
                total += x->src[i].n;
                present = present || released_size(x, &x->src[i]) >= k;
            }
        if (total < k || present)
            continue;
        int64_t best_n = 0;
        int best_c = -1, best_q = -1;
        for (size_t i = 0; i < x->n_src; i++) {
            const src_class *a = &x->src[i];
            if (key_cat(a->key) != cat)
                continue;
            int64_t sum = 0;
            for (size_t j = 0; j < x->n_src; j++)
                if (key_cat(x->src[j].key) == cat &&
                    key_country(x->src[j].key) == key_country(a->key) &&
                    quarter_of(&x->src[j]) == quarter_of(a))
                    sum += x->src[j].n;
            if (sum > best_n)
                best_n = sum, best_c = key_country(a->key), best_q = quarter_of(a);
        }
        if (best_n < k)
            continue;
        for (size_t i = 0; i < x->n_src; i++) {
            src_class *a = &x->src[i];
            if (key_cat(a->key) == cat && key_country(a->key) == best_c &&
                quarter_of(a) == best_q)
                a->quarter = a->out_sup = a->keep_cat = 1;
        }
        released_sizes(x);
    }
    /* 1c. generalisation before suppression: a quarter class short of k
     * takes in whole month classes of the same country, category and
     * outcome in its quarter (their months become the quarter), smallest
     * first, when they are enough to reach k */
    for (size_t i = 0; i < x->n_src; i++) {
        src_class *t = &x->src[i];
        if (!t->quarter || t->keep_cat || released_size(x, t) >= k)
            continue;
        int64_t have = released_size(x, t), avail = 0;
        for (size_t j = 0; j < x->n_src; j++) {
            const src_class *d = &x->src[j];
            if (!d->quarter && key_country(d->key) == key_country(t->key) &&
                quarter_of(d) == quarter_of(t) && key_cat(d->key) == key_cat(t->key) &&
                key_out(d->key) == key_out(t->key))
                avail += d->n;
        }
        while (have < k && have + avail >= k) {
            src_class *best = NULL;
            for (size_t j = 0; j < x->n_src; j++) {
                src_class *d = &x->src[j];
                if (!d->quarter && key_country(d->key) == key_country(t->key) &&
                    quarter_of(d) == quarter_of(t) && key_cat(d->key) == key_cat(t->key) &&
                    key_out(d->key) == key_out(t->key) && (!best || d->n < best->n))
                    best = d;
            }
            if (!best)
                break;
            best->quarter = 1;
            have += best->n;
            avail -= best->n;
        }
        released_sizes(x);
    }
    /* 2. category */
    for (size_t i = 0; i < x->n_src; i++)
        if (!x->src[i].keep_cat && released_size(x, &x->src[i]) < k)
            x->src[i].cat_sup = 1;
    released_sizes(x);
    for (size_t i = 0; i < x->n_src; i++)
        if (x->src[i].cat_sup && released_size(x, &x->src[i]) < k)
            fill_up(x, &x->src[i], true);
    /* 3. outcome */
    for (size_t i = 0; i < x->n_src; i++)
        if (released_size(x, &x->src[i]) < k)
            x->src[i].out_sup = x->src[i].cat_sup = 1;
    released_sizes(x);
    for (size_t i = 0; i < x->n_src; i++)
        if (x->src[i].out_sup && released_size(x, &x->src[i]) < k)
            fill_up(x, &x->src[i], false);
    /* 4. rows */
    for (size_t i = 0; i < x->n_src; i++)
        if (released_size(x, &x->src[i]) < k)
            x->src[i].dropped = 1;
    released_sizes(x);
}

/* The released class of a released source class, as its rows show it. */
static rel_class rel_of(const src_class *s)
{
    rel_class r;
    memset(&r, 0, sizeof r);
    int mi = key_month(s->key);
    r.country = key_country(s->key);
    r.quarter = s->quarter;
    if (!s->quarter) {
        snprintf(r.bucket, sizeof r.bucket, "%04d-%02d", mi / 12 % 10000, mi % 12 + 1);
        r.start = month_start(mi), r.end = span_end(mi, 1);
    } else {
        int q0 = mi - mi % 3;
        snprintf(r.bucket, sizeof r.bucket, "%04dQ%d", q0 / 12 % 10000, q0 % 12 / 3 + 1);
        r.start = month_start(q0), r.end = span_end(q0, 3);
    }
    r.cat_sup = s->cat_sup, r.out_sup = s->out_sup;
    r.cat = s->cat_sup ? 0 : (uint8_t)key_cat(s->key);
    r.out = s->out_sup ? 0 : (uint8_t)key_out(s->key);
    return r;
}

/* The row order of the export, class by class: country, bucket (as text:
 * "2026-08" < "2026Q3"), category as released (a suppressed one after the
 * shown ones, all "*" as one value), outcome as released (the same); the
 * rows of a class then follow by case pseudonym (export_rows.sql). */
static int cmp_rel(const rel_class *a, const rel_class *b)
{
    int c = strcmp(country_codes[a->country], country_codes[b->country]);
    if (!c)
        c = strcmp(a->bucket, b->bucket);
    if (!c)
        c = (a->cat_sup > b->cat_sup) - (a->cat_sup < b->cat_sup);
    if (!c)
        c = (a->cat > b->cat) - (a->cat < b->cat);
    if (!c)
        c = (a->out_sup > b->out_sup) - (a->out_sup < b->out_sup);
    if (!c)
        c = (a->out > b->out) - (a->out < b->out);
    return c;
}

typedef struct ranked {
    rel_class r;
    size_t src;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    int c = cmp_rel(&x->r, &y->r);
    return c ? c : (x->src > y->src) - (x->src < y->src);
}

/* Every released source class gets the rank of its released class in the
 * row order (x->rank_of, by source class key, for fill_row);
 * x->rel holds the released classes by rank. */
static void rank_classes(xport *x)
{
    ranked *a = vsp_xcalloc(x->n_src + 1, sizeof *a);
    size_t n = 0;
    for (size_t i = 0; i < x->n_src; i++)
        if (!x->src[i].dropped)
            a[n++] = (ranked){rel_of(&x->src[i]), i};
    qsort(a, n, sizeof *a, cmp_ranked);
    free(x->rel);
    x->rel = vsp_xcalloc(n + 1, sizeof *x->rel);
    x->n_rel = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || cmp_rel(&a[i - 1].r, &a[i].r) != 0)
            x->rel[x->n_rel++] = a[i].r;
        x->src[a[i].src].rank = (uint32_t)(x->n_rel - 1);
        map_get(&x->rank_of, x->src[a[i].src].key, true)->n = (int64_t)(x->n_rel - 1);
    }
    free(a);
}

/* Decide every class (plan_release), count what was done, and rank the
 * released ones (rank_classes). */
static void decide_classes(xport *x)
{
    plan_release(x);
    for (size_t i = 0; i < x->n_src; i++) {
        const src_class *s = &x->src[i];
        country_count *cc = &x->by_country[key_country(s->key)];
        if (s->dropped) {
            x->res.rows_suppressed += s->n;
            cc->suppressed += s->n;
            continue;
        }
        if (s->quarter) {
            x->res.rows_generalised += s->n;
            cc->generalised += s->n;
        } else {
            x->res.rows_month += s->n;
            cc->month += s->n;
        }
        if (s->cat_sup) {
            x->res.values_cat_suppressed += s->n;
            cc->cat_sup += s->n;
        }
        if (s->out_sup) {
            x->res.values_out_suppressed += s->n;
            cc->out_sup += s->n;
        }
    }
    int64_t k_min = 0;
    for (size_t i = 0; i < x->released.cap; i++) {
        const class_entry *e = &x->released.slots[i];
        if (!e->state || e->n == 0)
            continue;
        if (key_dec(e->key))
            x->res.classes_quarter++;
        else
            x->res.classes_month++;
        if (k_min == 0 || e->n < k_min)
            k_min = e->n;
    }
    /* the classes left out: by their released key, counted once */
    class_map gone = {0};
    for (size_t i = 0; i < x->n_src; i++)
        if (x->src[i].dropped)
            map_get(&gone, rel_key(&x->src[i]), true)->n += x->src[i].n;
    x->res.classes_suppressed = (int64_t)gone.used;
    free(gone.slots);
    x->res.released = x->res.rows_month + x->res.rows_generalised;
    x->res.k_achieved = x->res.released ? k_min : 0;

    rank_classes(x);
}

/* ---- the columns and the dictionary --------------------------------- */

enum col_type { T_TEXT, T_INT, T_DATE };

typedef struct column {
    const char *name;
    const char *role; /* quasi-identifier, pseudonym, attribute, derived */
    enum col_type type;
    double width;
    const char *values; /* allowed values, for the dictionary */
    const char *description;
} column;

#define QI "quasi-identifier"
static const column columns[] = {
    {"case_pseudonym", "pseudonym", T_TEXT, 36, "c + 32 hex digits",
     "Keyed pseudonym of the case: HMAC-SHA-256 of \"case\", US (0x1F), the country code, US "
     "and the regulator's case id, first 128 bits in hex. Unique per case; not reversible "
     "without the key."},
    {"content_pseudonym", "pseudonym", T_TEXT, 36, "i + 32 hex digits, or empty",
     "Keyed pseudonym of the reported item (video or account): HMAC-SHA-256 of \"content\", US "
     "and the canonical content key, first 128 bits in hex. The same item has the same "
     "pseudonym in every country, so items reported in several countries can be linked. Empty "
     "when the report named no resolvable item."},
    {"country", QI, T_TEXT, 9, "AL BA ME MK RS XK",
     "Country of the regulator that received the report (XK: Kosovo). Never suppressed."},
    {"received_period", QI, T_TEXT, 16, "YYYY-MM or YYYYQn",
     "Month (or quarter) in which the report was received, in the regulator's time zone. A "
     "quarter where the month's class had fewer than k cases."},
    {"period_grain", "derived", T_TEXT, 13, "month quarter",
     "month, or quarter where the row's class was generalised for k-anonymity (or the export "
     "was made at quarter grain)."},
    {"period_start", "derived", T_DATE, 12, "date", "First day of received_period."},
    {"period_end", "derived", T_DATE, 12, "date", "Last day of received_period."},
    {"category", QI, T_TEXT, 12,
     "piracy minors csam hate violence terrorism sexual bullying self_harm fraud disinfo "
     "privacy commercial other, or *",
     "Category of the reported content, the regulators' labels mapped to common codes; * where "
     "it was suppressed for k-anonymity."},
    {"dsa_category", "derived", T_TEXT, 40, "STATEMENT_CATEGORY_*, or *",
     "The category of the EU DSA Transparency Database that the category maps to; * where the "
     "category is."},
    {"decision", "attribute", T_TEXT, 18,
     "forwarded no_violation out_of_remit insufficient_info duplicate pending, or *",
     "The regulator's decision; forwarded = a violation sent to the platform. * where the "
     "outcome is suppressed (the decision would tell whether there is one)."},
    {"outcome", QI, T_TEXT, 20,
     "removed geo_blocked age_restricted account_suspended account_banned declined "
     "already_unavailable pending, empty, or *",
     "What the platform did with a forwarded item; empty when not forwarded or not recorded; "
     "* where it was suppressed for k-anonymity."},
    {"channel", "attribute", T_TEXT, 11, "web_form email phone ex_officio other, or empty",
     "How the report reached the regulator; empty when not recorded."},
    {"hours_received_to_decided", "attribute", T_INT, 14, "whole hours >= 0, or empty",
     "Hours from receipt to the regulator's decision, rounded to the nearest hour; empty unless "
     "both ends have a time of day (a date alone is not a time) and the decision is not "
     "earlier, and empty on every row whose outcome is suppressed. The same holds for every "
     "duration column."},
    {"hours_decided_to_forwarded", "attribute", T_INT, 14, "whole hours >= 0, or empty",
     "Hours from the decision to forwarding to the platform, rounded to the nearest hour."},
    {"hours_forwarded_to_outcome", "attribute", T_INT, 14, "whole hours >= 0, or empty",
     "Hours from forwarding to the platform's recorded response (any outcome with a time), "
     "rounded to the nearest hour. The published time to action uses actioned outcomes only, "
     "the time to response every final outcome."},
    {"hours_received_to_outcome", "attribute", T_INT, 14, "whole hours >= 0, or empty",
     "Hours from receipt to the platform's recorded response, rounded to the nearest hour."},
};
#undef QI
#define N_COLUMNS (sizeof columns / sizeof columns[0])

/* Notes that follow the columns in the dictionary. */
#define N_NOTES 5
static void dictionary_notes(const xport *x, const char *notes[N_NOTES], char key_note[512])
{
    if (x->res.random_key)
        snprintf(key_note, 512,
                 "The pseudonym key of this export was random and used for this export only: "
                 "its pseudonyms cannot be linked to any other export, and nobody can reverse "
                 "them (key id %s).",
                 x->res.key_id);
    else
        snprintf(key_note, 512,
                 "The pseudonym key was given by the publisher (%s, key id %s): exports made "
                 "with the same key share pseudonyms and can be linked; whoever holds the key "
                 "can link a pseudonym back to the case.",
                 x->opt->key_source ? x->opt->key_source : "a key file", x->res.key_id);
    notes[0] = key_note;
    notes[1] = "Roles: quasi-identifier = what an attacker may know of a case (country, "
               "received_period, category, outcome), over which k-anonymity holds; pseudonym = "
               "a keyed hash; attribute = what the release tells about a case (decision, "
               "channel, durations); derived = follows from another column. The threat model "
               "that chose them is in the anonymisation report.";
    notes[4] = "A suppressed value is written * (one spelling, in every text column that can "
               "hold it); a suppressed duration is empty. To count a class as the k-anonymity "
               "does, take * as a value of its own.";
    notes[2] = "Withheld on purpose: case ids, URLs, content keys, account handles, reporter "
               "names, e-mails and phones, notes, the labels as written, the legal basis, the "
               "platform and item kind, exact dates and the ingest provenance.";
    notes[3] = "Published figures (vspreport stats) use exact times and every case; figures "
               "recomputed from this export can differ slightly: durations are rounded to "
               "whole hours, suppressed values are *, and the few rows left out are missing.";
}

/* ---- writing -------------------------------------------------------- */

static void xcheck(xport *x, lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR)
        xfail(x, VSP_ESOFTWARE, "%s: %s", what, lxw_strerror(e));
}

static lxw_worksheet *add_sheet(xport *x, const char *name)
{
    vsp_error e;
    if (vsp_xlsx_sheet_name_check(name, &e) != VSP_OK) {
        xfail(x, VSP_ESOFTWARE, "%s", e.msg);
        return NULL;
    }
    lxw_worksheet *ws = workbook_add_worksheet(x->book, name);
    if (!ws)
        xfail(x, VSP_ESOFTWARE, "cannot add the sheet '%s'", name);
    return ws;
}

/* The CSV lines gathered in x->line, written out. */
static void csv_flush(xport *x)
{
    if (x->csv && x->line.len && fwrite(x->line.data, 1, x->line.len, x->csv) != x->line.len)
        xfail(x, VSP_EIO, "%s: cannot write: %s", x->f_csv.path, strerror(errno));
    vsp_buf_clear(&x->line);
}

/* A CSV line ends; lines go out in writes of CSV_WRITE bytes. */
#define CSV_WRITE (1u << 20)
static void csv_line_end(xport *x)
{
    vsp_buf_append(&x->line, "\r\n", 2);
    if (x->line.len >= CSV_WRITE)
        csv_flush(x);
}

static FILE *open_text(xport *x, vsp_outfile *f)
{
    FILE *fp = fopen(f->tmp, "wb");
    if (!fp) {
        xfail(x, VSP_ECANTCREAT, "%s: cannot create: %s", f->path, strerror(errno));
        return NULL;
    }
    fputs("\xEF\xBB\xBF", fp); /* BOM: spreadsheets then read UTF-8 */
    return fp;
}

static void close_text(xport *x, vsp_outfile *f, FILE *fp)
{
    if (!fp)
        return;
    bool bad = ferror(fp) != 0;
    if (fclose(fp) != 0 || bad)
        xfail(x, VSP_EIO, "%s: cannot write: %s", f->path, strerror(errno));
}

static double excel_date(int32_t day)
{
    return (double)(vsp_day_to_days(day) + 25569); /* days since 1899-12-30 */
}

/* A Cases sheet with its header; NULL with err set on failure.  Safe on
 * the writer thread: it touches only the workbook. */
static lxw_worksheet *cases_sheet(const xport *x, int index, vsp_error *err)
{
    char name[32];
    if (index == 1)
        snprintf(name, sizeof name, "Cases");
    else
        snprintf(name, sizeof name, "Cases (%d)", index);
    if (vsp_xlsx_sheet_name_check(name, err) != VSP_OK)
        return NULL;
    lxw_worksheet *ws = workbook_add_worksheet(x->book, name);
    if (!ws) {
        vsp_error_set(err, VSP_ESOFTWARE, "cannot add the sheet '%s'", name);
        return NULL;
    }
    for (size_t j = 0; j < N_COLUMNS; j++) {
        lxw_error e = worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, columns[j].width, NULL);
        if (e == LXW_NO_ERROR)
            e = worksheet_write_string(ws, 0, (lxw_col_t)j, columns[j].name, x->f_head);
        if (e != LXW_NO_ERROR) {
            vsp_error_set(err, VSP_ESOFTWARE, "sheet '%s': %s", name, lxw_strerror(e));
            return NULL;
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
    return ws;
}

static const char *dim_code(char *const *table, int id)
{
    return id > 0 && id < MAX_DIM && table[id] ? table[id] : "";
}

/* One row of the export, copied out of SQLite so that another thread can
 * write it; what its class holds is in x->rel[cls]. */
typedef struct xrow {
    unsigned char case_p[VSP_PSEUDONYM_BYTES], content_p[VSP_PSEUDONYM_BYTES];
    int64_t hours[4];
    uint32_t cls;
    uint8_t dec, chan, has_content, has[4];
} xrow;

/* Row st of export_rows.sql into r, with its class's rank and its
 * pseudonyms: 1, or 0 when its class is left out; -1 after a failure
 * (reported). */
static int fill_row(xport *x, sqlite3_stmt *st, xrow *r)
{
    const char *cc = (const char *)sqlite3_column_text(st, 0);
    int c = country_index(cc);
    sqlite3_int64 day = sqlite3_column_int64(st, 1);
    sqlite3_int64 cat = sqlite3_column_int64(st, 2), out = sqlite3_column_int64(st, 3);
    int y = (int)(day / 10000), mo = (int)(day / 100 % 100);
    const class_entry *e = NULL;
    if (c >= 0 && day > 0 && day < 100000000 && mo >= 1 && mo <= 12 && cat >= 1 &&
        cat < MAX_DIM && out >= 0 && out < MAX_DIM)
        e = map_get(&x->rank_of, key_make(c, y * 12 + mo - 1, (int)cat, 0, (int)out, 0), false);
    if (!e)
        return 0; /* not in a released class (export_scan.sql checked the values) */
    /* the channel is read here only (export_scan.sql checks the rest) */
    sqlite3_int64 dec = sqlite3_column_int64(st, 6), chan = sqlite3_column_int64(st, 7);
    if (dec < 1 || dec >= MAX_DIM || chan < 0 || chan >= MAX_DIM) {
        xfail(x, VSP_EDATA, "warehouse: a case of %s holds a value outside the schema's "
                            "dimensions (decision %lld, channel %lld)",
              country_codes[c], (long long)dec, (long long)chan);
        return -1;
    }
    r->cls = (uint32_t)e->n;
    /* the case: "case" US country US case id; the item: "content" US key */
    const char *id = (const char *)sqlite3_column_text(st, 4);
    if (!id) {
        xfail(x, VSP_ESOFTWARE, "export: out of memory reading a case id");
        return -1;
    }
    vsp_buf_clear(&x->scratch);
    vsp_buf_puts(&x->scratch, cc);
    vsp_buf_putc(&x->scratch, '\x1f');
    vsp_buf_append(&x->scratch, id, (size_t)sqlite3_column_bytes(st, 4));
    bool ok = vsp_pseudonym_bytes(x->pz, "case", x->scratch.data, x->scratch.len, r->case_p);
    r->has_content = sqlite3_column_type(st, 5) != SQLITE_NULL;
    if (ok && r->has_content) {
        const char *key = (const char *)sqlite3_column_text(st, 5);
        ok = key && vsp_pseudonym_bytes(x->pz, "content", key,
                                        (size_t)sqlite3_column_bytes(st, 5), r->content_p);
    }
    if (!ok) {
        xfail(x, VSP_ESOFTWARE, "OpenSSL: HMAC-SHA-256 failed");
        return -1;
    }
    r->dec = (uint8_t)dec;
    r->chan = (uint8_t)chan;
    bool out_sup = x->rel[r->cls].out_sup;
    for (int j = 0; j < 4; j++) {
        /* a suppressed outcome takes the durations that would tell it */
        r->has[j] = !out_sup && sqlite3_column_type(st, 8 + j) != SQLITE_NULL;
        r->hours[j] = r->has[j] ? sqlite3_column_int64(st, 8 + j) : 0;
    }
    return 1;
}

/* Column j of r: text (T_TEXT; a pseudonym formatted into buf, at least
 * 34 bytes), or a number with *has (row_num). */
static const char *row_text(const xport *x, const xrow *r, size_t j, char *buf)
{
    const dims *d = &x->d;
    const rel_class *k = &x->rel[r->cls];
    switch (j) {
    case 0: pseudonym_hex("c", r->case_p, buf); return buf;
    case 1:
        if (!r->has_content)
            return "";
        pseudonym_hex("i", r->content_p, buf);
        return buf;
    case 2: return country_codes[k->country];
    case 3: return k->bucket;
    case 4: return k->quarter ? "quarter" : "month";
    case 7: return k->cat_sup ? VSP_EXPORT_SUPPRESSED : dim_code(d->category, k->cat);
    case 8: return k->cat_sup ? VSP_EXPORT_SUPPRESSED : dim_code(d->dsa, k->cat);
    case 9: return k->out_sup ? VSP_EXPORT_SUPPRESSED : dim_code(d->decision, r->dec);
    case 10: return k->out_sup ? VSP_EXPORT_SUPPRESSED : dim_code(d->outcome, k->out);
    case 11: return dim_code(d->channel, r->chan);
    default: return "";
    }
}

static int64_t row_num(const xport *x, const xrow *r, size_t j, bool *has)
{
    *has = true;
    if (j == 5)
        return x->rel[r->cls].start;
    if (j == 6)
        return x->rel[r->cls].end;
    *has = r->has[j - 12];
    return r->hours[j - 12];
}

/* A field as vsp_csv_text writes it, in a string of its own. */
static char *csv_field(const char *text)
{
    vsp_buf b;
    vsp_buf_init(&b);
    vsp_buf_append(&b, "", 0);
    vsp_csv_text(&b, text);
    return b.data;
}

/* The CSV text of the classes and the dimension codes, once: a row is then
 * mostly copies of it (formatting every field of every row cost a third of
 * the CSV's time).  The fields are those row_text and row_num give. */
static void csv_prepare(xport *x)
{
    char buf[40];
    x->csv_class = vsp_xcalloc(x->n_rel + 1, sizeof *x->csv_class);
    x->csv_outcome = vsp_xcalloc(x->n_rel + 1, sizeof *x->csv_outcome);
    vsp_buf b;
    vsp_buf_init(&b);
    for (size_t i = 0; i < x->n_rel; i++) {
        xrow r;
        memset(&r, 0, sizeof r);
        r.cls = (uint32_t)i;
        vsp_buf_clear(&b);
        vsp_buf_append(&b, "", 0);
        for (size_t j = 2; j <= 8; j++) {
            if (columns[j].type == T_TEXT) {
                vsp_csv_text(&b, row_text(x, &r, j, buf));
            } else {
                bool has;
                char iso[11];
                int64_t v = row_num(x, &r, j, &has);
                vsp_day_format((int32_t)v, iso);
                vsp_buf_append(&b, iso, 10);
            }
            vsp_buf_putc(&b, ',');
        }
        x->csv_class[i] = vsp_xstrdup(b.data);
        x->csv_outcome[i] = csv_field(row_text(x, &r, 10, buf));
    }
    vsp_buf_fini(&b);
    for (int id = 0; id < MAX_DIM; id++) {
        x->csv_dec[id] = csv_field(dim_code(x->d.decision, id));
        x->csv_chan[id] = csv_field(dim_code(x->d.channel, id));
    }
}

static void csv_unprepare(xport *x)
{
    for (size_t i = 0; x->csv_class && i < x->n_rel; i++)
        free(x->csv_class[i]), free(x->csv_outcome[i]);
    free(x->csv_class), free(x->csv_outcome);
    x->csv_class = x->csv_outcome = NULL;
    for (int id = 0; id < MAX_DIM; id++) {
        free(x->csv_dec[id]), free(x->csv_chan[id]);
        x->csv_dec[id] = x->csv_chan[id] = NULL;
    }
}

/* One CSV line: the columns of row_text and row_num, as csv_prepare made
 * them (a pseudonym, c or i and hex digits, is never quoted). */
static void csv_row(xport *x, const xrow *r)
{
    char buf[40];
    vsp_buf *l = &x->line;
    const rel_class *k = &x->rel[r->cls];
    pseudonym_hex("c", r->case_p, buf);
    vsp_buf_append(l, buf, 1 + 2 * VSP_PSEUDONYM_BYTES);
    vsp_buf_putc(l, ',');
    if (r->has_content) {
        pseudonym_hex("i", r->content_p, buf);
        vsp_buf_append(l, buf, 1 + 2 * VSP_PSEUDONYM_BYTES);
    }
    vsp_buf_putc(l, ',');
    vsp_buf_puts(l, x->csv_class[r->cls]);
    vsp_buf_puts(l, k->out_sup ? VSP_EXPORT_SUPPRESSED : x->csv_dec[r->dec]);
    vsp_buf_putc(l, ',');
    vsp_buf_puts(l, x->csv_outcome[r->cls]);
    vsp_buf_putc(l, ',');
    vsp_buf_puts(l, x->csv_chan[r->chan]);
    for (int j = 0; j < 4; j++) {
        vsp_buf_putc(l, ',');
        if (r->has[j])
            vsp_csv_int(l, r->hours[j]);
    }
    csv_line_end(x);
}

/* The Cases sheets, written by one thread (the writer) at a time. */
typedef struct sheet_writer {
    const xport *x;
    vsp_xlsx_stream *stream; /* NULL: cells through libxlsxwriter */
    lxw_worksheet *ws;
    int sheet_no;
    uint32_t row, per_sheet;
    vsp_error err;
    vsp_status st;
} sheet_writer;

static void sheet_row(sheet_writer *w, const xrow *r)
{
    if (w->st != VSP_OK)
        return;
    if (!w->ws || w->row == w->per_sheet) {
        lxw_error e = w->ws ? worksheet_autofilter(w->ws, 0, 0, w->row, N_COLUMNS - 1)
                            : LXW_NO_ERROR;
        if (e != LXW_NO_ERROR || !(w->ws = cases_sheet(w->x, ++w->sheet_no, &w->err))) {
            if (e != LXW_NO_ERROR)
                vsp_error_set(&w->err, VSP_ESOFTWARE, "Cases sheet: %s", lxw_strerror(e));
            w->st = w->err.status;
            return;
        }
        if (w->stream && (e = vsp_xlsx_stream_sheet(w->stream, w->ws, 1)) != LXW_NO_ERROR) {
            w->st = vsp_error_set(&w->err, VSP_ESOFTWARE, "Cases sheet: %s", lxw_strerror(e));
            return;
        }
        w->row = 0;
    }
    w->row++;
    char buf[40];
    for (size_t j = 0; j < N_COLUMNS; j++) {
        lxw_error e = LXW_NO_ERROR;
        if (columns[j].type == T_TEXT) {
            const char *t = row_text(w->x, r, j, buf);
            if (t[0])
                e = w->stream ? vsp_xlsx_stream_string(w->stream, w->row, (lxw_col_t)j, t, NULL)
                              : worksheet_write_string(w->ws, w->row, (lxw_col_t)j, t, NULL);
        } else {
            bool has;
            int64_t v = row_num(w->x, r, j, &has);
            lxw_format *f = columns[j].type == T_DATE ? w->x->f_date : w->x->f_int;
            double d = columns[j].type == T_DATE ? excel_date((int32_t)v) : (double)v;
            if (has)
                e = w->stream ? vsp_xlsx_stream_number(w->stream, w->row, (lxw_col_t)j, d, f)
                              : worksheet_write_number(w->ws, w->row, (lxw_col_t)j, d, f);
        }
        if (e != LXW_NO_ERROR) {
            int en = vsp_xlsx_stream_errno(w->stream);
            if (en)
                w->st = vsp_error_set(&w->err, VSP_EIO,
                                      "export: cannot write a temporary file: %s", strerror(en));
            else
                w->st = vsp_error_set(&w->err, VSP_ESOFTWARE, "Cases sheet, row %u: %s",
                                      (unsigned)w->row, lxw_strerror(e));
            return;
        }
    }
}

static void sheet_finish(sheet_writer *w)
{
    if (w->st != VSP_OK)
        return;
    if (!w->ws && !(w->ws = cases_sheet(w->x, ++w->sheet_no, &w->err))) {
        w->st = w->err.status;
        return; /* (no row: nothing to stream into it) */
    }
    lxw_error e = worksheet_autofilter(w->ws, 0, 0, w->row, N_COLUMNS - 1);
    if (e != LXW_NO_ERROR)
        w->st = vsp_error_set(&w->err, VSP_ESOFTWARE, "Cases sheet: %s", lxw_strerror(e));
}

/* Rows go from the reading thread (SQLite, CSV) to the writer thread
 * (libxlsxwriter) in batches of PIPE_BATCH through a temporary file that
 * the reader appends to and the writer reads in order.  A file, not a ring
 * in memory: a country's rows come out only when the next country begins
 * (row_sorter below), and with a bounded ring the writer sat idle through
 * every such sort while the reader was blocked on it; with the file the
 * reader runs ahead and sorts while the writer writes.  Memory stays at
 * two batches whatever the number of rows (the file grows like
 * libxlsxwriter's own temporary files, 80 bytes a row). */
#define PIPE_BATCH 1024
#define PIPE_BATCH_BYTES ((size_t)PIPE_BATCH * sizeof(xrow))

typedef struct row_pipe {
    pthread_mutex_t lock;
    pthread_cond_t filled;
    int fd;                      /* the batches, in order */
    int64_t produced, consumed;  /* batches */
    int last_n;                  /* rows in the last batch, once done */
    bool done, failed;
    bool read_error;             /* the writer could not read a batch back */
    sheet_writer *w;
} row_pipe;

static bool pipe_pwrite(int fd, const void *buf, size_t len, off_t off)
{
    const char *b = buf;
    while (len > 0) {
        ssize_t k = pwrite(fd, b, len, off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        b += k, len -= (size_t)k, off += k;
    }
    return true;
}

static bool pipe_pread(int fd, void *buf, size_t len, off_t off)
{
    char *b = buf;
    while (len > 0) {
        ssize_t k = pread(fd, b, len, off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        b += k, len -= (size_t)k, off += k;
    }
    return true;
}

static void *pipe_writer(void *arg)
{
    row_pipe *p = arg;
    xrow *rows = vsp_xmalloc(PIPE_BATCH_BYTES);
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (p->consumed == p->produced && !p->done)
            pthread_cond_wait(&p->filled, &p->lock);
        if (p->consumed == p->produced || p->failed) {
            pthread_mutex_unlock(&p->lock);
            break;
        }
        int64_t b = p->consumed;
        int n = p->done && b == p->produced - 1 ? p->last_n : PIPE_BATCH;
        pthread_mutex_unlock(&p->lock);
        bool ok = pipe_pread(p->fd, rows, (size_t)n * sizeof(xrow), (off_t)b * (off_t)PIPE_BATCH_BYTES);
        for (int i = 0; ok && i < n; i++)
            sheet_row(p->w, &rows[i]);
        pthread_mutex_lock(&p->lock);
        p->consumed++;
        if (!ok)
            p->read_error = true;
        if (!ok || p->w->st != VSP_OK)
            p->failed = true;
        pthread_mutex_unlock(&p->lock);
    }
    free(rows);
    return NULL;
}

/* ---- the row order: an external merge sort, one country at a time ----
 *
 * The rows come from the warehouse in primary-key order, so by country;
 * the order of the export (cmp_xrow: the released class's rank, which
 * orders countries first, then the case pseudonym) is made one country at
 * a time.  Rows gather in a buffer of SORT_RUN_ROWS; a full buffer is
 * sorted and written to a temporary file as a run, and when the country
 * ends its runs are merged (a heap of the runs' next rows, SORT_READ_ROWS
 * read ahead from each).  SORT_MAX_RUNS runs are merged into one before a
 * further run is written, so memory stays at the buffer and the read-ahead
 * (about 4 MB) whatever the number of rows.  SQLite's sorter did the same
 * through its virtual machine, with records of its own to build and
 * decode; here the rows stay xrows throughout.  VSP_EXPORT_SORT_RUN=N
 * makes the runs N rows long (tests/cli/export.sh: the same bytes with
 * runs of 3 rows, so that every merge is taken). */
#define SORT_RUN_ROWS 32768
#define SORT_MAX_RUNS 64
#define SORT_READ_ROWS 256

static int cmp_xrow(const void *a, const void *b)
{
    const xrow *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    return memcmp(x->case_p, y->case_p, VSP_PSEUDONYM_BYTES);
}

typedef struct sort_run {
    off_t off;  /* first row in the file */
    int64_t n;  /* rows */
} sort_run;

/* Where sorted rows go: false stops the sort (the sink reported why). */
typedef bool (*row_sink)(void *ctx, const xrow *r);

typedef struct row_sorter {
    xport *x;
    xrow *buf;                       /* run_rows: the rows not yet in a run */
    size_t n, run_rows;
    FILE *file;                      /* the runs; NULL until the first */
    off_t end;                       /* end of the runs written */
    sort_run runs[SORT_MAX_RUNS];
    int n_runs;
    xrow *ahead;                     /* SORT_MAX_RUNS x SORT_READ_ROWS */
    xrow *out;                       /* SORT_READ_ROWS: a merge into the file, not yet written */
    size_t n_out;
    off_t out_off;
} row_sorter;

static bool sorter_io_failed(row_sorter *s)
{
    xfail(s->x, VSP_EIO, "export: cannot use a temporary file: %s",
          errno ? strerror(errno) : "short read");
    return false;
}

/* The sink of a merge into the file: the rows appended at s->out_off. */
static bool sink_file(void *ctx, const xrow *r)
{
    row_sorter *s = ctx;
    s->out[s->n_out++] = *r;
    if (s->n_out < SORT_READ_ROWS)
        return true;
    if (!pipe_pwrite(fileno(s->file), s->out, s->n_out * sizeof(xrow), s->out_off))
        return sorter_io_failed(s);
    s->out_off += (off_t)(s->n_out * sizeof(xrow));
    s->n_out = 0;
    return true;
}

/* Merge s->runs into sink.  False when the sink stopped or I/O failed. */
static bool sorter_merge(row_sorter *s, row_sink sink, void *ctx)
{
    int n = s->n_runs, heap[SORT_MAX_RUNS], h = 0;
    int64_t pos[SORT_MAX_RUNS];   /* rows of the run taken into the read-ahead */
    int have[SORT_MAX_RUNS], at[SORT_MAX_RUNS];
    int fd = fileno(s->file);
    /* the run whose next row comes first; ties cannot happen (pseudonyms differ) */
#define HEAD(i) (&s->ahead[(size_t)(i) * SORT_READ_ROWS + (size_t)at[i]])
#define LESS(a, b) (cmp_xrow(HEAD(a), HEAD(b)) < 0)
    for (int i = 0; i < n; i++) {
        pos[i] = 0, have[i] = 0, at[i] = 0;
    }
    for (int i = 0; i < n; i++) {
        int64_t left = s->runs[i].n;
        int k = left < SORT_READ_ROWS ? (int)left : SORT_READ_ROWS;
        if (k == 0)
            continue;
        if (!pipe_pread(fd, &s->ahead[(size_t)i * SORT_READ_ROWS], (size_t)k * sizeof(xrow),
                        s->runs[i].off))
            return sorter_io_failed(s);
        pos[i] = k, have[i] = k;
        /* sift up */
        int c = h++;
        heap[c] = i;
        while (c > 0 && LESS(heap[c], heap[(c - 1) / 2])) {
            int t = heap[c];
            heap[c] = heap[(c - 1) / 2], heap[(c - 1) / 2] = t;
            c = (c - 1) / 2;
        }
    }
    while (h > 0) {
        int i = heap[0];
        if (!sink(ctx, HEAD(i)))
            return false;
        if (++at[i] == have[i]) {
            int64_t left = s->runs[i].n - pos[i];
            int k = left < SORT_READ_ROWS ? (int)left : SORT_READ_ROWS;
            if (k > 0) {
                if (!pipe_pread(fd, &s->ahead[(size_t)i * SORT_READ_ROWS],
                                (size_t)k * sizeof(xrow),
                                s->runs[i].off + (off_t)(pos[i] * (int64_t)sizeof(xrow))))
                    return sorter_io_failed(s);
                pos[i] += k, have[i] = k, at[i] = 0;
            } else {
                heap[0] = heap[--h]; /* the run is done */
            }
        }
        /* sift down */
        int c = 0;
        for (;;) {
            int l = 2 * c + 1, m = c;
            if (l < h && LESS(heap[l], heap[m]))
                m = l;
            if (l + 1 < h && LESS(heap[l + 1], heap[m]))
                m = l + 1;
            if (m == c)
                break;
            int t = heap[c];
            heap[c] = heap[m], heap[m] = t;
            c = m;
        }
    }
#undef LESS
#undef HEAD
    return true;
}

/* The buffer sorted and written as a run; SORT_MAX_RUNS runs merged into
 * one first. */
static bool sorter_spill(row_sorter *s)
{
    if (!s->file && !(s->file = tmpfile()))
        return sorter_io_failed(s);
    if (s->n_runs == SORT_MAX_RUNS) {
        s->n_out = 0;
        s->out_off = s->end;
        if (!sorter_merge(s, sink_file, s))
            return false;
        if (s->n_out && !pipe_pwrite(fileno(s->file), s->out, s->n_out * sizeof(xrow), s->out_off))
            return sorter_io_failed(s);
        s->out_off += (off_t)(s->n_out * sizeof(xrow));
        int64_t total = 0;
        for (int i = 0; i < s->n_runs; i++)
            total += s->runs[i].n;
        s->runs[0] = (sort_run){s->end, total};
        s->n_runs = 1;
        s->end = s->out_off;
    }
    qsort(s->buf, s->n, sizeof *s->buf, cmp_xrow);
    if (!pipe_pwrite(fileno(s->file), s->buf, s->n * sizeof(xrow), s->end))
        return sorter_io_failed(s);
    s->runs[s->n_runs++] = (sort_run){s->end, (int64_t)s->n};
    s->end += (off_t)(s->n * sizeof(xrow));
    s->n = 0;
    return true;
}

static bool sorter_add(row_sorter *s, const xrow *r)
{
    if (s->n == s->run_rows && !sorter_spill(s))
        return false;
    s->buf[s->n++] = *r;
    return true;
}

/* Every row added since the last flush, in order, into sink; the file is
 * then reused from its start. */
static bool sorter_flush(row_sorter *s, row_sink sink, void *ctx)
{
    bool ok = true;
    if (s->n_runs == 0) { /* all in memory */
        qsort(s->buf, s->n, sizeof *s->buf, cmp_xrow);
        for (size_t i = 0; ok && i < s->n; i++)
            ok = sink(ctx, &s->buf[i]);
    } else {
        ok = (s->n == 0 || sorter_spill(s)) && sorter_merge(s, sink, ctx);
    }
    s->n = 0;
    s->n_runs = 0;
    s->end = 0;
    return ok;
}

/* Pass 2: read the rows (export_rows.sql), put them in order (row_sorter),
 * and stream them into the CSV (this thread) and the Cases sheets (the
 * writer thread; this one if the thread or its file cannot start). */
typedef struct row_out {
    xport *x;
    sheet_writer *w;
    row_pipe *p;
    bool threaded;
    xrow *batch; /* PIPE_BATCH rows for the writer thread */
    int fill;
    int64_t written;
} row_out;

static bool emit_row(void *ctx, const xrow *r)
{
    row_out *o = ctx;
    xport *x = o->x;
    if (x->csv)
        csv_row(x, r);
    o->written++;
    const rel_class *k = &x->rel[r->cls];
    if (!k->out_sup && r->dec == x->dec_forwarded) {
        country_count *cc = &x->by_country[k->country];
        cc->rel_fwd++;
        cc->rel_actioned += x->out_actioned[k->out] == 1;
        cc->rel_pending += x->out_actioned[k->out] == 2;
    }
    if (!x->book)
        return x->st == VSP_OK;
    if (!o->threaded) {
        sheet_row(o->w, r);
        return o->w->st == VSP_OK && x->st == VSP_OK;
    }
    o->batch[o->fill] = *r;
    if (++o->fill < PIPE_BATCH)
        return x->st == VSP_OK;
    row_pipe *p = o->p;
    if (!pipe_pwrite(p->fd, o->batch, PIPE_BATCH_BYTES,
                     (off_t)p->produced * (off_t)PIPE_BATCH_BYTES)) {
        xfail(x, VSP_EIO, "export: cannot write a temporary file: %s", strerror(errno));
        return false;
    }
    o->fill = 0;
    pthread_mutex_lock(&p->lock);
    p->produced++;
    pthread_cond_signal(&p->filled);
    bool stop = p->failed;
    pthread_mutex_unlock(&p->lock);
    return !stop && x->st == VSP_OK;
}

static void write_rows(xport *x)
{
    sheet_writer w;
    memset(&w, 0, sizeof w);
    w.x = x;
    w.stream = x->stream;
    w.st = VSP_OK;
    w.per_sheet = x->opt->rows_per_sheet ? x->opt->rows_per_sheet : VSP_EXPORT_XLSX_ROWS;
    if (w.per_sheet > VSP_EXPORT_XLSX_ROWS)
        w.per_sheet = VSP_EXPORT_XLSX_ROWS;
    if (x->csv) {
        for (size_t j = 0; j < N_COLUMNS; j++) {
            if (j)
                vsp_buf_putc(&x->line, ',');
            vsp_csv_text(&x->line, columns[j].name);
        }
        csv_line_end(x);
        csv_prepare(x);
    }
    sqlite3_stmt *st = x->st == VSP_OK ? prepare_period(x, "export_rows") : NULL;
    if (!st)
        return;

    row_pipe p;
    memset(&p, 0, sizeof p);
    p.w = &w;
    p.fd = -1;
    row_out o = {.x = x, .w = &w, .p = &p, .batch = vsp_xmalloc(PIPE_BATCH_BYTES)};
    FILE *spill = NULL;
    pthread_t thread;
    if (x->book && (spill = tmpfile()) != NULL && pthread_mutex_init(&p.lock, NULL) == 0) {
        p.fd = fileno(spill);
        if (pthread_cond_init(&p.filled, NULL) == 0) {
            o.threaded = pthread_create(&thread, NULL, pipe_writer, &p) == 0;
            if (!o.threaded)
                pthread_cond_destroy(&p.filled);
        }
        if (!o.threaded)
            pthread_mutex_destroy(&p.lock);
    }

    row_sorter sorter;
    memset(&sorter, 0, sizeof sorter);
    sorter.x = x;
    sorter.run_rows = SORT_RUN_ROWS;
    /* VSP_EXPORT_SORT_RUN: shorter runs, for the tests of the merges */
    const char *env = getenv("VSP_EXPORT_SORT_RUN");
    if (env && atoi(env) >= 1 && atoi(env) < SORT_RUN_ROWS)
        sorter.run_rows = (size_t)atoi(env);
    sorter.buf = vsp_xmalloc(SORT_RUN_ROWS * sizeof(xrow));
    sorter.ahead = vsp_xmalloc((size_t)SORT_MAX_RUNS * SORT_READ_ROWS * sizeof(xrow));
    sorter.out = vsp_xmalloc(SORT_READ_ROWS * sizeof(xrow));
    int rc = SQLITE_DONE, country = -1;
    bool ok = true;
    xrow r;
    memset(&r, 0, sizeof r);
    while (ok && x->st == VSP_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int got = fill_row(x, st, &r);
        if (got < 0)
            break;
        if (got == 0)
            continue; /* a class left out */
        int c = x->rel[r.cls].country;
        if (c != country) {
            /* a country's rows are all read: out in order (the query's
             * ORDER BY c.country, the table's own order, keeps them
             * together; countries come in code order, as the ranks) */
            if (c < country) {
                xfail(x, VSP_ESOFTWARE, "export: the rows of %s came after those of %s",
                      country_codes[c], country_codes[country]);
                break;
            }
            ok = sorter_flush(&sorter, emit_row, &o);
            country = c;
        }
        ok = ok && sorter_add(&sorter, &r);
    }
    if (ok && x->st == VSP_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        store_failed(x, "reading queries/export_rows.sql");
    sqlite3_finalize(st);
    if (ok && x->st == VSP_OK)
        sorter_flush(&sorter, emit_row, &o);
    if (sorter.file)
        fclose(sorter.file);
    free(sorter.buf);
    free(sorter.ahead);
    free(sorter.out);
    if (o.threaded) {
        bool last = o.fill > 0 && x->st == VSP_OK &&
                    pipe_pwrite(p.fd, o.batch, (size_t)o.fill * sizeof(xrow),
                                (off_t)p.produced * (off_t)PIPE_BATCH_BYTES);
        if (o.fill > 0 && x->st == VSP_OK && !last)
            xfail(x, VSP_EIO, "export: cannot write a temporary file: %s", strerror(errno));
        pthread_mutex_lock(&p.lock);
        if (last)
            p.produced++;
        p.last_n = last ? o.fill : PIPE_BATCH;
        if (x->st != VSP_OK)
            p.failed = true; /* the writer stops at its next batch */
        p.done = true;
        pthread_cond_signal(&p.filled);
        pthread_mutex_unlock(&p.lock);
        pthread_join(thread, NULL);
        pthread_cond_destroy(&p.filled);
        pthread_mutex_destroy(&p.lock);
        if (p.read_error)
            xfail(x, VSP_EIO, "export: cannot read a temporary file back");
    }
    if (spill)
        fclose(spill);
    free(o.batch);
    if (x->book) {
        sheet_finish(&w);
        if (w.st != VSP_OK)
            xfail(x, w.st, "%s", w.err.msg);
    }
    x->res.xlsx_sheets = w.sheet_no;
    if (x->st == VSP_OK && o.written != x->res.released)
        xfail(x, VSP_ESOFTWARE, "export: wrote %" PRId64 " rows, expected %" PRId64, o.written,
              x->res.released);
}

static void write_dictionary(xport *x)
{
    const char *notes[N_NOTES];
    char key_note[512];
    dictionary_notes(x, notes, key_note);
    /* the plain file */
    FILE *fp = open_text(x, &x->f_dict);
    if (fp) {
        vsp_buf_clear(&x->line);
        fputs("column,role,type,values,description\r\n", fp);
        static const char *const types[] = {"text", "integer", "date"};
        for (size_t j = 0; j < N_COLUMNS; j++) {
            vsp_buf_clear(&x->line);
            vsp_csv_text(&x->line, columns[j].name);
            vsp_buf_putc(&x->line, ',');
            vsp_csv_text(&x->line, columns[j].role);
            vsp_buf_putc(&x->line, ',');
            vsp_csv_text(&x->line, types[columns[j].type]);
            vsp_buf_putc(&x->line, ',');
            vsp_csv_text(&x->line, columns[j].values);
            vsp_buf_putc(&x->line, ',');
            vsp_csv_text(&x->line, columns[j].description);
            vsp_buf_append(&x->line, "\r\n", 2);
            fwrite(x->line.data, 1, x->line.len, fp);
        }
        for (int i = 0; i < N_NOTES; i++) {
            vsp_buf_clear(&x->line);
            vsp_buf_puts(&x->line, "(note),note,,,");
            vsp_csv_text(&x->line, notes[i]);
            vsp_buf_append(&x->line, "\r\n", 2);
            fwrite(x->line.data, 1, x->line.len, fp);
        }
        vsp_buf_clear(&x->line);
        close_text(x, &x->f_dict, fp);
    }
    /* the sheet */
    if (!x->book || x->st != VSP_OK)
        return;
    lxw_worksheet *ws = add_sheet(x, "Dictionary");
    if (!ws)
        return;
    static const char *const head[] = {"column", "role", "type", "values", "description"};
    static const char *const types[] = {"text", "integer", "date"};
    static const double widths[] = {28, 16, 9, 40, 100};
    for (lxw_col_t c = 0; c < 5; c++) {
        xcheck(x, worksheet_set_column(ws, c, c, widths[c], c >= 3 ? x->f_wrap : NULL), "width");
        xcheck(x, worksheet_write_string(ws, 0, c, head[c], x->f_head), "Dictionary");
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t r = 1;
    for (size_t j = 0; j < N_COLUMNS; j++, r++) {
        xcheck(x, worksheet_write_string(ws, r, 0, columns[j].name, NULL), "Dictionary");
        xcheck(x, worksheet_write_string(ws, r, 1, columns[j].role, NULL), "Dictionary");
        xcheck(x, worksheet_write_string(ws, r, 2, types[columns[j].type], NULL), "Dictionary");
        xcheck(x, worksheet_write_string(ws, r, 3, columns[j].values, x->f_wrap), "Dictionary");
        xcheck(x, worksheet_write_string(ws, r, 4, columns[j].description, x->f_wrap),
               "Dictionary");
    }
    r++;
    for (int i = 0; i < N_NOTES; i++, r++) {
        xcheck(x, worksheet_write_string(ws, r, 0, "(note)", NULL), "Dictionary");
        xcheck(x, worksheet_write_string(ws, r, 1, "note", NULL), "Dictionary");
        xcheck(x, worksheet_write_string(ws, r, 4, notes[i], x->f_wrap), "Dictionary");
    }
}

static double pct(int64_t part, int64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* An action rate (DESIGN §5: actioned / (forwarded - outcome pending)) as
 * text, or "n/a". */
static void rate_text(int64_t actioned, int64_t fwd, int64_t pending, char out[24])
{
    if (fwd - pending <= 0)
        snprintf(out, 24, "n/a");
    else
        snprintf(out, 24, "%.1f %%", pct(actioned, fwd - pending));
}

/* The threat model: who is protected, what an attacker knows, what they
 * must not learn, and why each column has its role. */
static const char threat_model[] =
    "## Threat model\n\n"
    "**Who is protected.** Above all the people who reported content to a regulator: that "
    "they reported, which item, how (channel) and when must not be learnt from this release. "
    "Also the regulators' staff, whose own reports (`ex_officio`) and handling times are in "
    "it.\n\n"
    "**What an attacker knows.** The reported content is public: anyone can see an item and "
    "tell its category. Its creator knows their own item: in which country it was restricted "
    "and roughly when, and what the platform did with it (removed, blocked, restricted, "
    "account suspended or banned; the platform tells them). Every other output of vspreport "
    "is public too: the workbooks, PDF reports, charts and their CSV tables and the web "
    "edition, with counts by country, category, outcome and period, and the cross-border "
    "items (given there by category and countries for the whole period, never a day, and "
    "only for groups of at least k items).\n\n"
    "**What they must not learn.** Which row is a given item's report: from it they would "
    "learn how and when it was reported, whether other reports of the same item exist "
    "(`content_pseudonym`) and how the regulator handled it.\n\n"
    "**So the quasi-identifiers are** what an attacker can know of a case, and k-anonymity "
    "holds over them:\n\n"
    "| column | role | why |\n|---|---|---|\n"
    "| country | quasi-identifier | the creator knows where their item was restricted; every "
    "public output is by country |\n"
    "| received_period | quasi-identifier | the creator knows roughly when; other outputs are "
    "by period |\n"
    "| category | quasi-identifier | the content is public: anyone can tell what an item "
    "shows |\n"
    "| outcome | quasi-identifier | the platform tells the creator what it did; a declined or "
    "pending item is the absence of action, kept as a value all the same |\n"
    "| decision | attribute | known only to the regulator and the reporter (who is the one "
    "protected); suppressed with the outcome, which it would tell |\n"
    "| channel | attribute | known only to the reporter and the regulator: it is what the "
    "release tells, not what an attacker brings |\n"
    "| durations (hours) | attribute | the regulator's internal times; no attacker knows "
    "them, and they give no date; suppressed with the outcome |\n"
    "| case_pseudonym, content_pseudonym | pseudonym | keyed hashes; the content pseudonym "
    "links the reports of one item (see residual risks) |\n"
    "| period_grain, period_start, period_end, dsa_category | derived | follow from "
    "received_period or category |\n\n";

/* The anonymisation report as Markdown into b. */
static void report_text(xport *x, vsp_buf *b)
{
    const vsp_export_result *r = &x->res;
    const vsp_export_options *o = x->opt;
    char s[11], e[11];
    vsp_day_format(x->period.start_day, s);
    vsp_day_format(x->period.end_day, e);
    vsp_buf_printf(b, "# Anonymisation report: research export %s\n\n", x->period.label);
    vsp_buf_printf(b, "Written by vspreport %s at %s; data freeze %s.\n\n", VSP_VERSION,
                   x->time_iso, x->freeze[0] ? x->freeze : "none");
    vsp_buf_puts(b, threat_model);
    vsp_buf_puts(b, "## Method\n\n");
    vsp_buf_printf(b, "- Period: %s (%s to %s, by the date received in the regulator's time "
                      "zone)\n", x->period.label, s, e);
    vsp_buf_printf(b, "- k: %d. Every combination of the quasi-identifiers' released values "
                      "holds at least k rows, a quarter and a suppressed value (`%s`) each "
                      "counted as a value of its own; an empty outcome is a value too.\n",
                   o->k, VSP_EXPORT_SUPPRESSED);
    vsp_buf_printf(b, "- Date grain: %s\n",
                   o->grain == VSP_EXPORT_MONTH
                       ? "month; a month class smaller than k is generalised to its quarter, "
                         "and a quarter class still short takes in whole month classes of the "
                         "same country, category and outcome where that reaches k "
                         "(generalising before suppressing)"
                       : "quarter");
    vsp_buf_puts(b,
                 "- Values before rows (as sdcMicro's local suppression and ARX do): a quarter "
                 "class still smaller than k loses its category (`*`, with its DSA category); "
                 "a (country, quarter, `*`, outcome) class still short is filled up with the "
                 "smallest whole classes of the same country, quarter and outcome that can "
                 "spare their category; one still short loses its outcome too (with the "
                 "decision and the durations, which would tell it), filled up the same way. "
                 "Country is never suppressed. A row is left out only when nothing else "
                 "reaches k: its country has fewer than k cases in the quarter.\n"
                 "- A category with at least k cases in the period stays present: where none "
                 "of its classes would reach k, the country and quarter with the most of its "
                 "cases show it with the outcome suppressed instead.\n");
    vsp_buf_printf(b, "- A suppressed value is written `%s` in every text column; a suppressed "
                      "duration is empty.\n",
                   VSP_EXPORT_SUPPRESSED);
    if (r->random_key)
        vsp_buf_printf(b, "- Pseudonym key: random, for this export only, not kept (key id "
                          "%s): the pseudonyms cannot be linked to other exports\n",
                       r->key_id);
    else
        vsp_buf_printf(b, "- Pseudonym key: given by the publisher through %s (key id %s): "
                          "exports with the same key share pseudonyms\n",
                       o->key_source ? o->key_source : "a key file", r->key_id);
    vsp_buf_puts(b, "\n## Result\n\n");
    vsp_buf_puts(b, "| | rows | classes |\n|---|---:|---:|\n");
    vsp_buf_printf(b, "| cases received in the period | %" PRId64 " | |\n", r->cases);
    vsp_buf_printf(b, "| released at month grain | %" PRId64 " | %" PRId64 " |\n", r->rows_month,
                   r->classes_month);
    vsp_buf_printf(b, "| %s | %" PRId64 " | %" PRId64 " |\n",
                   o->grain == VSP_EXPORT_MONTH ? "generalised to the quarter, released"
                                                : "released at quarter grain",
                   r->rows_generalised, r->classes_quarter);
    vsp_buf_printf(b, "| left out (nothing else reached k) | %" PRId64 " | %" PRId64 " |\n",
                   r->rows_suppressed, r->classes_suppressed);
    vsp_buf_printf(b, "| **released in total** | **%" PRId64 "** | **%" PRId64 "** |\n\n",
                   r->released, r->classes_month + r->classes_quarter);
    vsp_buf_printf(b, "Released: %.1f %% of the period's cases.\n\n", pct(r->released, r->cases));
    if (r->released)
        vsp_buf_printf(b, "k achieved: %" PRId64 ". Every released row shares its "
                          "quasi-identifiers with at least %" PRId64 " other rows; the smallest "
                          "class has %" PRId64 " rows (k = %d asked).\n\n",
                       r->k_achieved, r->k_achieved - 1, r->k_achieved, o->k);
    else
        vsp_buf_puts(b, "k achieved: no row was released.\n\n");

    vsp_buf_puts(b, "## Information loss by column\n\n"
                    "Share of the period's cases whose value in the column is not as in the "
                    "warehouse (generalised, suppressed, or the row left out).\n\n"
                    "| column | generalised | suppressed (`*` or empty) | row left out | "
                    "released as is |\n|---|---:|---:|---:|---:|\n");
    int64_t n = r->cases, gone = r->rows_suppressed;
    const struct {
        const char *col;
        int64_t gen, sup;
    } loss[] = {
        {"country", 0, 0},
        {"received_period", r->rows_generalised, 0},
        {"category, dsa_category", 0, r->values_cat_suppressed},
        {"outcome, decision, durations", 0, r->values_out_suppressed},
        {"channel", 0, 0},
    };
    for (size_t i = 0; i < sizeof loss / sizeof loss[0]; i++)
        vsp_buf_printf(b, "| %s | %" PRId64 " (%.1f %%) | %" PRId64 " (%.1f %%) | %" PRId64
                          " (%.1f %%) | %.1f %% |\n",
                       loss[i].col, loss[i].gen, pct(loss[i].gen, n), loss[i].sup,
                       pct(loss[i].sup, n), gone, pct(gone, n),
                       100.0 - pct(loss[i].gen + loss[i].sup + gone, n));
    if (o->grain == VSP_EXPORT_QUARTER)
        vsp_buf_puts(b, "\n(At quarter grain every period is a quarter by choice: counted as "
                        "generalised.)\n");

    vsp_buf_puts(b, "\n## By country\n\n"
                    "Rows, values changed, and the action rate (actioned / (forwarded - "
                    "outcome pending)) of every case against the one recomputed from the "
                    "released rows whose outcome is shown.\n\n"
                    "| country | cases | month grain | quarter | category `*` | outcome `*` | "
                    "left out | released | action rate, all cases | action rate, release |\n"
                    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int c = 0; c < N_COUNTRIES; c++) {
        const country_count *cc = &x->by_country[c];
        char all[24], rel[24];
        rate_text(cc->actioned, cc->fwd, cc->pending, all);
        rate_text(cc->rel_actioned, cc->rel_fwd, cc->rel_pending, rel);
        vsp_buf_printf(b, "| %s | %" PRId64 " | %" PRId64 " | %" PRId64 " | %" PRId64
                          " | %" PRId64 " | %" PRId64 " | %" PRId64 " | %s | %s |\n",
                       country_codes[c], cc->cases, cc->month, cc->generalised, cc->cat_sup,
                       cc->out_sup, cc->suppressed, cc->month + cc->generalised, all, rel);
    }
    vsp_buf_puts(b, "\n## What was removed or coarsened\n\n"
                    "- Removed: case ids (replaced by keyed pseudonyms), content URLs and "
                    "content keys (replaced by keyed pseudonyms), account handles, reporter "
                    "names, e-mails and phones, notes, the national labels as written, the "
                    "legal basis, the platform and item kind, the ingest provenance (files, "
                    "lines, runs).\n"
                    "- Coarsened: every date to the month (or quarter) received; the steps in "
                    "between as durations in whole hours.\n"
                    "- Row order: by country, period, released category and outcome, then "
                    "pseudonym, so that it tells nothing about case ids, dates within a period "
                    "or a suppressed value.\n"
                    "- CSV: text that a spreadsheet would run as a formula (starting with = + - "
                    "@, TAB or CR) gets a leading apostrophe; numbers stay numbers.\n");
    vsp_buf_puts(b, "\n## Residual risks\n\n"
                    "- Attributes are not protected by k-anonymity: where all rows of a class "
                    "share a channel or a decision (homogeneity), whoever places an item in "
                    "that class learns it.\n"
                    "- Durations are not quasi-identifiers here: someone who knows the exact "
                    "times of a case may still recognise it within its class.\n"
                    "- Content pseudonyms link the reports of one item; an item reported many "
                    "times, or in several countries, forms a recognisable group. The public "
                    "cross-border lists give such items only by category and countries for "
                    "the whole period, and only groups of at least k items; but the reports' "
                    "counts of cross-border items by category are not coarsened: where a "
                    "category holds fewer than k such items and this release shows one of "
                    "them with its category suppressed, the two together can tell it.\n"
                    "- Anyone who holds the key can recompute pseudonyms from case ids and "
                    "content keys (content keys are public video ids): keep a given key "
                    "secret, or let the export use a random one.\n");
}

static void write_report(xport *x)
{
    vsp_buf b;
    vsp_buf_init(&b);
    report_text(x, &b);
    FILE *fp = fopen(x->f_report.tmp, "wb");
    if (!fp) {
        xfail(x, VSP_ECANTCREAT, "%s: cannot create: %s", x->f_report.path, strerror(errno));
    } else {
        fwrite(b.data, 1, b.len, fp);
        close_text(x, &x->f_report, fp);
    }
    vsp_buf_fini(&b);
    if (!x->book || x->st != VSP_OK)
        return;
    /* the same figures as a sheet */
    lxw_worksheet *ws = add_sheet(x, "Anonymisation");
    if (!ws)
        return;
    const vsp_export_result *r = &x->res;
    xcheck(x, worksheet_set_column(ws, 0, 0, 46, NULL), "width");
    xcheck(x, worksheet_set_column(ws, 1, 7, 13, NULL), "width");
    const struct {
        const char *label;
        int64_t v;
    } rows[] = {
        {"k asked", x->opt->k},
        {"k achieved (smallest released class)", r->k_achieved},
        {"cases received in the period", r->cases},
        {"rows released at month grain", r->rows_month},
        {"rows generalised to the quarter and released", r->rows_generalised},
        {"rows left out (nothing else reached k)", r->rows_suppressed},
        {"rows released in total", r->released},
        {"released rows with category suppressed (*)", r->values_cat_suppressed},
        {"released rows with outcome and decision suppressed (*)", r->values_out_suppressed},
        {"classes released at month grain", r->classes_month},
        {"classes released at quarter grain", r->classes_quarter},
        {"classes left out", r->classes_suppressed},
    };
    xcheck(x, worksheet_write_string(ws, 0, 0, "figure", x->f_head), "Anonymisation");
    xcheck(x, worksheet_write_string(ws, 0, 1, "value", x->f_head), "Anonymisation");
    lxw_row_t row = 1;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++, row++) {
        xcheck(x, worksheet_write_string(ws, row, 0, rows[i].label, NULL), "Anonymisation");
        xcheck(x, worksheet_write_number(ws, row, 1, (double)rows[i].v, x->f_int),
               "Anonymisation");
    }
    xcheck(x, worksheet_write_string(ws, row, 0, "date grain", NULL), "Anonymisation");
    xcheck(x, worksheet_write_string(ws, row++, 1,
                                     x->opt->grain == VSP_EXPORT_MONTH ? "month" : "quarter", NULL),
           "Anonymisation");
    xcheck(x, worksheet_write_string(ws, row, 0, "pseudonym key", NULL), "Anonymisation");
    xcheck(x, worksheet_write_string(ws, row++, 1,
                                     r->random_key ? "random, this export only" : "given", NULL),
           "Anonymisation");
    xcheck(x, worksheet_write_string(ws, row, 0, "key id", NULL), "Anonymisation");
    xcheck(x, worksheet_write_string(ws, row++, 1, r->key_id, NULL), "Anonymisation");
    row++;
    static const char *const head[] = {"country",     "cases",       "month grain",
                                       "quarter",     "category *",  "outcome *",
                                       "left out",    "released"};
    for (lxw_col_t c = 0; c < 8; c++)
        xcheck(x, worksheet_write_string(ws, row, c, head[c], x->f_head), "Anonymisation");
    row++;
    for (int c = 0; c < N_COUNTRIES; c++, row++) {
        const country_count *cc = &x->by_country[c];
        const int64_t v[] = {cc->cases,  cc->month,      cc->generalised,
                             cc->cat_sup, cc->out_sup,   cc->suppressed,
                             cc->month + cc->generalised};
        xcheck(x, worksheet_write_string(ws, row, 0, country_codes[c], NULL), "Anonymisation");
        for (lxw_col_t j = 0; j < 7; j++)
            xcheck(x, worksheet_write_number(ws, row, j + 1, (double)v[j], x->f_int),
                   "Anonymisation");
    }
    row++;
    xcheck(x, worksheet_write_string(ws, row, 0,
                                     "The full report, with the threat model, the information "
                                     "loss by column and country, what was removed and the "
                                     "residual risks, is the file beside this workbook ending "
                                     "in -anonymisation.md.",
                                     NULL),
           "Anonymisation");
}

static bool random_key(unsigned char *key, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = getrandom(key + got, n - got, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    if (got == n)
        return true;
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0)
        return false;
    got = 0;
    while (got < n) {
        ssize_t k = read(fd, key + got, n - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    return got == n;
}

static void iso_time(time_t t, char buf[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool begin_file(xport *x, vsp_outfile *f, const char *base, const char *suffix,
                       int slot)
{
    char *path = vsp_xasprintf("%s/%s%s", x->opt->out_dir, base, suffix);
    vsp_error e;
    bool ok = vsp_outfile_begin(f, path, &e) == VSP_OK;
    if (!ok)
        xfail(x, e.status, "%s", e.msg);
    else
        x->res.files[slot] = vsp_xstrdup(path);
    free(path);
    return ok;
}

/* ---- vsp_export_write: the steps ---------------------------------- *
 *
 * One status pattern throughout: every step is a void function that does
 * nothing once x->st is set, and every failure goes through xfail() (or
 * store_failed() for the warehouse), so that the first failure is the one
 * reported, with its own status and message.  A callee that reports into
 * a vsp_error of its own is passed a local one and its message handed on
 * with xfail_from().  vsp_export_write only sequences the steps and
 * releases what they made. */

/* Options, period, time, the pseudonym key (*rnd: a random one when none
 * is given). */
static void export_setup(xport *x, unsigned char rnd[32])
{
    const vsp_export_options *opt = x->opt;
    vsp_error e;
    if (opt->k < 1) {
        xfail(x, VSP_EUSAGE, "k must be at least 1");
        return;
    }
    if (vsp_period_parse(opt->period, &x->period, &e) != VSP_OK ||
        vsp_source_time(&x->created, &e) != VSP_OK) {
        xfail_from(x, &e);
        return;
    }
    iso_time(x->created, x->time_iso);
    const unsigned char *key = opt->key;
    size_t key_len = opt->key_len;
    if (!key) {
        if (!random_key(rnd, 32)) {
            xfail(x, VSP_EIO, "cannot read random bytes for the pseudonym key: %s",
                  strerror(errno));
            return;
        }
        key = rnd, key_len = 32;
        x->res.random_key = true;
    } else if (key_len < VSP_EXPORT_KEY_MIN || key_len > VSP_EXPORT_KEY_MAX) {
        xfail(x, VSP_EUSAGE, "the pseudonym key must be %d to %d bytes long", VSP_EXPORT_KEY_MIN,
              VSP_EXPORT_KEY_MAX);
        return;
    }
    if (!(x->pz = vsp_pseudonymizer_new(key, key_len, &e))) {
        xfail_from(x, &e);
        return;
    }
    char kid[48];
    if (!vsp_pseudonym(x->pz, "", "key id", "", 0, kid)) {
        xfail(x, VSP_ESOFTWARE, "OpenSSL: HMAC-SHA-256 failed");
        return;
    }
    memcpy(x->res.key_id, kid, 16);
    x->res.key_id[16] = '\0';
    if (vsp_aggregate_data_freeze(x->store, x->freeze, &e) != VSP_OK)
        x->freeze[0] = '\0'; /* not known: the report says so */
}

/* Pass 1 and the release plan, in one read transaction that write_rows
 * shares (*own_txn: this function began it), so that both passes see the
 * same cases even if an ingest commits in between (WAL keeps the
 * snapshot). */
static void plan_export(xport *x, bool *own_txn)
{
    if (x->st != VSP_OK)
        return;
    sqlite3 *db = vsp_store_db(x->store);
    if (sqlite3_get_autocommit(db)) {
        if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
            store_failed(x, "starting a read");
            return;
        }
        *own_txn = true;
    }
    load_dims(x);
    if (x->st == VSP_OK)
        count_classes(x);
    if (x->st == VSP_OK)
        decide_classes(x);
}

/* The output folder and every file under its temporary name; the CSV
 * opened for writing. */
static void begin_outputs(xport *x, const char *base)
{
    const vsp_export_options *opt = x->opt;
    if (x->st != VSP_OK)
        return;
    if (mkdir(opt->out_dir, 0777) != 0 && errno != EEXIST) {
        xfail(x, VSP_ECANTCREAT, "%s: cannot create the folder: %s", opt->out_dir,
              strerror(errno));
        return;
    }
    if ((opt->xlsx && !begin_file(x, &x->f_xlsx, base, ".xlsx", 0)) ||
        (opt->csv && !begin_file(x, &x->f_csv, base, ".csv", 1)) ||
        !begin_file(x, &x->f_dict, base, "-dictionary.csv", 2) ||
        !begin_file(x, &x->f_report, base, "-anonymisation.md", 3))
        return;
    if (opt->csv) {
        if (!(x->csv = open_text(x, &x->f_csv)))
            return;
        setvbuf(x->csv, NULL, _IOFBF, 1 << 20);
    }
}

/* The zlib level of the streamed Cases rows (the other parts keep
 * libxlsxwriter's 6).  Measured on the Cases sheet of a million rows
 * (788 MB of XML, 256 KiB blocks, one core, 2026-12-06):
 *     level 1  115.4 MB (14.6 %)  3.3 s     level 4  105.5 MB  4.7 s
 *     level 2  115.8 MB           3.4 s     level 5   97.5 MB  6.5 s
 *     level 3  109.2 MB (13.9 %)  4.0 s     level 6   97.0 MB (12.3 %)  8.5 s
 * Level 1 makes the workbook 19 % larger (97 -> 116 MB) for a third of
 * level 6's CPU, and deflate is still the largest part of the export's
 * CPU after SQLite: at level 3 the export would need 0.7 s more of CPU
 * for 6 % less, at level 6 5 s more.  Every reader unzips the same XML.
 * Where the build has ISA-L, level 1 is igzip's (reports/xlsx_deflate.h):
 * the export of a million rows (both formats) 4.7 -> 2.7 s of CPU, its
 * workbook 116.1 -> 110.8 MB (three alternated runs, 2026-12-06).  igzip
 * chooses its code for the CPU when it runs; its bytes are the same on
 * every x86-64 with SSE4.2, and may differ without it. */
#define EXPORT_DEFLATE_LEVEL 1

/* The workbook (constant-memory mode: rows in order, flat memory), its
 * formats and document properties (created pinned to the source time). */
static void workbook_begin(xport *x)
{
    if (x->st != VSP_OK || !x->opt->xlsx)
        return;
    lxw_workbook_options wo = {0};
    wo.constant_memory = LXW_TRUE;
    wo.use_zip64 = x->res.released > 2000000 ? LXW_TRUE : LXW_FALSE;
    x->book = workbook_new_opt(x->f_xlsx.tmp, &wo);
    if (!x->book) {
        xfail(x, VSP_ECANTCREAT, "%s: cannot start the workbook", x->f_xlsx.path);
        return;
    }
    x->f_head = workbook_add_format(x->book);
    format_set_bold(x->f_head);
    format_set_bottom(x->f_head, LXW_BORDER_THIN);
    format_set_bg_color(x->f_head, 0xEDF3F9);
    x->f_date = workbook_add_format(x->book);
    format_set_num_format(x->f_date, "yyyy-mm-dd");
    x->f_int = workbook_add_format(x->book);
    format_set_num_format(x->f_int, "0");
    x->f_wrap = workbook_add_format(x->book);
    format_set_text_wrap(x->f_wrap);
    format_set_align(x->f_wrap, LXW_ALIGN_VERTICAL_TOP);
    /* the Cases rows through reports/xlsx_stream.h where it works here;
     * VSP_XLSX_STREAM=0 sends them through libxlsxwriter, as before (the
     * same XML, several times the time) */
    const char *env = getenv("VSP_XLSX_STREAM");
    if (!env || strcmp(env, "0") != 0) {
        vsp_error e;
        x->stream = vsp_xlsx_stream_new(EXPORT_DEFLATE_LEVEL, export_workers(), &e);
    }
    char title[128];
    snprintf(title, sizeof title, "Research export %s (anonymised)", x->period.label);
    char subject[] = "Reports of harmful and illegal content on video-sharing platforms, "
                     "case level, anonymised";
    char author[] = "vspreport";
    char keywords[] = "TikTok, DSA, research, k-anonymity";
    char comments[] = "vspreport " VSP_VERSION;
    lxw_doc_properties props = {0};
    props.title = title;
    props.subject = subject;
    props.author = author;
    props.keywords = keywords;
    props.comments = comments;
    props.created = x->created;
    xcheck(x, workbook_set_properties(x->book, &props), "workbook properties");
}

/* The CSV flushed and closed (under its temporary name). */
static void csv_finish(xport *x)
{
    if (!x->csv)
        return;
    csv_flush(x);
    if (fflush(x->csv) != 0)
        xfail(x, VSP_EIO, "%s: cannot write: %s", x->f_csv.path, strerror(errno));
    close_text(x, &x->f_csv, x->csv);
    x->csv = NULL;
}

/* The workbook closed: written out and zipped (under its temporary name).
 * Closed after a failure too, to free it; the file is then discarded. */
static void workbook_finish(xport *x)
{
    if (!x->book)
        return;
    lxw_error e;
    if (x->stream && x->st == VSP_OK) {
        /* the streamed rows spliced into their sheets */
        e = vsp_xlsx_stream_close(x->stream, x->book, export_workers());
        int en = vsp_xlsx_stream_errno(x->stream);
        if (e != LXW_NO_ERROR && en)
            xfail(x, VSP_EIO, "%s: cannot write a temporary file: %s", x->f_xlsx.path,
                  strerror(en));
    } else {
        /* most of the workbook's time is deflating the Cases XML: on
         * every core */
        bool blocks = x->st == VSP_OK && vsp_xlsx_block_deflate_begin(export_workers());
        e = workbook_close(x->book);
        if (blocks)
            vsp_xlsx_block_deflate_end();
    }
    x->book = NULL;
    vsp_xlsx_stream_free(x->stream);
    x->stream = NULL;
    if (e != LXW_NO_ERROR)
        xfail(x, e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE
                     ? VSP_ECANTCREAT
                     : VSP_EIO,
              "%s: cannot write the workbook: %s", x->f_xlsx.path, lxw_strerror(e));
}

/* Every file renamed to its final name, only when all are complete. */
static void commit_outputs(xport *x)
{
    vsp_outfile *files[] = {&x->f_xlsx, &x->f_csv, &x->f_dict, &x->f_report};
    for (size_t i = 0; i < sizeof files / sizeof files[0] && x->st == VSP_OK; i++) {
        vsp_error e;
        if (files[i]->tmp && vsp_outfile_commit(files[i], &e) != VSP_OK)
            xfail_from(x, &e);
    }
}

vsp_status vsp_export_write(vsp_store *store, const vsp_export_options *opt, vsp_export_result *res,
                            vsp_error *err)
{
    xport *x = vsp_xcalloc(1, sizeof *x);
    sqlite3 *db = vsp_store_db(store);
    x->store = store;
    x->opt = opt;
    x->err = err;
    x->st = VSP_OK;
    vsp_buf_init(&x->line);
    vsp_buf_init(&x->scratch);
    vsp_xlsx_numeric_guard guard;
    vsp_xlsx_numeric_guard_begin(&guard);
    unsigned char rnd[32];
    bool own_txn = false;
    char *base = NULL;

    export_setup(x, rnd);
    plan_export(x, &own_txn);
    if (x->st == VSP_OK)
        base = opt->base_name ? vsp_xstrdup(opt->base_name)
                              : vsp_xasprintf("research-%s", x->period.label);
    begin_outputs(x, base);
    workbook_begin(x);
    if (x->st == VSP_OK)
        write_rows(x);
    csv_finish(x);
    if (x->st == VSP_OK)
        write_dictionary(x);
    if (x->st == VSP_OK)
        write_report(x);
    workbook_finish(x);
    commit_outputs(x);

    if (x->csv)
        fclose(x->csv);
    vsp_outfile_discard(&x->f_xlsx);
    vsp_outfile_discard(&x->f_csv);
    vsp_outfile_discard(&x->f_dict);
    vsp_outfile_discard(&x->f_report);
    if (own_txn)
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL); /* a read: ends the snapshot */
    vsp_pseudonymizer_free(x->pz);
    OPENSSL_cleanse(rnd, sizeof rnd);
    free(base);
    free(x->months.slots);
    free(x->released.slots);
    free(x->src);
    free(x->rel);
    free(x->rank_of.slots);
    csv_unprepare(x);
    free_dims(&x->d);
    vsp_buf_fini(&x->line);
    vsp_buf_fini(&x->scratch);
    vsp_xlsx_numeric_guard_end(&guard);
    vsp_status st = x->st;
    if (st != VSP_OK)
        vsp_export_result_fini(&x->res);
    if (res)
        *res = x->res;
    else
        vsp_export_result_fini(&x->res);
    free(x);
    return st;
}
