/* figures.c — figures.csv and its codebook (figures.h). */
#include "reports/figures.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/aggregate.h"
#include "pipeline/measures.h"
#include "pipeline/metrics.h"
#include "pipeline/outfile.h"
#include "pipeline/util.h"

#define N_FIELDS 9

vsp_figures *vsp_figures_new(void)
{
    return vsp_xcalloc(1, sizeof(vsp_figures));
}

static void figure_clear(vsp_figure *r)
{
    free(r->period);
    free(r->area);
    free(r->category);
    free(r->measure);
    free(r->value);
    free(r->unit);
    free(r->base_n);
    free(r->release);
}

void vsp_figures_free(vsp_figures *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        figure_clear(&f->rows[i]);
    free(f->rows);
    free(f);
}

/* Append a row; the strings are copied. */
static void add_row(vsp_figures *f, const char *period, const char *area, const char *category,
                    const char *measure, const char *value, const char *unit, const char *base_n,
                    int provisional, const char *release)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 1024;
        f->rows = vsp_xrealloc(f->rows, f->cap * sizeof *f->rows);
    }
    vsp_figure *r = &f->rows[f->n++];
    r->period = vsp_xstrdup(period);
    r->area = vsp_xstrdup(area);
    r->category = vsp_xstrdup(category);
    r->measure = vsp_xstrdup(measure);
    r->value = vsp_xstrdup(value);
    r->unit = vsp_xstrdup(unit);
    r->base_n = vsp_xstrdup(base_n);
    r->provisional = provisional;
    r->release = vsp_xstrdup(release ? release : "");
}

static int key_cmp(const char *p, const char *a, const char *c, const char *m,
                   const vsp_figure *r)
{
    int k = strcmp(p, r->period);
    if (k == 0)
        k = strcmp(a, r->area);
    if (k == 0)
        k = strcmp(c, r->category);
    if (k == 0)
        k = strcmp(m, r->measure);
    return k;
}

static int row_cmp(const void *x, const void *y)
{
    const vsp_figure *a = x;
    return key_cmp(a->period, a->area, a->category, a->measure, y);
}

/* Sort f; VSP_EDATA naming the first key found twice (where: "" or
 * "FILE: "). */
static vsp_status sort_unique(vsp_figures *f, const char *where, vsp_error *err)
{
    if (f->n > 1)
        qsort(f->rows, f->n, sizeof *f->rows, row_cmp);
    for (size_t i = 1; i < f->n; i++)
        if (row_cmp(&f->rows[i - 1], &f->rows[i]) == 0)
            return vsp_error_set(err, VSP_EDATA,
                                 "%sthe figure %s,%s,%s,%s is there twice; a figures.csv holds "
                                 "each (period, area, category, measure) once",
                                 where, f->rows[i].period, f->rows[i].area, f->rows[i].category,
                                 f->rows[i].measure);
    return VSP_OK;
}

const vsp_figure *vsp_figures_find(const vsp_figures *f, const char *period, const char *area,
                                   const char *category, const char *measure)
{
    if (!f || !period || !area || !category || !measure)
        return NULL;
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(period, area, category, measure, &f->rows[mid]);
        if (c == 0)
            return &f->rows[mid];
        if (c > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static bool release_ok(const char *release)
{
    for (const char *s = release; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return false;
    /* a leading '-' would read as a formula in a spreadsheet */
    return release[0] != '-' && strlen(release) < 64;
}

vsp_status vsp_figures_set_release(vsp_figures *f, const char *release, vsp_error *err)
{
    if (!release)
        release = "";
    if (!release_ok(release))
        return vsp_error_set(err, VSP_EUSAGE,
                             "release id '%s': use letters, digits, '.', '_' and '-' (not first), "
                             "at most 63, such as 2026Q3-v2",
                             release);
    for (size_t i = 0; i < f->n; i++) {
        free(f->rows[i].release);
        f->rows[i].release = vsp_xstrdup(release);
    }
    return VSP_OK;
}

/* ---- the series ----------------------------------------------------- */

static vsp_status ensure_fresh(vsp_store *store, const char *cmd, const vsp_period *p,
                               bool may_aggregate, FILE *note, vsp_error *err)
{
    bool aggregated = false, fresh = false;
    vsp_status s = vsp_metrics_status(store, p->label, &aggregated, &fresh, err);
    if (s != VSP_OK || (aggregated && fresh))
        return s;
    if (!may_aggregate)
        return vsp_error_set(err, VSP_EDATA,
                             "period %s %s; run vspreport aggregate --db DB --period %s first",
                             p->label,
                             aggregated ? "was aggregated before the latest ingest"
                                        : "has not been aggregated",
                             p->label);
    if (note)
        fprintf(note, "%s: aggregating %s%s first\n", cmd, p->label,
                p->kind == VSP_PERIOD_RANGE ? "" : " (and the seven periods before it)");
    return vsp_aggregate_run(store, p, NULL, NULL, err);
}

vsp_status vsp_figures_periods(vsp_store *store, const char *cmd, const vsp_period *extra,
                               bool may_aggregate, FILE *note, vsp_period **periods, size_t *n,
                               vsp_error *err)
{
    *periods = NULL;
    *n = 0;
    vsp_period *list = NULL;
    size_t count = 0, cap = 0;
    vsp_status s = VSP_ESOFTWARE;
    sqlite3_stmt *st = vsp_store_prepare(store, "figures_data_span", err);
    if (!st)
        return err->status;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        s = vsp_store_error(store, err, "reading the days that hold cases");
        sqlite3_finalize(st);
        return s;
    }
    bool any = sqlite3_column_type(st, 0) != SQLITE_NULL;
    int32_t first = (int32_t)sqlite3_column_int64(st, 0), last = (int32_t)sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    if (any) {
        vsp_period q, end;
        vsp_period_containing(VSP_PERIOD_QUARTER, first, &q);
        vsp_period_containing(VSP_PERIOD_QUARTER, last, &end);
        for (; q.start_day <= end.start_day; vsp_period_shift(&q, 1, &q)) {
            if (count == cap) {
                cap = cap ? cap * 2 : 16;
                list = vsp_xrealloc(list, cap * sizeof *list);
            }
            list[count++] = q;
        }
    }
    /* the latest first: one aggregation makes a quarter and the seven
     * before it fresh */
    for (size_t i = count; i-- > 0;)
        if ((s = ensure_fresh(store, cmd, &list[i], may_aggregate, note, err)) != VSP_OK)
            goto fail;
    if (extra) {
        bool known = false;
        for (size_t i = 0; i < count && !known; i++)
            known = strcmp(list[i].label, extra->label) == 0;
        if (!known) {
            if ((s = ensure_fresh(store, cmd, extra, may_aggregate, note, err)) != VSP_OK)
                goto fail;
            list = vsp_xrealloc(list, (count + 1) * sizeof *list);
            list[count++] = *extra;
        }
    }
    *periods = list;
    *n = count;
    return VSP_OK;
fail:
    free(list);
    return s;
}

/* The codes of a dimension query (agg_dim_countries: column 0;
 * agg_dim_categories: column 1) into a NULL-terminated array the caller
 * frees with free_codes. */
static vsp_status load_codes(vsp_store *store, const char *query, int col, char ***out,
                             size_t *n, vsp_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = vsp_store_prepare(store, query, err);
    if (!st)
        return err->status;
    char **codes = NULL;
    size_t count = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *c = sqlite3_column_text(st, col);
        codes = vsp_xrealloc(codes, (count + 1) * sizeof *codes);
        codes[count++] = vsp_xstrdup(c ? (const char *)c : "");
    }
    vsp_status s = VSP_OK;
    if (rc != SQLITE_DONE)
        s = vsp_store_error(store, err, "reading the countries and categories");
    sqlite3_finalize(st);
    *out = codes;
    *n = count;
    return s;
}

static void free_codes(char **codes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(codes[i]);
    free(codes);
}

vsp_status vsp_figures_collect(vsp_store *store, const vsp_period *periods, size_t n,
                               const char *release, vsp_figures *f, vsp_error *err)
{
    vsp_status s = VSP_ESOFTWARE;
    char **countries = NULL, **categories = NULL;
    size_t nc = 0, nk = 0;
    if (!release)
        release = "";
    if (!release_ok(release)) {
        s = vsp_figures_set_release(f, release, err);
        goto out;
    }
    if ((s = load_codes(store, "agg_dim_countries", 0, &countries, &nc, err)) != VSP_OK ||
        (s = load_codes(store, "agg_dim_categories", 1, &categories, &nk, err)) != VSP_OK)
        goto out;
    for (size_t p = 0; p < n; p++) {
        vsp_metrics *m = vsp_metrics_load(store, periods[p].label, err);
        if (!m) {
            s = err->status;
            goto out;
        }
        const char *label = vsp_metrics_period(m)->label;
        for (size_t a = 0; a <= nc; a++) {
            const char *area = a < nc ? countries[a] : "region";
            int prov = vsp_metrics_provisional(m, area);
            for (size_t k = 0; k <= nk; k++) {
                const char *cat = k == 0 ? "*" : categories[k - 1];
                for (size_t i = 0; i < vsp_measure_count(); i++) {
                    const vsp_measure *ms = vsp_measure_at(i);
                    if (ms->star_only && k != 0)
                        continue;
                    char value[64], base[32] = "";
                    int64_t bn;
                    vsp_measure_format_figure(ms, m, area, cat, value, sizeof value);
                    if (vsp_measure_base_n(ms, m, area, cat, &bn))
                        snprintf(base, sizeof base, "%lld", (long long)bn);
                    add_row(f, label, area, cat, ms->code, value, vsp_measure_unit_name(ms->unit),
                            base, prov, release);
                }
            }
        }
        vsp_metrics_free(m);
    }
    s = sort_unique(f, "", err);
out:
    free_codes(countries, nc);
    free_codes(categories, nk);
    return s;
}

/* ---- writing -------------------------------------------------------- */

static void format_all(const vsp_figures *f, vsp_buf *b)
{
    vsp_buf_puts(b, VSP_FIGURES_HEADER "\r\n");
    for (size_t i = 0; i < f->n; i++) {
        const vsp_figure *r = &f->rows[i];
        const char *fields[N_FIELDS] = {r->period, r->area,   r->category,
                                        r->measure, r->value, r->unit,
                                        r->base_n,  r->provisional < 0 ? "" : r->provisional ? "1" : "0",
                                        r->release};
        for (int k = 0; k < N_FIELDS; k++) {
            if (k)
                vsp_buf_putc(b, ',');
            vsp_buf_csv_field(b, fields[k]);
        }
        vsp_buf_puts(b, "\r\n");
    }
}

vsp_status vsp_figures_write(const vsp_figures *f, const char *path, vsp_error *err)
{
    vsp_buf b;
    vsp_buf_init(&b);
    format_all(f, &b);
    vsp_status s = vsp_outfile_write(path, b.data ? b.data : "", b.len, err);
    vsp_buf_fini(&b);
    return s;
}

vsp_status vsp_figures_print(const vsp_figures *f, FILE *fp, const char *what, vsp_error *err)
{
    vsp_buf b;
    vsp_buf_init(&b);
    format_all(f, &b);
    vsp_status s = VSP_OK;
    if (fwrite(b.data ? b.data : "", 1, b.len, fp) != b.len || fflush(fp) != 0)
        s = vsp_error_set(err, VSP_EIO, "writing %s failed: %s", what, strerror(errno));
    vsp_buf_fini(&b);
    return s;
}

/* ---- reading -------------------------------------------------------- */

/* Split one record of text at *pos into fields (at most N_FIELDS + 1
 * kept; *nf counts them all).  Returns false on an unterminated quote.
 * Advances *pos past the record's line end; *lines counts the line ends
 * inside quoted fields too. */
static bool read_record(const char *text, size_t len, size_t *pos, vsp_buf fields[],
                        size_t *nf, size_t *lines)
{
    size_t i = *pos, k = 0;
    for (int j = 0; j <= N_FIELDS; j++)
        vsp_buf_clear(&fields[j]);
    for (;;) {
        vsp_buf *cur = &fields[k <= N_FIELDS ? k : N_FIELDS];
        if (i < len && text[i] == '"') {
            i++;
            for (;;) {
                if (i >= len)
                    return false;
                if (text[i] == '"') {
                    if (i + 1 < len && text[i + 1] == '"') {
                        vsp_buf_putc(cur, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (text[i] == '\n')
                    (*lines)++;
                vsp_buf_putc(cur, text[i++]);
            }
        }
        while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
            vsp_buf_putc(cur, text[i++]);
        k++;
        if (i < len && text[i] == ',') {
            i++;
            continue;
        }
        if (i < len && text[i] == '\r')
            i++;
        if (i < len && text[i] == '\n')
            i++;
        break;
    }
    *pos = i;
    *nf = k;
    return true;
}

static const char *buf_str(const vsp_buf *b)
{
    return b->data ? b->data : "";
}

vsp_figures *vsp_figures_read(const char *path, vsp_error *err)
{
    vsp_figures *f = vsp_figures_new();
    vsp_buf text, fields[N_FIELDS + 1];
    vsp_buf_init(&text);
    for (int j = 0; j <= N_FIELDS; j++)
        vsp_buf_init(&fields[j]);
    bool ok = false;
    if (!vsp_buf_append_file(&text, path)) {
        vsp_error_set(err, VSP_ENOINPUT, "%s: cannot read: %s", path, strerror(errno));
        goto out;
    }
    const char *t = buf_str(&text);
    size_t len = text.len, pos = 0, line = 1;
    if (memchr(t, '\0', len)) {
        vsp_error_set(err, VSP_EDATA, "%s: holds a NUL byte; it is not a figures.csv", path);
        goto out;
    }
    if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    size_t nf, extra = 0;
    if (!read_record(t, len, &pos, fields, &nf, &extra)) {
        vsp_error_set(err, VSP_EDATA, "%s:1: unterminated quoted field", path);
        goto out;
    }
    static const char *const names[N_FIELDS] = {"period", "area", "category", "measure", "value",
                                                "unit", "base_n", "provisional", "release"};
    bool header_ok = nf == N_FIELDS;
    for (int j = 0; header_ok && j < N_FIELDS; j++)
        header_ok = strcmp(buf_str(&fields[j]), names[j]) == 0;
    if (!header_ok) {
        vsp_error_set(err, VSP_EDATA,
                      "%s:1: the header is not that of a figures.csv; expected '%s'", path,
                      VSP_FIGURES_HEADER);
        goto out;
    }
    line += 1 + extra;
    while (pos < len) {
        size_t at = line;
        extra = 0;
        if (!read_record(t, len, &pos, fields, &nf, &extra)) {
            vsp_error_set(err, VSP_EDATA, "%s:%zu: unterminated quoted field", path, at);
            goto out;
        }
        line += 1 + extra;
        if (nf == 1 && fields[0].len == 0)
            continue; /* a blank line */
        if (nf != N_FIELDS) {
            vsp_error_set(err, VSP_EDATA, "%s:%zu: %zu fields where figures.csv has %d (%s)",
                          path, at, nf, N_FIELDS, VSP_FIGURES_HEADER);
            goto out;
        }
        const char *measure = buf_str(&fields[3]);
        if (!vsp_measure_by_code(measure)) {
            vsp_error_set(err, VSP_EDATA,
                          "%s:%zu: measure '%.64s' is not in the codebook "
                          "(figures-codebook.csv); was the file written by another version?",
                          path, at, measure);
            goto out;
        }
        const char *pv = buf_str(&fields[7]);
        int prov;
        if (strcmp(pv, "") == 0)
            prov = -1;
        else if (strcmp(pv, "0") == 0 || strcmp(pv, "1") == 0)
            prov = pv[0] - '0';
        else {
            vsp_error_set(err, VSP_EDATA, "%s:%zu: provisional is '%.32s'; it is 0, 1 or empty",
                          path, at, pv);
            goto out;
        }
        add_row(f, buf_str(&fields[0]), buf_str(&fields[1]), buf_str(&fields[2]), measure,
                buf_str(&fields[4]), buf_str(&fields[5]), buf_str(&fields[6]), prov,
                buf_str(&fields[8]));
    }
    char where[1100];
    snprintf(where, sizeof where, "%s: ", path);
    ok = sort_unique(f, where, err) == VSP_OK;
out:
    vsp_buf_fini(&text);
    for (int j = 0; j <= N_FIELDS; j++)
        vsp_buf_fini(&fields[j]);
    if (!ok) {
        vsp_figures_free(f);
        return NULL;
    }
    return f;
}

/* ---- the codebook --------------------------------------------------- */

static const char *decimals_of(vsp_measure_unit unit)
{
    switch (unit) {
    case VSP_UNIT_COUNT: return "0";
    case VSP_UNIT_FRACTION:
    case VSP_UNIT_PER100K: return "4";
    case VSP_UNIT_HOURS: return "2 (half up)";
    case VSP_UNIT_DAYS: return "2 (whole days: .x0)";
    }
    return "";
}

static void format_codebook(vsp_buf *b)
{
    vsp_buf_puts(b, "measure,unit,base,categories,adds_up,decimals,label,definition\r\n");
    for (size_t i = 0; i < vsp_measure_count(); i++) {
        const vsp_measure *ms = vsp_measure_at(i);
        char base[96];
        const char *adds = ms->adds == (VSP_ADDS_CATEGORIES | VSP_ADDS_COUNTRIES)
                               ? "categories;countries"
                           : ms->adds == VSP_ADDS_COUNTRIES  ? "countries"
                           : ms->adds == VSP_ADDS_CATEGORIES ? "categories"
                                                             : "";
        const char *fields[] = {ms->code,
                                vsp_measure_unit_name(ms->unit),
                                vsp_measure_base_text(ms, base, sizeof base),
                                ms->star_only ? "*" : "all",
                                adds,
                                decimals_of(ms->unit),
                                ms->label,
                                ms->definition};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
            if (k)
                vsp_buf_putc(b, ',');
            vsp_buf_csv_field(b, fields[k]);
        }
        vsp_buf_puts(b, "\r\n");
    }
}

vsp_status vsp_figures_codebook_write(const char *path, vsp_error *err)
{
    vsp_buf b;
    vsp_buf_init(&b);
    format_codebook(&b);
    vsp_status s = vsp_outfile_write(path, b.data, b.len, err);
    vsp_buf_fini(&b);
    return s;
}

vsp_status vsp_figures_codebook_print(FILE *fp, const char *what, vsp_error *err)
{
    vsp_buf b;
    vsp_buf_init(&b);
    format_codebook(&b);
    vsp_status s = VSP_OK;
    if (fwrite(b.data, 1, b.len, fp) != b.len || fflush(fp) != 0)
        s = vsp_error_set(err, VSP_EIO, "writing %s failed: %s", what, strerror(errno));
    vsp_buf_fini(&b);
    return s;
}
