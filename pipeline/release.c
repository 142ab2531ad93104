/* release.c — the release record and the questions renderers ask of it. */
#include "pipeline/release.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/csvrec.h"

char *vsp_release_id(const vsp_release *r, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    snprintf(buf, size, "%s-v%d", r->period, r->version);
    return buf;
}

static int cmp_key(const vsp_revision *v, const char *period, const char *area,
                   const char *category, const char *measure)
{
    int c = strcmp(v->period, period);
    if (c == 0)
        c = strcmp(v->area, area);
    if (c == 0)
        c = strcmp(v->category, category);
    if (c == 0)
        c = strcmp(v->measure, measure);
    return c;
}

bool vsp_release_revised(const vsp_release *r, const char *period, const char *area,
                         const char *category, const char *measure)
{
    if (!r || r->n_revisions == 0)
        return false;
    /* revisions are sorted by key: binary search */
    size_t lo = 0, hi = r->n_revisions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_key(&r->revisions[mid], period, area, category, measure);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

const char *vsp_release_reason_code(vsp_revision_reason reason)
{
    switch (reason) {
    case VSP_REVISION_LATER_EXPORT: return "later_export";
    case VSP_REVISION_CORRECTED: return "corrected_cases";
    case VSP_REVISION_REMAPPED: return "remapped_labels";
    case VSP_REVISION_METHODOLOGY: return "methodology";
    case VSP_REVISION_OTHER: break;
    }
    return "other";
}

void vsp_release_clear(vsp_release *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_revisions; i++) {
        vsp_revision *v = &r->revisions[i];
        free(v->period);
        free(v->area);
        free(v->category);
        free(v->measure);
        free(v->old_value);
        free(v->new_value);
        free(v->detail);
    }
    free(r->revisions);
    r->revisions = NULL;
    r->n_revisions = 0;
}

/* ---- planning a release ------------------------------------------------ */

typedef struct mem_src {
    const char *data;
    size_t len, pos;
} mem_src;

static size_t mem_read(void *ctx, char *buf, size_t n)
{
    mem_src *m = ctx;
    size_t left = m->len - m->pos;
    if (n > left)
        n = left;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return n;
}

static bool cell_is(const vsp_csv_cell *c, const char *name)
{
    return c->len == strlen(name) && memcmp(c->data, name, c->len) == 0;
}

vsp_status vsp_release_figures_parse(const char *name, const char *data, size_t len,
                                     vsp_release_figures *out, vsp_error *err)
{
    static const char *const want[5] = {"period", "area", "category", "measure", "value"};
    memset(out, 0, sizeof *out);
    vsp_status st = VSP_OK;
    mem_src src = {data, len, 0};
    vsp_csv_reader *rd = vsp_csv_reader_new(mem_read, &src, true, 0);
    vsp_buf store;
    vsp_buf_init(&store);
    size_t *offs = NULL; /* 5 per row */
    size_t n = 0, cap = 0;
    size_t col[5];
    vsp_csv_record rec;
    if (!vsp_csv_next(rd, &rec)) {
        st = vsp_error_set(err, VSP_EDATA, "%s: empty; a figures.csv starts with its header "
                                           "(period,area,category,measure,value,...)", name);
        goto out;
    }
    for (int k = 0; k < 5; k++) {
        col[k] = (size_t)-1;
        for (size_t i = 0; i < rec.n_cells; i++)
            if (cell_is(&rec.cells[i], want[k]))
                col[k] = i;
        if (col[k] == (size_t)-1) {
            st = vsp_error_set(err, VSP_EDATA,
                               "%s:%ld: the header has no column '%s'; a figures.csv names "
                               "period,area,category,measure,value in its first line",
                               name, rec.line, want[k]);
            goto out;
        }
    }
    while (vsp_csv_next(rd, &rec)) {
        if (rec.error != VSP_CSV_OK) {
            st = vsp_error_set(err, VSP_EDATA, "%s:%ld: not a CSV record (a stray or unclosed "
                                               "quote); write the file again with vspreport",
                               name, rec.err_line);
            goto out;
        }
        if (rec.n_cells == 1 && rec.cells[0].len == 0)
            continue; /* a blank line */
        size_t need = 0;
        for (int k = 0; k < 5; k++)
            if (col[k] + 1 > need)
                need = col[k] + 1;
        if (rec.n_cells < need) {
            st = vsp_error_set(err, VSP_EDATA,
                               "%s:%ld: %zu cells where the header names at least %zu",
                               name, rec.line, rec.n_cells, need);
            goto out;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            offs = vsp_xrealloc(offs, cap * 5 * sizeof *offs);
        }
        for (int k = 0; k < 5; k++) {
            offs[n * 5 + (size_t)k] = store.len;
            vsp_buf_append(&store, rec.cells[col[k]].data, rec.cells[col[k]].len);
            vsp_buf_putc(&store, '\0');
        }
        n++;
    }
    out->rows = vsp_xcalloc(n ? n : 1, sizeof *out->rows);
    out->n = n;
    out->store = store.data;
    store.data = NULL;
    for (size_t i = 0; i < n; i++) {
        vsp_release_figure *f = &out->rows[i];
        const size_t *o = &offs[i * 5];
        f->period = out->store + o[0];
        f->area = out->store + o[1];
        f->category = out->store + o[2];
        f->measure = out->store + o[3];
        f->value = out->store + o[4];
    }
out:
    free(offs);
    vsp_buf_fini(&store);
    vsp_csv_reader_free(rd);
    return st;
}

void vsp_release_figures_fini(vsp_release_figures *f)
{
    if (!f)
        return;
    free(f->rows);
    free(f->store);
    memset(f, 0, sizeof *f);
}

static int cmp_fig(const vsp_release_figure *a, const vsp_release_figure *b)
{
    int c = strcmp(a->period, b->period);
    if (c == 0)
        c = strcmp(a->area, b->area);
    if (c == 0)
        c = strcmp(a->category, b->category);
    if (c == 0)
        c = strcmp(a->measure, b->measure);
    return c;
}

static int cmp_fig_ptr(const void *a, const void *b)
{
    return cmp_fig(*(const vsp_release_figure *const *)a, *(const vsp_release_figure *const *)b);
}

/* The rows of f in key order (pointers into f). */
static const vsp_release_figure **sorted_rows(const vsp_release_figures *f)
{
    const vsp_release_figure **s = vsp_xcalloc(f->n ? f->n : 1, sizeof *s);
    for (size_t i = 0; i < f->n; i++)
        s[i] = &f->rows[i];
    if (f->n > 1)
        qsort(s, f->n, sizeof *s, cmp_fig_ptr);
    return s;
}

static bool as_of_moved(const vsp_release_area *a)
{
    return a && a->as_of_before[0] && a->as_of_now[0] &&
           strcmp(a->as_of_before, a->as_of_now) != 0;
}

static bool profile_changed(const vsp_release_area *a)
{
    return a && a->profile_before[0] && a->profile_now[0] &&
           strcmp(a->profile_before, a->profile_now) != 0;
}

static const vsp_release_correction *find_correction(const vsp_release_evidence *ev,
                                                     const char *area, const char *period)
{
    for (size_t i = 0; ev && i < ev->n_corrections; i++)
        if (strcmp(ev->corrections[i].area, area) == 0 &&
            strcmp(ev->corrections[i].period, period) == 0 && ev->corrections[i].cases > 0)
            return &ev->corrections[i];
    return NULL;
}

/* Why the figure of (area, period) changed, and the detail into buf. */
static vsp_revision_reason reason_of(const vsp_release_evidence *ev, const char *area,
                                     const char *period, char *detail, size_t size)
{
    detail[0] = '\0';
    if (!ev)
        return VSP_REVISION_OTHER;
    bool region = strcmp(area, "region") == 0;
    /* a later export: the latest new as-of date among the regulators
     * concerned (the region: any of them) */
    for (size_t i = 0; i < ev->n_areas; i++) {
        const vsp_release_area *a = &ev->areas[i];
        if ((region || strcmp(a->area, area) == 0) && as_of_moved(a) &&
            strcmp(a->as_of_now, detail) > 0)
            snprintf(detail, size, "%s", a->as_of_now);
    }
    if (detail[0])
        return VSP_REVISION_LATER_EXPORT;
    bool corrected = false;
    for (size_t i = 0; i < ev->n_corrections; i++) {
        const vsp_release_correction *c = &ev->corrections[i];
        if ((region || strcmp(c->area, area) == 0) && find_correction(ev, c->area, period) == c) {
            corrected = true;
            if (strcmp(c->export_day, detail) > 0)
                snprintf(detail, size, "%s", c->export_day);
        }
    }
    if (corrected)
        return VSP_REVISION_CORRECTED;
    size_t used = 0;
    for (size_t i = 0; i < ev->n_areas; i++) {
        const vsp_release_area *a = &ev->areas[i];
        if ((region || strcmp(a->area, area) == 0) && profile_changed(a) && used + 1 < size) {
            int w = snprintf(detail + used, size - used, "%s%s", used ? ", " : "", a->profile);
            used = w < 0 ? used : used + (size_t)w >= size ? size - 1 : used + (size_t)w;
        }
    }
    if (used)
        return VSP_REVISION_REMAPPED;
    if (ev->version_before && ev->version_before[0] && ev->version_now &&
        strcmp(ev->version_before, ev->version_now) != 0) {
        snprintf(detail, size, "%s", ev->version_now);
        return VSP_REVISION_METHODOLOGY;
    }
    return VSP_REVISION_OTHER;
}

static bool period_in(const vsp_release_figure *const *rows, size_t n, const char *period)
{
    /* rows sorted by period first: binary search for the first >= period */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(rows[mid]->period, period) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(rows[lo]->period, period) == 0;
}

static void add_revision(vsp_release *r, size_t *cap, const vsp_release_figure *key,
                         const char *old_value, const char *new_value,
                         const vsp_release_evidence *ev)
{
    if (r->n_revisions == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        r->revisions = vsp_xrealloc(r->revisions, *cap * sizeof *r->revisions);
    }
    char detail[256];
    vsp_revision *v = &r->revisions[r->n_revisions++];
    v->reason = reason_of(ev, key->area, key->period, detail, sizeof detail);
    v->period = vsp_xstrdup(key->period);
    v->area = vsp_xstrdup(key->area);
    v->category = vsp_xstrdup(key->category);
    v->measure = vsp_xstrdup(key->measure);
    v->old_value = vsp_xstrdup(old_value);
    v->new_value = vsp_xstrdup(new_value);
    v->detail = vsp_xstrdup(detail);
}

size_t vsp_release_compare(vsp_release *r, const vsp_release_figures *before,
                           const vsp_release_figures *now, const vsp_release_evidence *ev)
{
    vsp_release_clear(r);
    const vsp_release_figure **b = sorted_rows(before), **a = sorted_rows(now);
    size_t i = 0, k = 0, cap = 0;
    /* a merge of the two sorted lists; a key twice on one side counts once */
    while (i < before->n || k < now->n) {
        int c = i == before->n ? 1 : k == now->n ? -1 : cmp_fig(b[i], a[k]);
        if (c == 0) {
            if (strcmp(b[i]->value, a[k]->value) != 0)
                add_revision(r, &cap, a[k], b[i]->value, a[k]->value, ev);
        } else if (c < 0) {
            /* gone: a published figure that is no more */
            if (b[i]->value[0])
                add_revision(r, &cap, b[i], b[i]->value, "", ev);
        } else if (period_in(b, before->n, a[k]->period) && a[k]->value[0]) {
            /* new in a period already published */
            add_revision(r, &cap, a[k], "", a[k]->value, ev);
        }
        const vsp_release_figure *was_b = c <= 0 ? b[i] : NULL, *was_a = c >= 0 ? a[k] : NULL;
        if (was_b)
            while (i < before->n && cmp_fig(b[i], was_b) == 0)
                i++;
        if (was_a)
            while (k < now->n && cmp_fig(a[k], was_a) == 0)
                k++;
    }
    free(b);
    free(a);
    return r->n_revisions;
}

static void csv_cell(vsp_buf *b, const char *s, bool last)
{
    vsp_buf_csv_field(b, s);
    vsp_buf_putc(b, last ? '\n' : ',');
}

void vsp_release_revisions_csv(const vsp_release *r, vsp_buf *out)
{
    char id[48];
    vsp_release_id(r, id, sizeof id);
    for (size_t i = 0; i < r->n_revisions; i++) {
        const vsp_revision *v = &r->revisions[i];
        csv_cell(out, id, false);
        csv_cell(out, v->period, false);
        csv_cell(out, v->area, false);
        csv_cell(out, v->category, false);
        csv_cell(out, v->measure, false);
        csv_cell(out, v->old_value, false);
        csv_cell(out, v->new_value, false);
        csv_cell(out, vsp_release_reason_code(v->reason), false);
        csv_cell(out, v->detail ? v->detail : "", true);
    }
}

static vsp_revision_reason reason_from_code(const char *code)
{
    for (int i = VSP_REVISION_LATER_EXPORT; i <= VSP_REVISION_OTHER; i++)
        if (strcmp(vsp_release_reason_code((vsp_revision_reason)i), code) == 0)
            return (vsp_revision_reason)i;
    return VSP_REVISION_OTHER;
}

static char *cell_dup(const vsp_csv_cell *c)
{
    const char *d = c->data;
    size_t n = c->len;
    if (n >= 2 && d[0] == '\'' && strchr("=+-@", d[1]))
        d++, n--; /* the neutralising apostrophe */
    char *s = vsp_xmalloc(n + 1);
    memcpy(s, d, n);
    s[n] = '\0';
    return s;
}

static int cmp_revision(const void *a, const void *b)
{
    const vsp_revision *x = a, *y = b;
    return cmp_key(x, y->period, y->area, y->category, y->measure);
}

vsp_status vsp_release_revisions_parse(const char *name, const char *data, size_t len,
                                       const char *id, vsp_release *r, vsp_error *err)
{
    vsp_release_clear(r);
    mem_src src = {data, len, 0};
    vsp_csv_reader *rd = vsp_csv_reader_new(mem_read, &src, true, 0);
    vsp_status st = VSP_OK;
    vsp_csv_record rec;
    size_t cap = 0;
    static const char *const header[9] = {"release", "period", "area", "category", "measure",
                                          "old", "new", "reason", "detail"};
    if (!vsp_csv_next(rd, &rec)) {
        st = vsp_error_set(err, VSP_EDATA, "%s: empty; revisions.csv starts with its header", name);
        goto out;
    }
    bool ok = rec.n_cells == 9;
    for (size_t i = 0; ok && i < 9; i++)
        ok = cell_is(&rec.cells[i], header[i]);
    if (!ok) {
        st = vsp_error_set(err, VSP_EDATA, "%s:%ld: not the header of revisions.csv (%s)", name,
                           rec.line, "release,period,area,category,measure,old,new,reason,detail");
        goto out;
    }
    while (vsp_csv_next(rd, &rec)) {
        if (rec.n_cells == 1 && rec.cells[0].len == 0)
            continue;
        if (rec.error != VSP_CSV_OK || rec.n_cells != 9) {
            st = vsp_error_set(err, VSP_EDATA, "%s:%ld: not a row of 9 cells; write the file "
                                               "again with vspreport",
                               name, rec.line);
            goto out;
        }
        if (!cell_is(&rec.cells[0], id))
            continue;
        if (r->n_revisions == cap) {
            cap = cap ? cap * 2 : 32;
            r->revisions = vsp_xrealloc(r->revisions, cap * sizeof *r->revisions);
        }
        vsp_revision *v = &r->revisions[r->n_revisions++];
        v->period = cell_dup(&rec.cells[1]);
        v->area = cell_dup(&rec.cells[2]);
        v->category = cell_dup(&rec.cells[3]);
        v->measure = cell_dup(&rec.cells[4]);
        v->old_value = cell_dup(&rec.cells[5]);
        v->new_value = cell_dup(&rec.cells[6]);
        char *code = cell_dup(&rec.cells[7]);
        v->reason = reason_from_code(code);
        free(code);
        v->detail = cell_dup(&rec.cells[8]);
    }
    if (r->n_revisions > 1)
        qsort(r->revisions, r->n_revisions, sizeof *r->revisions, cmp_revision);
out:
    vsp_csv_reader_free(rd);
    return st;
}
