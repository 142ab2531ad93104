/* test_layout.c — charts/layout.h: tick steps, scales, colour classes,
 * label fitting, colours, the projection, and whole-chart layouts checked
 * for overlapping or clipped text (with a fake, font-free text measurer).
 * Expected numbers are worked out by hand in the comments. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts/chart.h"
#include "charts/layout.h"
#include "harness.h"
#include "pipeline/i18n.h"

/* Fake measurer: every character (UTF-8 code point) is 0.5 * size wide,
 * a line is 1.2 * size high; wrapping is greedy at spaces. */
static size_t cps(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static void fake_measure(void *ctx, const char *text, double size, bool bold, double wrap,
                         double *w, double *h)
{
    (void)ctx;
    (void)bold;
    double cw = 0.5 * size, lh = 1.2 * size;
    if (wrap <= 0) {
        *w = cw * (double)cps(text, strlen(text));
        *h = lh;
        return;
    }
    double maxw = 0, line = 0;
    int lines = 1;
    const char *p = text;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        double ww = cw * (double)cps(p, len);
        double need = line > 0 ? line + cw + ww : ww;
        if (line > 0 && need > wrap) {
            lines++;
            line = ww;
        } else {
            line = need;
        }
        if (line > maxw)
            maxw = line;
        p += len;
        while (*p == ' ')
            p++;
    }
    *w = maxw;
    *h = lh * lines;
}

static const vsp_measurer fake = {NULL, fake_measure};

static void test_nice_step(void)
{
    CHECK_DBL(vsp_nice_step(100, 5), 20, 1e-12); /* raw 20 -> 2 x 10 */
    CHECK_DBL(vsp_nice_step(37, 5), 10, 1e-12);  /* raw 7.4 -> 10 */
    CHECK_DBL(vsp_nice_step(0.7, 5), 0.2, 1e-12); /* raw 0.14 -> 0.2 */
    CHECK_DBL(vsp_nice_step(12, 4), 5, 1e-12);   /* raw 3 -> 5 */
    CHECK_DBL(vsp_nice_step(1, 1), 1, 1e-12);
    CHECK_DBL(vsp_nice_step(0, 5), 1, 1e-12);    /* degenerate */
}

static void test_ticks(void)
{
    vsp_ticks t;
    vsp_ticks_nice(0, 942, 5, &t); /* step 200 (raw 188.4), 0..1000, 6 ticks */
    CHECK_DBL(t.step, 200, 1e-9);
    CHECK_DBL(t.lo, 0, 1e-9);
    CHECK_DBL(t.hi, 1000, 1e-9);
    CHECK_INT(t.n, 6);
    vsp_ticks_nice(0, 37, 5, &t); /* 0, 10, 20, 30, 40 */
    CHECK_DBL(t.hi, 40, 1e-9);
    CHECK_INT(t.n, 5);
    vsp_ticks_nice(0, 0, 5, &t); /* nothing: 0..1 */
    CHECK_DBL(t.lo, 0, 1e-9);
    CHECK(t.hi > 0);
    /* -3..7: step 2 would need -4..8 = 6 intervals > 5, so step 5: -5..10 */
    vsp_ticks_nice(-3, 7, 5, &t);
    CHECK_DBL(t.step, 5, 1e-9);
    CHECK_DBL(t.lo, -5, 1e-9);
    CHECK_DBL(t.hi, 10, 1e-9);
    CHECK_INT(t.n, 4);
    vsp_ticks_nice(0, 1, 4, &t); /* fractions: 0, 0.25? no: 1-2-5 gives 0.5 */
    CHECK_DBL(t.step, 0.5, 1e-12);
}

static void test_scale(void)
{
    vsp_scale s = {0, 100, 50, 250};
    CHECK_DBL(vsp_scale_map(&s, 25), 100, 1e-12);
    CHECK_DBL(vsp_scale_map(&s, 100), 250, 1e-12);
    vsp_scale inv = {0, 10, 500, 100}; /* y axis, upwards */
    CHECK_DBL(vsp_scale_map(&inv, 5), 300, 1e-12);
}

static void test_classes(void)
{
    /* the fixture's per-100 000 figures of 2026Q3 */
    double v[] = {39.2, 9.46, 23.7, 15.6, 9.6, 14.4};
    vsp_classes c;
    vsp_classes_nice(v, 6, 5, &c); /* max 39.2: step 10, 0..40, four classes */
    CHECK_INT(c.n, 4);
    CHECK_DBL(c.breaks[0], 0, 1e-9);
    CHECK_DBL(c.breaks[4], 40, 1e-9);
    CHECK_INT(vsp_classes_index(&c, 9.46), 0);
    CHECK_INT(vsp_classes_index(&c, 10), 1); /* a break belongs to the class above */
    CHECK_INT(vsp_classes_index(&c, 39.2), 3);
    CHECK_INT(vsp_classes_index(&c, 40), 3); /* the maximum stays in the last */
    CHECK_INT(vsp_classes_index(&c, NAN), -1);
    /* 0..12: 1-2-5 at <= 5 classes gives 5 -> 0, 5, 10, 15 (three classes) */
    double w[] = {12, 3};
    vsp_classes_nice(w, 2, 5, &c);
    CHECK_INT(c.n, 3);
    CHECK_DBL(c.breaks[3], 15, 1e-9);
    double z[] = {0, 0};
    vsp_classes_nice(z, 2, 5, &c);
    CHECK(c.n >= 1);
    CHECK_INT(vsp_classes_index(&c, 0), 0);
}

static void test_fit_text(void)
{
    double w, h;
    bool wrapped;
    /* 18 characters at size 20: 180 wide */
    char *s = vsp_fit_text(&fake, "Audiovisual piracy", 20, false, 200, 2, &w, &h, &wrapped);
    CHECK_STR(s, "Audiovisual piracy");
    CHECK_DBL(w, 180, 1e-9);
    CHECK(!wrapped);
    free(s);
    /* 120 wide, two lines: "Audiovisual" (110) / "piracy" (60) */
    s = vsp_fit_text(&fake, "Audiovisual piracy", 20, false, 120, 2, &w, &h, &wrapped);
    CHECK_STR(s, "Audiovisual piracy");
    CHECK(wrapped);
    CHECK_DBL(w, 110, 1e-9);
    CHECK_DBL(h, 48, 1e-9);
    free(s);
    /* never cut: one line of 60 asked, two taken, "Audiovisual" (110)
     * keeps its width / "piracy" (60) */
    s = vsp_fit_text(&fake, "Audiovisual piracy", 20, false, 60, 1, &w, &h, &wrapped);
    CHECK_STR(s, "Audiovisual piracy");
    CHECK(wrapped);
    CHECK_DBL(w, 110, 1e-9);
    CHECK_DBL(h, 48, 1e-9);
    free(s);
    CHECK_INT(vsp_text_lines_needed(&fake, "Audiovisual piracy", 20, false, 60, NULL), 1000);
    /* "Harassment" (100) / "and bullying" (12 x 10 = 120) in 120 */
    s = vsp_fit_text(&fake, "Harassment and bullying", 20, false, 120, 1, &w, &h, &wrapped);
    CHECK_STR(s, "Harassment and bullying");
    CHECK_DBL(w, 120, 1e-9);
    CHECK_DBL(h, 48, 1e-9);
    free(s);
    CHECK_INT(vsp_text_lines_needed(&fake, "Harassment and bullying", 20, false, 120, &w), 2);
    CHECK_INT(vsp_text_lines_needed(&fake, "Harassment and bullying", 20, false, 230, &w), 1);
    CHECK_DBL(w, 230, 1e-9);
    /* Cyrillic counts code points, not bytes */
    s = vsp_fit_text(&fake, "Говор мржње", 20, false, 110, 1, &w, &h, &wrapped);
    CHECK_STR(s, "Говор мржње");
    CHECK_DBL(w, 110, 1e-9);
    free(s);
}

static void test_colours(void)
{
    CHECK(vsp_color_ink_on(VSP_OI_BLUE) == VSP_WHITE);
    CHECK(vsp_color_ink_on(VSP_OI_YELLOW) == VSP_INK);
    CHECK(vsp_color_ink_on(VSP_WHITE) == VSP_INK);
    /* series stay in funnel order in greyscale: received > forwarded > actioned */
    double r = vsp_color_luminance(vsp_color_series("received"));
    double f = vsp_color_luminance(vsp_color_series("forwarded"));
    double a = vsp_color_luminance(vsp_color_series("actioned"));
    CHECK(r > f + 0.05);
    CHECK(f > a + 0.03);
    /* the sequential ramp darkens class by class */
    for (int n = 2; n <= 7; n++)
        for (int k = 1; k < n; k++)
            CHECK(vsp_color_luminance(vsp_color_ramp(k, n)) <
                  vsp_color_luminance(vsp_color_ramp(k - 1, n)));
    /* the outcomes all differ */
    static const char *const oc[] = {"removed", "geo_blocked", "age_restricted",
                                     "account_suspended", "account_banned", "declined",
                                     "already_unavailable", "pending"};
    for (int i = 0; i < 8; i++)
        for (int j = i + 1; j < 8; j++)
            CHECK(vsp_color_outcome(oc[i]) != vsp_color_outcome(oc[j]));
}

static void test_projection(void)
{
    double x, y;
    vsp_project_laea(20, 42.5, 20, 42.5, &x, &y);
    CHECK_DBL(x, 0, 1e-12);
    CHECK_DBL(y, 0, 1e-12);
    /* 1 degree east on the centre parallel: x = k cos(phi) sin(1 deg) with
     * k ~ 1: 0.73728 * 0.0174524 = 0.012867 */
    vsp_project_laea(20, 42.5, 21, 42.5, &x, &y);
    CHECK_DBL(x, 0.012867, 2e-5);
    CHECK(fabs(y) < 2e-3);
    vsp_project_laea(20, 42.5, 20, 43.5, &x, &y); /* north is up: 1 deg = 0.017453 */
    CHECK_DBL(y, 0.017453, 2e-5);
    CHECK_DBL(x, 0, 1e-12);
}

/* ---- whole charts from the fixture --------------------------------- */

/* An in-memory warehouse (migrations applied by vsp_store_open) with the
 * fixture loaded. */
static vsp_store *fixture_db(void)
{
    vsp_error err;
    vsp_store *db = vsp_store_open(":memory:", true, &err);
    if (!db) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    const char *src = getenv("VSP_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/charts-fixture.sql", src ? src : ".");
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        vsp_store_close(db);
        return NULL;
    }
    vsp_buf b;
    vsp_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        vsp_buf_append(&b, chunk, n);
    fclose(f);
    char *msg = NULL;
    if (sqlite3_exec(vsp_store_db(db), b.data, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "fixture: %s\n", msg);
        sqlite3_free(msg);
    }
    vsp_buf_fini(&b);
    return db;
}

static bool overlaps(const vsp_prim *a, const vsp_prim *b)
{
    const double e = 0.5; /* touching is fine */
    return a->x + e < b->x + b->w && b->x + e < a->x + a->w && a->y + e < b->y + b->h &&
           b->y + e < a->y + a->h;
}

/* Every text inside the canvas, none overlapping another. */
static void check_scene(const vsp_scene *s, const char *what)
{
    for (size_t i = 0; i < s->n; i++) {
        const vsp_prim *p = &s->prims[i];
        if (p->kind != VSP_PRIM_TEXT)
            continue;
        harness_checks++;
        if (strstr(vsp_scene_str(s, p), "\xe2\x80\xa6")) {
            harness_failures++;
            fprintf(stderr, "%s: text '%s' is cut short\n", what, vsp_scene_str(s, p));
        }
        if (p->x < -0.5 || p->y < -0.5 || p->x + p->w > s->w + 0.5 || p->y + p->h > s->h + 0.5) {
            harness_failures++;
            fprintf(stderr, "%s: text '%s' leaves the canvas (%.0f,%.0f %.0fx%.0f)\n", what,
                    vsp_scene_str(s, p), p->x, p->y, p->w, p->h);
        }
        for (size_t j = i + 1; j < s->n; j++) {
            const vsp_prim *q = &s->prims[j];
            if (q->kind != VSP_PRIM_TEXT || !overlaps(p, q))
                continue;
            harness_checks++;
            harness_failures++;
            fprintf(stderr, "%s: '%s' overlaps '%s'\n", what, vsp_scene_str(s, p),
                    vsp_scene_str(s, q));
        }
    }
}

static void test_charts(void)
{
    vsp_store *db = fixture_db();
    CHECK(db != NULL);
    if (!db)
        return;
    vsp_error err;
    vsp_chart_source *src = vsp_chart_source_open(db, "2026Q3", &err);
    CHECK(src != NULL);
    if (!src) {
        fprintf(stderr, "%s\n", err.msg);
        vsp_store_close(db);
        return;
    }
    static const struct {
        double w, h, scale;
    } boxes[] = {{1920, 1080, 0}, {1123, 794, 0}, {1280, 1280, 0}, {467, 0, 0.34},
                 {467, -0.8, 0.34}};
    /* the last two: a report's figure across an A4 text width at the
     * report's type scale and heights (reports/report.c CHART_SCALE and
     * its figure() calls), and squeezed as pagination may do
     * (VSP_DOC_FIGURE_SQUEEZE) */
    static const double report_h[VSP_CHART_COUNT] = {220, 300, 320, 380, 300, 320, 400, 330, 320};
    static const char *const langs[] = {"en", "sr", "sq", "mk"};
    static const char *const scopes[] = {"region", "AL", "ME"};
    /* every other box and language with a release: its line is one more
     * footer line, and still nothing may overlap or be cut */
    vsp_release rel = {.period = "2026Q3", .version = 12, .date = "2026-12-06",
                       .provisional = true, .previous_version = 11,
                       .previous_date = "2026-11-01"};
    for (int id = 0; id < VSP_CHART_COUNT; id++) {
        for (size_t sc = 0; sc < 3; sc++) {
            if (!vsp_chart_applies((vsp_chart_id)id, scopes[sc]))
                continue;
            vsp_chart_data *d = vsp_chart_data_load(src, (vsp_chart_id)id, scopes[sc], &err);
            CHECK(d != NULL);
            if (!d)
                continue;
            for (size_t bi = 0; bi < sizeof boxes / sizeof boxes[0]; bi++)
                for (size_t li = 0; li < 4; li++) {
                    vsp_chart_spec spec =
                        vsp_chart_spec_default((vsp_chart_id)id, scopes[sc], langs[li]);
                    spec.scale = boxes[bi].scale;
                    if ((bi + li) % 2)
                        spec.release = &rel;
                    double bh = boxes[bi].h;
                    if (bh <= 0) { /* the report's figure: its own height, no frame */
                        bh = report_h[id] * (bh < 0 ? -bh : 1); /* or squeezed to fill a page */
                        spec.frame = false;
                    }
                    vsp_scene s;
                    vsp_scene_init(&s, boxes[bi].w, bh);
                    CHECK_INT(vsp_layout_chart(&spec, d, &fake, &s, &err), VSP_OK);
                    char what[128];
                    snprintf(what, sizeof what, "%s/%s/%s %.0fx%.0f%s", vsp_chart_name(d->id),
                             scopes[sc], langs[li], boxes[bi].w, bh,
                             spec.release ? " (release)" : "");
                    CHECK(s.n > 5);
                    check_scene(&s, what);
                    vsp_scene_fini(&s);
                }
            vsp_chart_data_free(d);
        }
    }
    /* the data behind the funnel: counts and the share of the step before */
    vsp_chart_data *d = vsp_chart_data_load(src, VSP_CHART_FUNNEL, "region", &err);
    const vsp_chart_table *t = vsp_chart_data_table(d, "stage");
    double rec = vsp_chart_table_get(t, "received", "count");
    double ass = vsp_chart_table_get(t, "assessed", "count");
    CHECK(rec > 0);
    CHECK_DBL(vsp_chart_table_get(t, "assessed", "share_of_previous"), ass / rec, 1e-12);
    vsp_chart_data_free(d);
    /* regional-only charts refuse a country */
    CHECK(vsp_chart_data_load(src, VSP_CHART_MAP, "AL", &err) == NULL);
    CHECK_INT(err.status, VSP_EUSAGE);
    vsp_chart_source_close(src);
    /* an aggregated period with nothing in it: every chart still lays out
     * (a notice, an empty map), nothing overlaps */
    sqlite3_exec(vsp_store_db(db),
                 "INSERT INTO agg_run(period, kind, start_day, end_day, data_freeze, "
                 "computed_at, last_run) VALUES ('2023Q1', 'quarter', 20230101, 20230331, "
                 "'2026-10-15T00:00:00Z', '2026-10-15T06:00:00Z', 1)",
                 NULL, NULL, NULL);
    vsp_chart_source *empty = vsp_chart_source_open(db, "2023Q1", &err);
    CHECK(empty != NULL);
    for (int id = 0; empty && id < VSP_CHART_COUNT; id++) {
        vsp_chart_data *ed = vsp_chart_data_load(empty, (vsp_chart_id)id, "region", &err);
        CHECK(ed != NULL);
        if (!ed)
            continue;
        vsp_chart_spec spec = vsp_chart_spec_default((vsp_chart_id)id, "region", "en");
        vsp_scene es;
        vsp_scene_init(&es, 1920, 1080);
        CHECK_INT(vsp_layout_chart(&spec, ed, &fake, &es, &err), VSP_OK);
        char what[64];
        snprintf(what, sizeof what, "%s/empty", vsp_chart_name((vsp_chart_id)id));
        check_scene(&es, what);
        vsp_scene_fini(&es);
        vsp_chart_data_free(ed);
    }
    vsp_chart_source_close(empty);
    /* a period never aggregated is a data error that says what to run */
    CHECK(vsp_chart_source_open(db, "2019Q1", &err) == NULL);
    CHECK_INT(err.status, VSP_EDATA);
    CHECK(strstr(err.msg, "aggregate") != NULL);
    vsp_store_close(db);
}

int main(void)
{
    RUN(test_nice_step);
    RUN(test_ticks);
    RUN(test_scale);
    RUN(test_classes);
    RUN(test_fit_text);
    RUN(test_colours);
    RUN(test_projection);
    RUN(test_charts);
    vsp_i18n_cleanup();
    return harness_done();
}
