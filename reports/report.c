/* report.c — the content of the PDF transparency report (see report.h):
 * what goes on which page, in which words, with which figures.  Layout is
 * reports/document.c's job, charts are charts/'s, figures come from
 * pipeline/metrics.h. */
#include "reports/report.h"

#include <cairo.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts/chart.h"
#include "charts/draw.h"
#include "charts/layout.h"
#include "pipeline/country.h"
#include "pipeline/designation.h"
#include "pipeline/foreword.h"
#include "pipeline/i18n.h"
#include "pipeline/ingest.h"
#include "pipeline/metrics.h"
#include "reports/export.h"
#include "reports/wording.h"
#include "pipeline/period.h"
#include "pipeline/release_text.h"
#include "pipeline/store.h"
#include "pipeline/util.h"

#define N_TREND 8
#define CHART_SCALE 0.34 /* slide labels 32 units: 10.9 pt on the page */

/* the countries, in code order (pipeline/country.h) */
static const char *const *const country_codes = vsp_countries;
#define N_COUNTRIES VSP_N_COUNTRIES

/* the codes of DESIGN.md §4 (pipeline/taxonomy.h) */
static const char *const *const category_codes = vsp_categories;
#define N_CATEGORIES VSP_N_CATEGORIES

static const char *const dsa_categories[N_CATEGORIES] = {
    "INTELLECTUAL_PROPERTY_INFRINGEMENTS", "PROTECTION_OF_MINORS", "PROTECTION_OF_MINORS",
    "ILLEGAL_OR_HARMFUL_SPEECH", "VIOLENCE", "RISK_FOR_PUBLIC_SECURITY", "OTHER_VIOLATION_TC",
    "CYBER_VIOLENCE", "SELF_HARM", "SCAMS_AND_FRAUD",
    "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", "CONSUMER_INFORMATION", "NOT_SPECIFIED_NOTICE",
};

static const char *const *const decision_codes = vsp_decisions;
#define N_DECISIONS VSP_N_DECISIONS
static const char *const *const outcome_codes = vsp_outcomes;
#define N_OUTCOMES VSP_N_OUTCOMES

static const char *const language_names[VSP_I18N_N_LANGS] = {
    NC_("language", "English"),           NC_("language", "Albanian"),
    NC_("language", "Serbian (Cyrillic)"), NC_("language", "Serbian (Latin)"),
    NC_("language", "Macedonian"),        NC_("language", "Bosnian"),
    NC_("language", "Montenegrin"),
};


const char *vsp_report_pdf_lang(const char *lang)
{
    return vsp_i18n_lang_tag(lang);
}

/* ---- the report's state --------------------------------------------- */

typedef struct rep rep;

typedef struct fig_ctx {
    rep *r;
    vsp_chart_spec spec;
    const vsp_chart_data *data;
} fig_ctx;

struct rep {
    vsp_store *store;
    const char *cc;
    bool region;
    const char *lang;
    vsp_metrics *m;                  /* the period */
    /* the profiles' own regulator names (the country table), for
     * vsp_i18n_regulator_as; loaded on first use, strings kept in words */
    bool own_loaded;
    const char *own_lang[N_COUNTRIES], *own_name[N_COUNTRIES], *own_short[N_COUNTRIES];
    vsp_metrics *trend[N_TREND];     /* oldest first; [N_TREND-1] = m; NULL = not aggregated */
    vsp_period trend_p[N_TREND];
    vsp_chart_source *src;
    vsp_chart_data *charts[VSP_CHART_COUNT];
    fig_ctx figs[VSP_CHART_COUNT];
    vsp_doc *doc;
    int n_fig, n_tab;
    char period_text[80], prev_text[80], freeze_text[80], now_iso[32], now_text[80];
    char asof_text[160]; /* DESIGN §5: the date the figures are as of (region: whose) */
    int provisional;     /* 1 outcomes still arriving, 0 final, -1 unknown */
    int lag_days;        /* as of - end of the period; INT_MIN when unknown */
    cairo_surface_t *logo;
    vsp_foreword *foreword;
    /* the release (borrowed; NULL: made outside a release, nothing said) */
    const vsp_release *rel;
    char rel_text[256];  /* "Release 2026Q3-v2, 6 Dec 2026 — provisional" */
    bool marked;         /* a figure of the current table carries (R) */
    vsp_wording words; /* the strings of the report's text, until it is done */
};

static const char *tr(const rep *r, const char *ctx, const char *msgid)
{
    return vsp_i18n_pget(r->lang, ctx, msgid);
}

/* A message with a count: the plural form of the report's language for
 * count (a figure; NaN or negative counts as 0, i.e. the "many" form). */
static const char *trn(const rep *r, const char *ctx, const char *msgid, const char *plural,
                       double count)
{
    return vsp_wording_plural(r->lang, ctx, msgid, plural, count);
}

/* Keep a malloc'd string until the report is done; returns it. */
static const char *keep(rep *r, char *s)
{
    return vsp_wording_keep(&r->words, s);
}

/* templ with {name} placeholders filled, kept (reports/wording.h). */
static const char *fill(rep *r, const char *templ, size_t n, const char *const names[],
                        const char *const values[])
{
    return vsp_wording_fill(&r->words, templ, n, names, values);
}

static const char *fill1(rep *r, const char *templ, const char *name, const char *value)
{
    return vsp_wording_fill1(&r->words, templ, name, value);
}

#define mget vsp_wording_metric

static double cur(const rep *r, const char *cat, const char *metric)
{
    return mget(r->m, r->cc, cat, metric);
}

/* text, with the revision mark when the release revised the figure
 * (metric of country cc and category cat, in the report's period). */
static const char *rmark_in(rep *r, const char *period, const char *cc, const char *cat,
                            const char *metric, const char *text)
{
    if (!vsp_release_revised_metric(r->rel, period, cc, cat, metric))
        return text;
    r->marked = true;
    return keep(r, vsp_xasprintf("%s " VSP_RELEASE_MARK, text));
}

static const char *rmark(rep *r, const char *cc, const char *cat, const char *metric,
                         const char *text)
{
    return rmark_in(r, vsp_metrics_period(r->m)->label, cc, cat, metric, text);
}

static const char *rcur(rep *r, const char *cat, const char *metric, const char *text)
{
    return rmark(r, r->cc, cat, metric, text);
}

static void note(rep *r, const char *text);

/* Under a table that marked a revised figure: what (R) means. */
static void revision_legend(rep *r)
{
    if (!r->marked)
        return;
    r->marked = false;
    char buf[512];
    note(r, keep(r, vsp_xstrdup(vsp_release_legend(r->rel, r->lang, buf, sizeof buf))));
}

/* Formatted numbers, kept until the report is done. */
static const char *f_int(rep *r, double v)
{
    return vsp_wording_int(&r->words, r->lang, v);
}

static const char *f_pct(rep *r, double v)
{
    return vsp_wording_pct(&r->words, r->lang, v);
}

static const char *f_num(rep *r, double v, int decimals)
{
    return vsp_wording_num(&r->words, r->lang, v, decimals);
}

/* Hours in a table whose header states the unit: one decimal. */
static const char *f_hours(rep *r, double v)
{
    return f_num(r, v, 1);
}

/* Hours with one decimal and the unit ("11.2 h"). */
static const char *f_hours_1(rep *r, double v)
{
    return vsp_wording_hours(&r->words, r->lang, v);
}

/* Days with one decimal and the unit ("2.5 days"). */
static const char *f_days_1(rep *r, double v)
{
    if (!isfinite(v))
        return f_num(r, v, 1);
    /* TRANSLATORS: a duration in whole calendar days; {n} is the number. */
    return fill1(r, tr(r, "report", "{n} days"), "n", f_num(r, v, 1));
}


/* The change from prev to now: relative in % for counts and hours,
 * percentage points for rates; "–" when it cannot be computed. */
static const char *f_change(rep *r, double now, double prev, vsp_change_kind kind)
{
    return vsp_wording_change(&r->words, r->lang, now, prev, kind);
}

/* A country's name; in the regional report Kosovo's carries the
 * designation mark ("Kosovo*") that the note on the cover and under the
 * countries table explains. */
static const char *country_name(rep *r, const char *cc)
{
    const char *mark = r->region ? vsp_designation_mark(cc) : "";
    if (!mark[0])
        return vsp_i18n_country(r->lang, cc);
    return keep(r, vsp_xasprintf("%s%s", vsp_i18n_country(r->lang, cc), mark));
}

static const char *col_keep(rep *r, sqlite3_stmt *s, int col)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    return t ? keep(r, vsp_xstrdup(t)) : NULL;
}

/* The profiles' own names (queries/workbook_regulators.sql); a warehouse
 * that cannot say leaves the table's names. */
static int own_index(rep *r, const char *cc)
{
    if (!r->own_loaded) {
        r->own_loaded = true;
        vsp_error ignored;
        sqlite3_stmt *s = vsp_store_prepare(r->store, "workbook_regulators", &ignored);
        if (s) {
            while (sqlite3_step(s) == SQLITE_ROW) {
                const char *code = (const char *)sqlite3_column_text(s, 0);
                for (int i = 0; code && i < N_COUNTRIES; i++) {
                    if (strcmp(code, country_codes[i]) != 0)
                        continue;
                    r->own_name[i] = col_keep(r, s, 2);
                    r->own_short[i] = col_keep(r, s, 3);
                    r->own_lang[i] = col_keep(r, s, 4);
                }
            }
        }
        sqlite3_finalize(s);
    }
    for (int i = 0; cc && i < N_COUNTRIES; i++)
        if (strcmp(cc, country_codes[i]) == 0)
            return i;
    return -1;
}

static const char *regulator_short(rep *r, const char *cc)
{
    int i = own_index(r, cc);
    const char *s = vsp_i18n_regulator_as(r->lang, cc, true, i < 0 ? NULL : r->own_lang[i],
                                          i < 0 ? NULL : r->own_short[i]);
    return s ? s : cc;
}

/* "Audiovisual Media Authority (AMA)" in the report's language. */
static const char *regulator_full(rep *r, const char *cc)
{
    int i = own_index(r, cc);
    const char *name = vsp_i18n_regulator_as(r->lang, cc, false, i < 0 ? NULL : r->own_lang[i],
                                             i < 0 ? NULL : r->own_name[i]);
    if (!name)
        return cc;
    return keep(r, vsp_xasprintf("%s (%s)", name, regulator_short(r, cc)));
}

/* "AMA, CRA, AEM, ..." */
static const char *all_regulators_short(rep *r)
{
    vsp_buf b;
    vsp_buf_init(&b);
    for (int i = 0; i < N_COUNTRIES; i++) {
        if (i)
            vsp_buf_puts(&b, ", ");
        vsp_buf_puts(&b, regulator_short(r, country_codes[i]));
    }
    return keep(r, b.data);
}

/* The scope: the country name, or "Western Balkans". */
static const char *scope_name(rep *r)
{
    return country_name(r, r->cc);
}

/* ---- captions and tables --------------------------------------------- */

static const char *caption_table(rep *r, const char *title)
{
    char n[16];
    snprintf(n, sizeof n, "%d", ++r->n_tab);
    const char *names[] = {"n", "title"};
    const char *values[] = {n, title};
    /* TRANSLATORS: the caption of a table: {n} its number, {title} what it shows. */
    return fill(r, tr(r, "report", "Table {n}. {title}"), 2, names, values);
}

static const char *next_table_number(rep *r)
{
    char n[16];
    snprintf(n, sizeof n, "%d", r->n_tab + 1);
    return keep(r, vsp_xstrdup(n));
}

static vsp_doc_table *table(rep *r, size_t n_cols, const char *title)
{
    return vsp_doc_table_add(r->doc, n_cols, caption_table(r, title));
}

/* A two-column table: label, number. */
static vsp_doc_table *table2(rep *r, const char *title, const char *col0, const char *col1)
{
    vsp_doc_table *t = table(r, 2, title);
    vsp_doc_table_col(t, 0, col0, 3, VSP_DOC_LEFT);
    vsp_doc_table_col(t, 1, col1, 1.2, VSP_DOC_RIGHT);
    return t;
}

static void row2(vsp_doc_table *t, const char *a, const char *b, unsigned flags)
{
    const char *cells[] = {a, b};
    vsp_doc_table_row(t, cells, flags);
}

static void note(rep *r, const char *text)
{
    vsp_doc_para(r->doc, VSP_DOC_SMALL, text);
}

/* ---- figures --------------------------------------------------------- */

static vsp_status draw_chart(vsp_doc *d, cairo_t *cr, double x, double y, double w, double h,
                             void *ctx, vsp_error *err)
{
    (void)d;
    fig_ctx *f = ctx;
    return vsp_chart_draw(cr, x, y, w, h, &f->spec, f->data, err);
}

/* The chart id as a figure of the given height, with caption and
 * alternative text (which names the table that holds its data). */
static void figure(rep *r, vsp_chart_id id, double height, const char *summary,
                   const char *table_no)
{
    fig_ctx *f = &r->figs[id];
    f->r = r;
    f->spec = vsp_chart_spec_default(id, r->cc, r->lang);
    f->spec.scale = CHART_SCALE;
    f->spec.frame = false;
    f->data = r->charts[id];
    char n[16];
    snprintf(n, sizeof n, "%d", ++r->n_fig);
    const char *title = vsp_chart_title(id, r->lang);
    const char *names[] = {"n", "title", "scope", "period", "table", "summary"};
    const char *values[] = {n, title, scope_name(r), r->period_text, table_no,
                            summary ? summary : ""};
    /* TRANSLATORS: the caption under a chart: {n} its number, {title} the
     * chart's title, {scope} a country or "Western Balkans", {period}. */
    const char *caption = fill(r, tr(r, "report", "Figure {n}. {title} — {scope}, {period}."),
                               4, names, values);
    /* TRANSLATORS: alternative text of a chart for screen readers;
     * {summary} is one or two sentences with its main figures (may be
     * empty); {table} the number of the table that holds its data. */
    const char *alt =
        fill(r, tr(r, "report", "Chart: {title} — {scope}, {period}. {summary} The data are in table {table}."),
             6, names, values);
    vsp_doc_figure(r->doc, height, draw_chart, f, alt, caption);
}

/* ---- cover ----------------------------------------------------------- */

#define ACCENT 0x0B4F8AFFu
#define SOFT 0x4A4A4AFFu

static void rgba(cairo_t *cr, uint32_t c)
{
    cairo_set_source_rgba(cr, ((c >> 24) & 0xFF) / 255.0, ((c >> 16) & 0xFF) / 255.0,
                          ((c >> 8) & 0xFF) / 255.0, (c & 0xFF) / 255.0);
}

static vsp_status draw_cover(vsp_doc *d, cairo_t *cr, double x, double y, double w, double h,
                             void *ctx, vsp_error *err)
{
    (void)x;
    (void)y;
    rep *r = ctx;
    double ml = 64, tw = w - 128, top = 72;
    /* logo and issuer */
    double issuer_x = ml;
    if (r->logo) {
        double lw = cairo_image_surface_get_width(r->logo),
               lh = cairo_image_surface_get_height(r->logo);
        double s = fmin(56.0 / lh, 140.0 / lw);
        cairo_save(cr);
        cairo_translate(cr, ml, top);
        cairo_scale(cr, s, s);
        /* a filled rectangle, not cairo_paint: cairo 1.16 fails its tag
         * bookkeeping when an image is painted into a tagged PDF.  The logo
         * is decoration (the issuer's name is set beside it as text), so
         * it stays outside the structure tree. */
        cairo_set_source_surface(cr, r->logo, 0, 0);
        cairo_rectangle(cr, 0, 0, lw, lh);
        cairo_fill(cr);
        cairo_restore(cr);
        issuer_x = ml + lw * s + 16;
    }
    vsp_doc_font f = {13, true, false, ACCENT, VSP_DOC_LEFT, 1.15};
    const char *issuer = r->region ? tr(r, "report", "Video-sharing platform regulators of the Western Balkans")
                                   : regulator_full(r, r->cc);
    double ih = vsp_doc_draw_text(d, cr, issuer_x, top + 4, ml + tw - issuer_x, issuer, &f, "P");
    f = (vsp_doc_font){10.5, false, false, SOFT, VSP_DOC_LEFT, 1.2};
    const char *sub = r->region ? all_regulators_short(r) : country_name(r, r->cc);
    vsp_doc_draw_text(d, cr, issuer_x, top + 8 + ih, ml + tw - issuer_x, sub, &f, "P");

    rgba(cr, ACCENT);
    cairo_rectangle(cr, ml, 168, tw, 3);
    cairo_fill(cr);

    double yy = 230;
    f = (vsp_doc_font){32, true, false, 0, VSP_DOC_LEFT, 1.1};
    const char *title = r->region ? tr(r, "report", "Western Balkans regional report")
                                  : tr(r, "report", "Transparency report");
    yy += vsp_doc_draw_text(d, cr, ml, yy, tw, title, &f, "H1") + 12;
    f = (vsp_doc_font){14, false, false, SOFT, VSP_DOC_LEFT, 1.25};
    yy += vsp_doc_draw_text(d, cr, ml, yy,
                            tw * 0.85,
                            tr(r, "report", "Reports from the public about illegal and harmful content on video-sharing platforms: what the regulator found and what the platform did"),
                            &f, "P") +
          44;
    f = (vsp_doc_font){44, true, false, ACCENT, VSP_DOC_LEFT, 1.0};
    yy += vsp_doc_draw_text(d, cr, ml, yy, tw, r->period_text, &f, "P") + 8;
    const vsp_period *p = vsp_metrics_period(r->m);
    char a[11], b[11], da[64], db[64];
    vsp_day_format(p->start_day, a);
    vsp_day_format(p->end_day, b);
    vsp_i18n_date(r->lang, a, da, sizeof da);
    vsp_i18n_date(r->lang, b, db, sizeof db);
    const char *names[] = {"start", "end"};
    const char *values[] = {da, db};
    f = (vsp_doc_font){12, false, false, 0, VSP_DOC_LEFT, 1.2};
    vsp_doc_draw_text(d, cr, ml, yy, tw,
                      fill(r, tr(r, "report", "Cases received from {start} to {end}"), 2, names,
                           values),
                      &f, "P");

    /* facts at the foot of the page (and the release, when there is one) */
    double fy = h - (r->rel ? 212 : 190);
    int li = 0;
    const char *canon = vsp_i18n_lang_canon(r->lang);
    for (int i = 0; canon && i < VSP_I18N_N_LANGS; i++)
        if (strcmp(canon, vsp_i18n_langs[i]) == 0)
            li = i;
    const char *facts[4][2] = {
        {tr(r, "report", "Data as of"), r->asof_text},
        {tr(r, "report", "Language"), tr(r, "language", language_names[li])},
        {tr(r, "report", "Published"), r->now_text},
    };
    for (int i = 0; i < (r->rel ? 4 : 3); i++) {
        if (i == 3) {
            facts[i][0] = tr(r, "release", "Release");
            facts[i][1] = r->rel_text;
        }
        f = (vsp_doc_font){9.5, true, false, SOFT, VSP_DOC_LEFT, 1.2};
        double lh = vsp_doc_draw_text(d, cr, ml, fy, 130, facts[i][0], &f, "P");
        f.bold = false;
        f.color = 0;
        double vh = vsp_doc_draw_text(d, cr, ml + 136, fy, tw - 136, facts[i][1], &f, "P");
        fy += fmax(lh, vh) + 5;
    }
    /* the regional edition names Kosovo among its neighbours: the
     * designation note, as EU and regional bodies print it */
    const char *dnote = r->region ? vsp_designation_note(r->lang) : NULL;
    if (dnote) {
        f = (vsp_doc_font){7.5, false, false, SOFT, VSP_DOC_LEFT, 1.2};
        double nh = vsp_doc_measure(d, dnote, &f, tw);
        vsp_doc_draw_text(d, cr, ml, h - 64 - 14 - nh, tw, dnote, &f, "P");
    }
    rgba(cr, ACCENT);
    cairo_rectangle(cr, 0, h - 64, w, 64);
    cairo_fill(cr);
    f = (vsp_doc_font){9, false, false, 0xFFFFFFFFu, VSP_DOC_LEFT, 1.2};
    const char *made = fill1(r, tr(r, "report", "Produced with vspreport {version} from the regulators' case logs"),
                             "version", VSP_VERSION);
    vsp_doc_draw_text(d, cr, ml, h - 40, tw, made, &f, "P");
    cairo_status_t cs = cairo_status(cr);
    if (cs != CAIRO_STATUS_SUCCESS)
        return vsp_error_set(err, VSP_ESOFTWARE, "drawing the cover: %s",
                             cairo_status_to_string(cs));
    return VSP_OK;
}

/* ---- the regulator's foreword ------------------------------------------ */

/* The foreword as the first section: its own first heading (a '#' line
 * at the top) as the section's title, else "Foreword"; then its
 * paragraphs, lists and subheadings, escaped (pipeline/foreword.h). */
static void section_foreword(rep *r)
{
    const vsp_foreword *f = r->foreword;
    size_t i = 0;
    char *title = NULL;
    if (f->n && f->blocks[0].kind == VSP_FW_HEADING && f->blocks[0].level == 1) {
        title = vsp_foreword_plain(f->blocks[0].text);
        i = 1;
    }
    vsp_doc_heading(r->doc, 1, title ? title : tr(r, "report", "Foreword"), "sec-foreword",
                    VSP_DOC_NEW_PAGE);
    free(title);
    for (; i < f->n; i++) {
        const vsp_fw_block *b = &f->blocks[i];
        if (b->kind == VSP_FW_HEADING) {
            char *t = vsp_foreword_plain(b->text);
            vsp_doc_heading(r->doc, b->level == 3 ? 3 : 2, t, NULL, VSP_DOC_UNNUMBERED);
            free(t);
            continue;
        }
        char *m = vsp_foreword_markup(b->text);
        if (b->kind == VSP_FW_PARA) {
            vsp_doc_markup(r->doc, VSP_DOC_BODY, m);
        } else if (b->level > 0) {
            char *numbered = vsp_xasprintf("%d. %s", b->level, m);
            vsp_doc_markup(r->doc, VSP_DOC_BODY, numbered);
            free(numbered);
        } else {
            vsp_doc_bullet(r->doc, m, true);
        }
        free(m);
    }
}


static double prev_same_lag(const rep *r, const char *metric);

/* ---- key findings ----------------------------------------------------- */

/* What a reader should take away, computed from the figures: the change
 * in reports received against the previous period, the largest
 * categories and the largest change among them, the action rate, and
 * the caveats (regulators whose logs have dates without times, outcomes
 * still pending).  Set as bullets after the foreword, in every language. */
static void section_findings(rep *r)
{
    const vsp_metrics *prev = r->trend[N_TREND - 2];
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Key findings"), "sec-findings",
                    r->foreword ? 0 : VSP_DOC_NEW_PAGE);
    size_t n_out = 0;
    /* 1. reports received against the previous period */
    double now = cur(r, "*", "received"), before = prev_same_lag(r, "received");
    if (isfinite(now) && isfinite(before) && before > 0) {
        double rel = (now - before) / before;
        char pct[VSP_FMT_MAX];
        vsp_fmt_pct(r->lang, fabs(rel), 1, pct, sizeof pct);
        const char *names[] = {"pct", "period", "a", "b"};
        const char *values[] = {pct, r->prev_text, f_int(r, before), f_int(r, now)};
        const char *templ =
            fabs(rel) < 0.0005 ? tr(r, "report", "Reports received were unchanged against {period}: {b}.")
            : rel > 0 ? tr(r, "report", "Reports received rose by {pct} against {period}, from {a} to {b}.")
                      : tr(r, "report", "Reports received fell by {pct} against {period}, from {a} to {b}.");
        vsp_doc_bullet(r->doc, fill(r, templ, 4, names, values), false);
        n_out++;
    }
    /* 2. the largest categories, with their share of reports received */
    int idx[N_CATEGORIES];
    int n = vsp_wording_sorted_categories(r->m, r->cc, "received", "received", idx);
    if (n >= 2 && isfinite(now) && now > 0) {
        const char *a = vsp_i18n_category(r->lang, category_codes[idx[0]]);
        const char *b = vsp_i18n_category(r->lang, category_codes[idx[1]]);
        double va = cur(r, category_codes[idx[0]], "received");
        double vb = cur(r, category_codes[idx[1]], "received");
        char pa[VSP_FMT_MAX], pb[VSP_FMT_MAX];
        vsp_fmt_pct(r->lang, va / now, 0, pa, sizeof pa);
        vsp_fmt_pct(r->lang, vb / now, 0, pb, sizeof pb);
        const char *names[] = {"a", "pa", "b", "pb"};
        const char *values[] = {a, pa, b, pb};
        vsp_doc_bullet(r->doc,
                       fill(r, tr(r, "report", "The most reported categories were {a} ({pa} of reports received) and {b} ({pb})."),
                            4, names, values),
                       false);
        n_out++;
    }
    /* 3. the largest change among categories (a base of 20 reports at
     * least, so that a category of three does not lead with +200 %) */
    int best = -1;
    double best_d = 0;
    for (int i = 0; prev && i < N_CATEGORIES; i++) {
        double a = mget(prev, r->cc, category_codes[i], "received");
        double b = cur(r, category_codes[i], "received");
        if (!isfinite(a) || !isfinite(b) || a < 20)
            continue;
        if (fabs(b - a) > fabs(best_d)) {
            best_d = b - a;
            best = i;
        }
    }
    if (best >= 0 && best_d != 0) {
        double a = mget(prev, r->cc, category_codes[best], "received");
        double b = cur(r, category_codes[best], "received");
        const char *names[] = {"category", "a", "b", "change", "period"};
        const char *values[] = {vsp_i18n_category(r->lang, category_codes[best]), f_int(r, a),
                                f_int(r, b), f_change(r, b, a, VSP_CHANGE_RELATIVE), r->prev_text};
        vsp_doc_bullet(r->doc,
                       fill(r, tr(r, "report", "The largest change among categories against {period}: {category}, from {a} to {b} ({change})."),
                            5, names, values),
                       false);
        n_out++;
    }
    /* 4. the action rate */
    double rate = cur(r, "*", "action_rate");
    if (isfinite(rate)) {
        const char *change = f_change(r, rate, prev_same_lag(r, "action_rate"), VSP_CHANGE_POINTS);
        const char *names[] = {"rate", "change", "period"};
        const char *values[] = {f_pct(r, rate), change, r->prev_text};
        vsp_doc_bullet(r->doc,
                       strcmp(change, "\xe2\x80\x93") == 0
                           ? fill(r, tr(r, "report", "The platform acted on {rate} of the forwarded items with a final outcome."),
                                  3, names, values)
                           : fill(r, tr(r, "report", "The platform acted on {rate} of the forwarded items with a final outcome ({change} against {period})."),
                                  3, names, values),
                       false);
        n_out++;
    }
    /* caveats: logs without times; outcomes pending */
    vsp_buf no_times;
    vsp_buf_init(&no_times);
    size_t n_nt = 0;
    for (int i = 0; i < N_COUNTRIES; i++) {
        const char *cc = country_codes[i];
        if (!r->region && strcmp(cc, r->cc) != 0)
            continue;
        double rec = mget(r->m, cc, "*", "received");
        double timed = mget(r->m, cc, "*", "h_received_decided_n");
        double acted = mget(r->m, cc, "*", "h_to_action_n");
        if (isfinite(rec) && rec > 0 && !(timed > 0) && !(acted > 0)) {
            if (n_nt++)
                vsp_buf_puts(&no_times, ", ");
            vsp_buf_puts(&no_times, regulator_short(r, cc));
        }
    }
    if (n_nt) {
        const char *names[] = {"regulators"};
        const char *values[] = {no_times.data};
        vsp_doc_bullet(r->doc,
                       r->region
                           ? fill(r, tr(r, "report", "Caveat: the case logs of {regulators} have dates without times of day, so their durations are counted in whole days; durations in hours rest on the other regulators."),
                                  1, names, values)
                           : fill(r, tr(r, "report", "Caveat: the case log of {regulators} has dates without times of day, so this report's durations are counted in whole days."),
                                  1, names, values),
                       false);
        n_out++;
    }
    vsp_buf_fini(&no_times);
    double pend = cur(r, "*", "outcome_pending"), fwd = cur(r, "*", "forwarded");
    if (isfinite(pend) && isfinite(fwd) && fwd > 0 && pend / fwd >= 0.1) {
        char pct[VSP_FMT_MAX];
        vsp_fmt_pct(r->lang, pend / fwd, 0, pct, sizeof pct);
        const char *names[] = {"pct"};
        const char *values[] = {pct};
        vsp_doc_bullet(r->doc,
                       fill(r, tr(r, "report", "Caveat: {pct} of the forwarded items had no final platform outcome by the date the data are as of; the action rate counts only those with one."),
                            1, names, values),
                       false);
        n_out++;
    }
    if (!n_out)
        vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "chart", "No data for this period"));
}

/* ---- key figures ----------------------------------------------------- */

typedef struct tile {
    const char *label, *value, *change;
} tile;

typedef struct tiles_ctx {
    tile t[6];
    int n;
    double label_h, change_h, tile_h; /* measured */
} tiles_ctx;

#define TILE_GAP 10.0
#define TILE_PAD 9.0
#define TILE_VALUE 20.0

static const vsp_doc_font tile_label_font = {8.5, false, false, SOFT, VSP_DOC_LEFT, 1.15};
static const vsp_doc_font tile_value_font = {TILE_VALUE, true, false, ACCENT, VSP_DOC_LEFT, 1.0};
static const vsp_doc_font tile_change_font = {8, false, false, SOFT, VSP_DOC_LEFT, 1.15};

static double tile_width(double w)
{
    return (w - 2 * TILE_GAP) / 3;
}

/* Heights of the tiles' labels and change lines, so that every tile of
 * the grid has room for the longest. */
static void tiles_measure(vsp_doc *d, tiles_ctx *tc)
{
    double inner = tile_width(vsp_doc_text_width(d)) - 2 * TILE_PAD - 3;
    tc->label_h = tc->change_h = 0;
    for (int i = 0; i < tc->n; i++) {
        tc->label_h = fmax(tc->label_h, vsp_doc_measure(d, tc->t[i].label, &tile_label_font, inner));
        tc->change_h =
            fmax(tc->change_h, vsp_doc_measure(d, tc->t[i].change, &tile_change_font, inner));
    }
    tc->tile_h = TILE_PAD + tc->label_h + 5 + TILE_VALUE * 1.2 + 3 + tc->change_h + TILE_PAD;
}

static vsp_status draw_tiles(vsp_doc *d, cairo_t *cr, double x, double y, double w, double h,
                             void *ctx, vsp_error *err)
{
    (void)h;
    tiles_ctx *tc = ctx;
    double tw = tile_width(w), inner = tw - 2 * TILE_PAD - 3;
    for (int i = 0; i < tc->n; i++) {
        double tx = x + (i % 3) * (tw + TILE_GAP), ty = y + (i / 3) * (tc->tile_h + TILE_GAP);
        rgba(cr, 0xEEF3F8FFu);
        cairo_rectangle(cr, tx, ty, tw, tc->tile_h);
        cairo_fill(cr);
        rgba(cr, ACCENT);
        cairo_rectangle(cr, tx, ty, 3, tc->tile_h);
        cairo_fill(cr);
        double ix = tx + 3 + TILE_PAD, iy = ty + TILE_PAD;
        vsp_doc_draw_text(d, cr, ix, iy, inner, tc->t[i].label, &tile_label_font, "P");
        iy += tc->label_h + 5;
        vsp_doc_draw_text(d, cr, ix, iy, inner, tc->t[i].value, &tile_value_font, "P");
        iy += TILE_VALUE * 1.2 + 3;
        vsp_doc_draw_text(d, cr, ix, iy, inner, tc->t[i].change, &tile_change_font, "P");
    }
    cairo_status_t cs = cairo_status(cr);
    return cs == CAIRO_STATUS_SUCCESS ? VSP_OK
                                      : vsp_error_set(err, VSP_ESOFTWARE, "key figures: %s",
                                                      cairo_status_to_string(cs));
}

/* The previous period's figure to compare with: counts and rates as it
 * stood at the same lag (DESIGN §5) where the aggregates have it, anything
 * else as it stands now. */
static double prev_same_lag(const rep *r, const char *metric)
{
    static const char *const lagged[] = {"received", "assessed", "forwarded", "actioned",
                                         "outcome_pending", "violation_rate", "action_rate"};
    bool has = false;
    for (size_t i = 0; i < sizeof lagged / sizeof lagged[0]; i++)
        has = has || strcmp(metric, lagged[i]) == 0;
    if (has && isfinite(cur(r, "*", "lag_prev_received"))) {
        char lag[64];
        snprintf(lag, sizeof lag, "lag_prev_%s", metric);
        return cur(r, "*", lag);
    }
    return mget(r->trend[N_TREND - 2], r->cc, "*", metric);
}

static const char *vs_prev(rep *r, const char *change)
{
    return vsp_wording_vs_prev(&r->words, r->lang, change, r->prev_text);
}

typedef struct keyfig {
    const char *metric;
    const char *label;
    int kind; /* 0 count, 1 rate, 2 hours */
} keyfig;

static void section_key(rep *r, tiles_ctx *tc)
{
    /* the key figures follow the key findings on their page */
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Key figures"), "sec-key", 0);
    const char *names[] = {"period", "scope", "received", "forwarded", "actioned", "rate"};
    const char *values[] = {r->period_text,
                            scope_name(r),
                            f_int(r, cur(r, "*", "received")),
                            f_int(r, cur(r, "*", "forwarded")),
                            f_int(r, cur(r, "*", "actioned")),
                            f_pct(r, cur(r, "*", "action_rate"))};
    /* TRANSLATORS: the opening sentence of the key figures. */
    vsp_doc_para(r->doc, VSP_DOC_LEAD,
                 fill(r, tr(r, "report", "{scope}, {period} — reports received about content on video-sharing platforms: {received}; found to violate the law and forwarded to the platform: {forwarded}; acted on by the platform: {actioned}. Action rate: {rate} of the forwarded items with a final outcome."),
                      6, names, values));

    static const keyfig tiles[6] = {
        {"received", NC_("report", "Reports received"), 0},
        {"forwarded", NC_("report", "Violations forwarded to the platform"), 0},
        {"actioned", NC_("report", "Actioned by the platform"), 0},
        {"violation_rate", NC_("report", "Violation rate"), 1},
        {"action_rate", NC_("report", "Action rate"), 1},
        {"h_to_action_median", NC_("report", "Median time to action"), 2},
    };
    tc->n = 6;
    for (int i = 0; i < 6; i++) {
        double now = cur(r, "*", tiles[i].metric),
               before = prev_same_lag(r, tiles[i].metric);
        tc->t[i].label = tr(r, "report", tiles[i].label);
        tc->t[i].value = tiles[i].kind == 0   ? f_int(r, now)
                         : tiles[i].kind == 1 ? f_pct(r, now)
                                              : f_hours_1(r, now);
        const char *metric = tiles[i].metric;
        if (tiles[i].kind == 2 && !isfinite(now)) {
            /* no times of day: the median in whole days */
            metric = "d_to_action_median";
            now = cur(r, "*", metric);
            before = prev_same_lag(r, metric);
            tc->t[i].value = f_days_1(r, now);
        }
        /* a revised figure: the mark beside its label, where it has room */
        tc->t[i].label = rcur(r, "*", metric, tc->t[i].label);
        tc->t[i].change =
            vs_prev(r, f_change(r, now, before, tiles[i].kind == 1 ? VSP_CHANGE_POINTS : VSP_CHANGE_RELATIVE));
    }
    tiles_measure(r->doc, tc);
    vsp_doc_space(r->doc, 4);
    vsp_doc_custom(r->doc, 2 * tc->tile_h + TILE_GAP, draw_tiles, tc);
    vsp_doc_space(r->doc, 6);

    static const keyfig rows[] = {
        {"received", NC_("report", "Reports received"), 0},
        {"assessed", NC_("report", "Reports assessed"), 0},
        {"forwarded", NC_("report", "Violations forwarded to the platform"), 0},
        {"actioned", NC_("report", "Actioned by the platform"), 0},
        {"outcome_pending", NC_("report", "Forwarded, platform outcome pending"), 0},
        {"violation_rate", NC_("report", "Violation rate"), 1},
        {"action_rate", NC_("report", "Action rate"), 1},
        {"h_to_action_median", NC_("report", "Median time to action (hours)"), 2},
        {"h_to_action_p90", NC_("report", "90th percentile of time to action (hours)"), 2},
        {"h_to_action_n", NC_("report", "Items with a time to action (n)"), 0},
        {"h_to_response_median", NC_("report", "Median time to platform response (hours)"), 2},
        {"d_to_action_median", NC_("report", "Median time to action (days)"), 2},
        {"d_to_action_n", NC_("report", "Items with a time to action in days (n)"), 0},
        {"cross_border_items", NC_("report", "Cross-border items"), 0},
    };
    const char *title = fill1(r, tr(r, "report", "Key figures, {period}"), "period", r->period_text);
    if (r->provisional == 1)
        /* TRANSLATORS: a table title of a period whose outcomes are still arriving */
        title = fill1(r, tr(r, "report", "{title} (provisional)"), "title", title);
    vsp_doc_table *t = table(r, 4, title);
    bool lag_known = isfinite(cur(r, "*", "lag_prev_received"));
    vsp_doc_table_col(t, 0, tr(r, "report", "Indicator"), 3.2, VSP_DOC_LEFT);
    vsp_doc_table_col(t, 1, r->period_text, 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 2,
                      lag_known ? fill1(r, tr(r, "report", "{period} at the same lag"), "period",
                                        r->prev_text)
                                : r->prev_text,
                      1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 3, tr(r, "report", "Change"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_size(t, 9);
    bool small = false;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double now = cur(r, "*", rows[i].metric);
        /* counts and rates at the same lag; durations as they stand */
        double before = prev_same_lag(r, rows[i].metric);
        const char *a = rows[i].kind == 0 ? f_int(r, now) : rows[i].kind == 1 ? f_pct(r, now)
                                                                             : f_hours(r, now);
        const char *b = rows[i].kind == 0   ? f_int(r, before)
                        : rows[i].kind == 1 ? f_pct(r, before)
                                            : f_hours(r, before);
        /* a rate over fewer than 20 cases is marked */
        if (rows[i].kind == 1) {
            double den = strcmp(rows[i].metric, "action_rate") == 0
                             ? cur(r, "*", "forwarded") - cur(r, "*", "outcome_pending")
                             : cur(r, "*", "assessed");
            if (isfinite(now) && isfinite(den) && den < 20) {
                a = keep(r, vsp_xasprintf("%s \xe2\x80\xa0", a));
                small = true;
            }
        }
        a = rcur(r, "*", rows[i].metric, a);
        const char *cells[] = {tr(r, "report", rows[i].label), a, b,
                               f_change(r, now, before,
                                        rows[i].kind == 1 ? VSP_CHANGE_POINTS : VSP_CHANGE_RELATIVE)};
        vsp_doc_table_row(t, cells, 0);
    }
    revision_legend(r);
    note(r, tr(r, "report", "Changes of counts and hours are relative; changes of rates are differences in percentage points (pp). A dash means the figure is not defined or the previous period has no data. Every figure is defined in the methodology section."));
    if (lag_known && r->lag_days != INT_MIN) {
        char lag[16];
        snprintf(lag, sizeof lag, "%d", r->lag_days);
        const char *lnames[] = {"period", "days", "asof"};
        const char *lvalues[] = {r->prev_text, lag, r->asof_text};
        note(r, fill(r, tr(r, "report", "Counts and rates are compared with {period} as its cases stood {days} days after its end — the same lag as this period's data, which are as of {asof} — so that outcomes not received yet do not pass for a change. Durations are compared with the previous period as it stands now."),
                     3, lnames, lvalues));
    }
    if (r->provisional == 1)
        note(r, tr(r, "report", "Provisional: outcomes for this period are still arriving (forwarded items without a final outcome, or data as of less than 30 days after the period's end); later editions will revise these figures."));
    if (small)
        note(r, tr(r, "report", "† A rate over fewer than 20 cases: read it with care."));
}

/* ---- funnel ------------------------------------------------------------ */

static void section_funnel(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "From report to platform action"), "sec-funnel", 0);
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "Every report received is assessed against national law. Reports that show a violation are forwarded to the platform, which may remove the content, restrict it in the country, restrict it by age, act against the account, or decline."));
    const char *names[] = {"received", "assessed", "forwarded", "actioned"};
    const char *values[] = {f_int(r, cur(r, "*", "received")), f_int(r, cur(r, "*", "assessed")),
                            f_int(r, cur(r, "*", "forwarded")),
                            f_int(r, cur(r, "*", "actioned"))};
    const char *summary = fill(r, tr(r, "report", "Reports received: {received}; assessed: {assessed}; forwarded to the platform: {forwarded}; actioned by the platform: {actioned}."),
                               4, names, values);
    figure(r, VSP_CHART_FUNNEL, 220, summary, next_table_number(r));

    vsp_doc_table *t = table2(r, tr(r, "report", "The funnel"), tr(r, "report", "Stage"),
                              tr(r, "report", "Reports"));
    row2(t, tr(r, "stage", "Received"), rcur(r, "*", "received", values[0]), 0);
    row2(t, tr(r, "stage", "Assessed"), rcur(r, "*", "assessed", values[1]), 0);
    row2(t, tr(r, "stage", "Forwarded to the platform"), rcur(r, "*", "forwarded", values[2]), 0);
    row2(t, tr(r, "stage", "Actioned by the platform"), rcur(r, "*", "actioned", values[3]), 0);
    row2(t, tr(r, "report", "Violation rate (forwarded ÷ assessed)"),
         rcur(r, "*", "violation_rate", f_pct(r, cur(r, "*", "violation_rate"))), 0);
    row2(t, tr(r, "report", "Action rate (actioned ÷ forwarded with a final outcome)"),
         rcur(r, "*", "action_rate", f_pct(r, cur(r, "*", "action_rate"))), 0);
    revision_legend(r);

    t = table2(r, tr(r, "report", "Regulator decisions"), tr(r, "report", "Decision"),
               tr(r, "report", "Reports"));
    for (int i = 0; i < N_DECISIONS; i++) {
        char metric[48];
        snprintf(metric, sizeof metric, "decision_%s", decision_codes[i]);
        row2(t, vsp_i18n_decision(r->lang, decision_codes[i]), f_int(r, cur(r, "*", metric)), 0);
    }
    row2(t, tr(r, "report", "Total received"), values[0], VSP_DOC_ROW_BOLD);
}

/* ---- categories -------------------------------------------------------- */

static void section_categories(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Categories of content"), "sec-categories", 0);
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "Reports by category of content. The categories map onto those of the EU Digital Services Act transparency database (see the glossary), so the figures can be set beside the platforms' own reports."));
    int idx[N_CATEGORIES];
    int n = vsp_wording_sorted_categories(r->m, r->cc, "received", "received", idx);
    const char *summary = "";
    if (n > 0) {
        summary = vsp_wording_top_category(&r->words, r->lang, category_codes[idx[0]],
                                           cur(r, category_codes[idx[0]], "received"));
    }
    figure(r, VSP_CHART_CATEGORIES, 300, summary, next_table_number(r));
    vsp_doc_table *t = table(r, 6, tr(r, "report", "Reports by category"));
    vsp_doc_table_col(t, 0, tr(r, "report", "Category"), 2.6, VSP_DOC_LEFT);
    vsp_doc_table_col(t, 1, tr(r, "series", "Received"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 2, tr(r, "report", "Forwarded"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 3, tr(r, "report", "Actioned"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 4, tr(r, "report", "Violation rate"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 5, tr(r, "report", "Action rate"), 1, VSP_DOC_RIGHT);
    for (int k = 0; k <= n; k++) {
        const char *cat = k < n ? category_codes[idx[k]] : "*";
        const char *cells[] = {vsp_i18n_category(r->lang, cat),
                               rcur(r, cat, "received", f_int(r, cur(r, cat, "received"))),
                               rcur(r, cat, "forwarded", f_int(r, cur(r, cat, "forwarded"))),
                               rcur(r, cat, "actioned", f_int(r, cur(r, cat, "actioned"))),
                               rcur(r, cat, "violation_rate", f_pct(r, cur(r, cat, "violation_rate"))),
                               rcur(r, cat, "action_rate", f_pct(r, cur(r, cat, "action_rate")))};
        vsp_doc_table_row(t, cells, k < n ? 0 : VSP_DOC_ROW_BOLD);
    }
    revision_legend(r);
    if (n < N_CATEGORIES)
        note(r, tr(r, "report", "Categories without reports in the period are left out."));
}

/* ---- outcomes ---------------------------------------------------------- */

static const char *outcome_metric(int i)
{
    static char buf[N_OUTCOMES][40];
    snprintf(buf[i], sizeof buf[i], "outcome_%s", outcome_codes[i]);
    return buf[i];
}

static void section_outcomes(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Platform outcomes"), "sec-outcomes", 0);
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "What the platform did with the items the regulator forwarded. An item counts as actioned when it was removed, blocked in the country or age-restricted, or when the account was suspended or banned."));
    const char *names[] = {"removed", "blocked", "declined", "pending"};
    const char *values[] = {f_int(r, cur(r, "*", "outcome_removed")),
                            f_int(r, cur(r, "*", "outcome_geo_blocked")),
                            f_int(r, cur(r, "*", "outcome_declined")),
                            f_int(r, cur(r, "*", "outcome_pending"))};
    const char *summary = fill(r, tr(r, "report", "Forwarded items removed: {removed}; blocked in the country: {blocked}; declined: {declined}; still pending: {pending}."),
                               4, names, values);
    figure(r, VSP_CHART_OUTCOMES, 320, summary, next_table_number(r));
    vsp_doc_table *t = table2(r, tr(r, "report", "Platform outcomes of forwarded items"),
                              tr(r, "report", "Outcome"), tr(r, "report", "Items"));
    for (int i = 0; i < N_OUTCOMES; i++)
        row2(t, vsp_i18n_outcome(r->lang, outcome_codes[i]),
             f_int(r, cur(r, "*", outcome_metric(i))), 0);
    row2(t, tr(r, "report", "Total forwarded"), f_int(r, cur(r, "*", "forwarded")),
         VSP_DOC_ROW_BOLD);

    /* by category, in two tables so that the columns stay readable in
     * every language: the actioned outcomes, then the others */
    int idx[N_CATEGORIES];
    int n = vsp_wording_sorted_categories(r->m, r->cc, "forwarded", "forwarded", idx);
    for (int part = 0; part < 2; part++) {
        int o0 = part == 0 ? 0 : 5, o1 = part == 0 ? 5 : N_OUTCOMES;
        t = table(r, 2 + (size_t)(o1 - o0),
                  part == 0 ? tr(r, "report", "Actioned outcomes by category")
                            : tr(r, "report", "Outcomes without action, and pending, by category"));
        vsp_doc_table_size(t, 8);
        vsp_doc_table_col(t, 0, tr(r, "report", "Category"), 2.2, VSP_DOC_LEFT);
        vsp_doc_table_col(t, 1, tr(r, "report", "Forwarded"), 1, VSP_DOC_RIGHT);
        for (int i = o0; i < o1; i++)
            vsp_doc_table_col(t, 2 + (size_t)(i - o0), vsp_i18n_outcome(r->lang, outcome_codes[i]),
                              1, VSP_DOC_RIGHT);
        for (int k = 0; k <= n; k++) {
            const char *cat = k < n ? category_codes[idx[k]] : "*";
            const char *cells[2 + N_OUTCOMES];
            cells[0] = vsp_i18n_category(r->lang, cat);
            cells[1] = f_int(r, cur(r, cat, "forwarded"));
            for (int i = o0; i < o1; i++)
                cells[2 + i - o0] = f_int(r, cur(r, cat, outcome_metric(i)));
            vsp_doc_table_row(t, cells, k < n ? 0 : VSP_DOC_ROW_BOLD);
        }
    }
}

/* ---- timeliness -------------------------------------------------------- */

static const char *const duration_codes[] = {"received_decided", "decided_forwarded",
                                             "to_action", "to_response", "received_outcome"};
static const char *const duration_labels[] = {
    NC_("stage", "Received → decided"), NC_("stage", "Decided → forwarded"),
    NC_("stage", "Forwarded → actioned"), NC_("stage", "Forwarded → platform response"),
    NC_("stage", "Received → outcome")};

static void section_timeliness(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Timeliness"), "sec-timeliness", 0);
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "How long each step took: in hours where both of its ends have a date and a time of day, and in whole days (the difference of the calendar dates) wherever both have a date. Each median and 90th percentile is given with the number of items (n) it is based on; the end is never before the start."));
    double h_n = cur(r, "*", "h_to_action_n"), d_n = cur(r, "*", "d_to_action_n");
    bool days = !(isfinite(h_n) && h_n > 0) && isfinite(d_n) && d_n > 0;
    const char *names[] = {"median", "p90", "n"};
    const char *values[] = {days ? f_days_1(r, cur(r, "*", "d_to_action_median"))
                                 : f_hours_1(r, cur(r, "*", "h_to_action_median")),
                            days ? f_days_1(r, cur(r, "*", "d_to_action_p90"))
                                 : f_hours_1(r, cur(r, "*", "h_to_action_p90")),
                            f_int(r, days ? d_n : h_n)};
    const char *summary = fill(r, trn(r, "report", "Median time to action {median}, 90th percentile {p90}, over {n} actioned item.",
                                      "Median time to action {median}, 90th percentile {p90}, over {n} actioned items.",
                                      days ? d_n : h_n),
                               3, names, values);
    figure(r, VSP_CHART_TIMELINESS, 380, summary, next_table_number(r));
    if (days)
        note(r, tr(r, "report", "No times of day are recorded here, so the chart counts whole days: the difference of the calendar dates of both ends."));
    else if (r->region) {
        char codes[64], who[128];
        vsp_metrics_countries_where(r->m, "*", "h_to_action_n", 1, codes, sizeof codes);
        vsp_i18n_regulator_list(r->lang, codes, who, sizeof who);
        note(r, fill1(r, tr(r, "report", "Hours pool the regulators that record times of day ({who}); days, in the table below, pool all of them."), "who", who));
    }
    /* one row per step: hours (both ends with a time of day), then whole
     * days (both ends with a date) */
    vsp_doc_table *t = table(r, 7, tr(r, "report", "Duration of each step, in hours and in whole days"));
    vsp_doc_table_col(t, 0, tr(r, "report", "Step"), 2.2, VSP_DOC_LEFT);
    vsp_doc_table_col(t, 1, tr(r, "report", "Median (hours)"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 2, tr(r, "report", "90th percentile (hours)"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 3, tr(r, "report", "Items (n)"), 0.8, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 4, tr(r, "report", "Median (days)"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 5, tr(r, "report", "90th percentile (days)"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 6, tr(r, "report", "Items (n)"), 0.8, VSP_DOC_RIGHT);
    for (int i = 0; i < 5; i++) {
        char m[6][48];
        snprintf(m[0], sizeof m[0], "h_%s_median", duration_codes[i]);
        snprintf(m[1], sizeof m[1], "h_%s_p90", duration_codes[i]);
        snprintf(m[2], sizeof m[2], "h_%s_n", duration_codes[i]);
        snprintf(m[3], sizeof m[3], "d_%s_median", duration_codes[i]);
        snprintf(m[4], sizeof m[4], "d_%s_p90", duration_codes[i]);
        snprintf(m[5], sizeof m[5], "d_%s_n", duration_codes[i]);
        const char *cells[] = {tr(r, "stage", duration_labels[i]),
                               rcur(r, "*", m[0], f_hours(r, cur(r, "*", m[0]))),
                               rcur(r, "*", m[1], f_hours(r, cur(r, "*", m[1]))),
                               rcur(r, "*", m[2], f_int(r, cur(r, "*", m[2]))),
                               rcur(r, "*", m[3], f_hours(r, cur(r, "*", m[3]))),
                               rcur(r, "*", m[4], f_hours(r, cur(r, "*", m[4]))),
                               rcur(r, "*", m[5], f_int(r, cur(r, "*", m[5])))};
        vsp_doc_table_row(t, cells, 0);
    }
    revision_legend(r);
    t = table2(r, tr(r, "report", "Share of actioned items by time to action"),
               tr(r, "report", "Time to action"), tr(r, "report", "Share"));
    static const char *const shares[2][3][2] = {
        {{NC_("stage", "Within 24 hours"), "share_24h"},
         {NC_("stage", "Within 48 hours"), "share_48h"},
         {NC_("stage", "Within 7 days"), "share_7d"}},
        {{NC_("stage", "Within 1 day"), "d_share_1d"},
         {NC_("stage", "Within 2 days"), "d_share_2d"},
         {NC_("stage", "Within 7 days"), "d_share_7d"}}};
    for (int i = 0; i < 3; i++) {
        const char *metric = shares[days][i][1];
        row2(t, tr(r, "stage", shares[days][i][0]),
             rcur(r, "*", metric, f_pct(r, cur(r, "*", metric))), 0);
    }
    revision_legend(r);
}

/* ---- trend ------------------------------------------------------------- */

static void trend_table(rep *r, const char *cat, const char *title, bool piracy)
{
    vsp_doc_table *t = table(r, 6, title);
    vsp_doc_table_col(t, 0, tr(r, "report", "Period"), 1.5, VSP_DOC_LEFT);
    vsp_doc_table_col(t, 1, tr(r, "series", "Received"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 2, tr(r, "report", "Forwarded"), 1, VSP_DOC_RIGHT);
    if (piracy) {
        vsp_doc_table_col(t, 3, vsp_i18n_outcome(r->lang, "removed"), 1, VSP_DOC_RIGHT);
        vsp_doc_table_col(t, 4, vsp_i18n_outcome(r->lang, "geo_blocked"), 1, VSP_DOC_RIGHT);
        vsp_doc_table_col(t, 5, tr(r, "report", "Actioned"), 1, VSP_DOC_RIGHT);
    } else {
        vsp_doc_table_col(t, 3, tr(r, "report", "Actioned"), 1, VSP_DOC_RIGHT);
        vsp_doc_table_col(t, 4, tr(r, "report", "Action rate"), 1, VSP_DOC_RIGHT);
        vsp_doc_table_col(t, 5, tr(r, "report", "Median time to action (hours)"), 1.3,
                          VSP_DOC_RIGHT);
    }
    for (int i = 0; i < N_TREND; i++) {
        const vsp_metrics *m = r->trend[i];
        char label[80];
        vsp_i18n_period(r->lang, r->trend_p[i].label, label, sizeof label);
        const char *cells[6];
        cells[0] = keep(r, vsp_xstrdup(label));
        if (m && vsp_metrics_provisional(m, r->cc) == 1)
            /* a provisional period, marked as in the chart */
            cells[0] = keep(r, vsp_xasprintf("%s *", label));
        /* a figure of any of the eight periods may have been revised */
        const char *pl = r->trend_p[i].label;
        static const char *const plain[4] = {"received", "forwarded", "actioned", "action_rate"};
        static const char *const pir[4] = {"received", "forwarded", "outcome_removed",
                                           "outcome_geo_blocked"};
        const char *const *metrics = piracy ? pir : plain;
        cells[1] = rmark_in(r, pl, r->cc, cat, metrics[0], f_int(r, mget(m, r->cc, cat, metrics[0])));
        cells[2] = rmark_in(r, pl, r->cc, cat, metrics[1], f_int(r, mget(m, r->cc, cat, metrics[1])));
        if (piracy) {
            cells[3] = rmark_in(r, pl, r->cc, cat, metrics[2], f_int(r, mget(m, r->cc, cat, metrics[2])));
            cells[4] = rmark_in(r, pl, r->cc, cat, metrics[3], f_int(r, mget(m, r->cc, cat, metrics[3])));
            cells[5] = rmark_in(r, pl, r->cc, cat, "actioned", f_int(r, mget(m, r->cc, cat, "actioned")));
        } else {
            cells[3] = rmark_in(r, pl, r->cc, cat, "actioned", f_int(r, mget(m, r->cc, cat, "actioned")));
            cells[4] = rmark_in(r, pl, r->cc, cat, "action_rate", f_pct(r, mget(m, r->cc, cat, "action_rate")));
            cells[5] = rmark_in(r, pl, r->cc, cat, "h_to_action_median",
                                f_hours(r, mget(m, r->cc, cat, "h_to_action_median")));
        }
        vsp_doc_table_row(t, cells, i == N_TREND - 1 ? VSP_DOC_ROW_BOLD : 0);
    }
    revision_legend(r);
}

static void section_trend(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Trend over eight periods"), "sec-trend", 0);
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "The same figures for this period and the seven before it, as of the date the data describe: cases of earlier periods updated by later exports are counted with their latest decision and outcome."));
    char first[80];
    vsp_i18n_period(r->lang, r->trend_p[0].label, first, sizeof first);
    const char *names[] = {"first", "last", "a", "b"};
    const char *values[] = {first, r->period_text, f_int(r, mget(r->trend[0], r->cc, "*", "received")),
                            f_int(r, cur(r, "*", "received"))};
    const char *summary = fill(r, tr(r, "report", "Reports received went from {a} in {first} to {b} in {last}."),
                               4, names, values);
    figure(r, VSP_CHART_TREND, 300, summary, next_table_number(r));
    trend_table(r, "*", tr(r, "report", "Figures of the last eight periods"), false);
    bool provisional = false;
    for (int i = 0; i < N_TREND; i++)
        provisional |= r->trend[i] && vsp_metrics_provisional(r->trend[i], r->cc) == 1;
    if (provisional)
        note(r, tr(r, "report", "* Provisional: outcomes of that period are still arriving; in the chart, its points are hollow. Its figures will rise in later editions as outcomes come in."));
    bool gap = false;
    for (int i = 0; i < N_TREND; i++)
        gap |= r->trend[i] == NULL;
    if (gap)
        note(r, tr(r, "report", "A dash marks a period that has not been aggregated in this warehouse."));
}

/* ---- piracy ------------------------------------------------------------ */

static void section_piracy(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Audiovisual piracy"), "sec-piracy", 0);
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "Audiovisual piracy — above all the unauthorised live streaming and re-upload of sports events, films and series — is shown on its own because rights holders, regulators and the platform follow it closely. Removal and blocking in the country are the two outcomes that matter most here."));
    vsp_doc_table *t = table2(r, fill1(r, tr(r, "report", "Audiovisual piracy, {period}"),
                                       "period", r->period_text),
                              tr(r, "report", "Indicator"), tr(r, "report", "Value"));
    row2(t, tr(r, "report", "Reported"), f_int(r, cur(r, "piracy", "received")), 0);
    row2(t, tr(r, "report", "Reports assessed"), f_int(r, cur(r, "piracy", "assessed")), 0);
    row2(t, tr(r, "report", "Violations forwarded to the platform"),
         f_int(r, cur(r, "piracy", "forwarded")), 0);
    row2(t, vsp_i18n_outcome(r->lang, "removed"), f_int(r, cur(r, "piracy", "outcome_removed")),
         0);
    row2(t, vsp_i18n_outcome(r->lang, "geo_blocked"),
         f_int(r, cur(r, "piracy", "outcome_geo_blocked")), 0);
    row2(t, tr(r, "report", "Actioned by the platform"), f_int(r, cur(r, "piracy", "actioned")),
         0);
    row2(t, vsp_i18n_outcome(r->lang, "declined"), f_int(r, cur(r, "piracy", "outcome_declined")),
         0);
    row2(t, tr(r, "report", "Forwarded, platform outcome pending"),
         f_int(r, cur(r, "piracy", "outcome_pending")), 0);
    row2(t, tr(r, "report", "Action rate"), f_pct(r, cur(r, "piracy", "action_rate")), 0);
    row2(t, tr(r, "report", "Median time to action (hours)"),
         f_hours(r, cur(r, "piracy", "h_to_action_median")), 0);
    row2(t, tr(r, "report", "Items with a time to action (n)"),
         f_int(r, cur(r, "piracy", "h_to_action_n")), 0);
    trend_table(r, "piracy", tr(r, "report", "Audiovisual piracy over the last eight periods"),
                true);
}

/* ---- regional sections ------------------------------------------------- */

static void section_countries(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Countries compared"), "sec-countries", 0);
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "Counts per 100 000 inhabitants make countries of different size comparable. Populations are those of each country's latest census (see the methodology)."));
    int best = -1;
    double bv = -1;
    for (int i = 0; i < N_COUNTRIES; i++) {
        double v = mget(r->m, country_codes[i], "*", "received_per100k");
        if (isfinite(v) && v > bv) {
            bv = v;
            best = i;
        }
    }
    const char *summary = "";
    if (best >= 0) {
        const char *names[] = {"country", "n"};
        const char *values[] = {country_name(r, country_codes[best]), f_num(r, bv, 1)};
        summary = fill(r, tr(r, "report", "The most reports per 100 000 inhabitants came from {country}: {n}."),
                       2, names, values);
    }
    const char *tno = next_table_number(r);
    figure(r, VSP_CHART_COUNTRIES, 320, summary, tno);
    vsp_doc_table *t = table(r, 7, tr(r, "report", "Countries per 100 000 inhabitants"));
    vsp_doc_table_size(t, 8);
    vsp_doc_table_col(t, 0, tr(r, "report", "Country"), 1.9, VSP_DOC_LEFT);
    vsp_doc_table_col(t, 1, tr(r, "report", "Population"), 1.2, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 2, tr(r, "series", "Received"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 3, tr(r, "report", "Received per 100 000"), 1.1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 4, tr(r, "report", "Forwarded per 100 000"), 1.1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 5, tr(r, "report", "Actioned per 100 000"), 1.1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 6, tr(r, "report", "Action rate"), 1, VSP_DOC_RIGHT);
    for (int i = 0; i <= N_COUNTRIES; i++) {
        const char *cc = i < N_COUNTRIES ? country_codes[i] : "region";
        const char *cells[] = {
            country_name(r, cc), f_int(r, mget(r->m, cc, "*", "population")),
            rmark(r, cc, "*", "received", f_int(r, mget(r->m, cc, "*", "received"))),
            rmark(r, cc, "*", "received_per100k", f_num(r, mget(r->m, cc, "*", "received_per100k"), 1)),
            rmark(r, cc, "*", "forwarded_per100k", f_num(r, mget(r->m, cc, "*", "forwarded_per100k"), 1)),
            rmark(r, cc, "*", "actioned_per100k", f_num(r, mget(r->m, cc, "*", "actioned_per100k"), 1)),
            rmark(r, cc, "*", "action_rate", f_pct(r, mget(r->m, cc, "*", "action_rate")))};
        vsp_doc_table_row(t, cells, i < N_COUNTRIES ? 0 : VSP_DOC_ROW_BOLD);
    }
    revision_legend(r);
    const char *dnote = vsp_designation_note(r->lang);
    if (dnote)
        note(r, dnote);
    figure(r, VSP_CHART_MAP, 400, summary, tno);
}

static void section_heatmap(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Categories by country"), "sec-heatmap", 0);
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "Reports received by category in each country. Differences reflect what people report and what each regulator's remit covers as much as what circulates on the platform."));
    figure(r, VSP_CHART_HEATMAP, 330, NULL, next_table_number(r));
    int idx[N_CATEGORIES];
    int n = vsp_wording_sorted_categories(r->m, "region", "received", NULL, idx);
    vsp_doc_table *t = table(r, 2 + N_COUNTRIES, tr(r, "report", "Reports received by category and country"));
    vsp_doc_table_size(t, 7.5);
    vsp_doc_table_col(t, 0, tr(r, "report", "Category"), 2.0, VSP_DOC_LEFT);
    for (int j = 0; j < N_COUNTRIES; j++)
        vsp_doc_table_col(t, 1 + (size_t)j, country_name(r, country_codes[j]), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 1 + N_COUNTRIES, country_name(r, "region"), 1.1, VSP_DOC_RIGHT);
    for (int k = 0; k <= n; k++) {
        const char *cat = k < n ? category_codes[idx[k]] : "*";
        const char *cells[2 + N_COUNTRIES];
        cells[0] = vsp_i18n_category(r->lang, cat);
        for (int j = 0; j <= N_COUNTRIES; j++)
            cells[1 + j] =
                f_int(r, mget(r->m, j < N_COUNTRIES ? country_codes[j] : "region", cat, "received"));
        vsp_doc_table_row(t, cells, k < n ? 0 : VSP_DOC_ROW_BOLD);
    }
}

static const char *countries_text(rep *r, const char *codes)
{
    /* "AL,RS" -> "Albania, Serbia" */
    vsp_buf b;
    vsp_buf_init(&b);
    const char *p = codes ? codes : "";
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char code[8];
        snprintf(code, sizeof code, "%.*s", (int)(len < 7 ? len : 7), p);
        if (b.len)
            vsp_buf_puts(&b, ", ");
        vsp_buf_puts(&b, country_name(r, code));
        p += len;
        if (*p == ',')
            p++;
    }
    return keep(r, b.data ? b.data : vsp_xstrdup(""));
}

static void section_crossborder(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Cross-border items"), "sec-crossborder", 0);
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "An item is cross-border when the same video or account was reported in two or more countries in the period. Items are matched on a canonical key built from the link; neither links nor keys are published."));
    size_t n_items = vsp_metrics_crossborder_count(r->m);
    const char *summary = fill1(r, trn(r, "report", "{n} item was reported in two or more countries.",
                                       "{n} items were reported in two or more countries.",
                                       cur(r, "*", "cross_border_items")),
                                "n", f_int(r, cur(r, "*", "cross_border_items")));
    figure(r, VSP_CHART_CROSSBORDER, 320, summary, next_table_number(r));

    /* by category, from the item list */
    vsp_doc_table *t = table2(r, tr(r, "report", "Cross-border items by category"),
                              tr(r, "report", "Category"), tr(r, "report", "Items"));
    for (int c = 0; c < N_CATEGORIES; c++) {
        double v = cur(r, category_codes[c], "cross_border_items");
        if (isfinite(v) && v > 0)
            row2(t, vsp_i18n_category(r->lang, category_codes[c]), f_int(r, v), 0);
    }
    row2(t, tr(r, "report", "All cross-border items"), f_int(r, cur(r, "*", "cross_border_items")),
         VSP_DOC_ROW_BOLD);

    t = table2(r, tr(r, "report", "Cross-border items by pair of countries"),
               tr(r, "report", "Countries"), tr(r, "report", "Items"));
    size_t n_pairs = vsp_metrics_pair_count(r->m);
    for (size_t k = 0; k < n_pairs; k++) {
        const vsp_crossborder_pair *p = vsp_metrics_pair(r->m, k);
        if (!p || strcmp(p->category, "*") != 0 || p->items <= 0)
            continue;
        const char *pair = keep(r, vsp_xasprintf("%s – %s", country_name(r, p->country_a),
                                                 country_name(r, p->country_b)));
        row2(t, pair, f_int(r, (double)p->items), 0);
    }
    if (vsp_doc_table_rows(t) == 0)
        row2(t, tr(r, "report", "No cross-border items in this period"), "0", 0);

    /* The list at the research export's grain (vsp_export_crossborder_groups):
     * by category and countries for the whole period, groups of at least k
     * items; with a day or a single item it would date the export's linked
     * rows to the day. */
    if (n_items > 0) {
        vsp_xb_group *g = NULL;
        size_t n_groups = vsp_export_crossborder_groups(r->m, VSP_EXPORT_K_DEFAULT, &g);
        t = table(r, 3, tr(r, "report", "List of cross-border items"));
        vsp_doc_table_col(t, 0, tr(r, "report", "Category"), 2.0, VSP_DOC_LEFT);
        vsp_doc_table_col(t, 1, tr(r, "report", "Countries"), 3.0, VSP_DOC_LEFT);
        vsp_doc_table_col(t, 2, tr(r, "report", "Items"), 1.0, VSP_DOC_RIGHT);
        for (size_t k = 0; k < n_groups; k++) {
            const char *cells[] = {
                g[k].category ? vsp_i18n_category(r->lang, g[k].category)
                              : tr(r, "report", "Other"),
                g[k].countries ? countries_text(r, g[k].countries) : "",
                f_int(r, (double)g[k].items)};
            vsp_doc_table_row(t, cells, 0);
        }
        free(g);
        char kk[16];
        snprintf(kk, sizeof kk, "%d", VSP_EXPORT_K_DEFAULT);
        note(r, fill1(r, tr(r, "report", "Counted by category and countries for the whole period, as in the research export; combinations of fewer than {k} items are counted together as Other."),
                      "k", kk));
    }
}

/* ---- data quality ------------------------------------------------------ */

static bool run_in_scope(const rep *r, const vsp_quality_run *q)
{
    return r->region || (q->country && strcmp(q->country, r->cc) == 0);
}

static void section_quality(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Data quality"), "sec-quality", 0);
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "Every row of every case-log export is accounted for: rows read = new + updated + unchanged + duplicates + rejected. Rejected rows are kept with their reason and line and returned to the regulator for correction; blank lines are counted apart. The table lists the exports that brought or last changed a case of this period, as they stood by the date the data are as of."));
    size_t nq = vsp_metrics_quality_count(r->m);
    vsp_doc_table *t = table(r, r->region ? 8 : 7, tr(r, "report", "Rows of each case-log export"));
    vsp_doc_table_size(t, 7.5);
    size_t c = 0;
    vsp_doc_table_col(t, c++, tr(r, "report", "File"), 3.2, VSP_DOC_LEFT);
    if (r->region)
        vsp_doc_table_col(t, c++, tr(r, "report", "Country"), 1.5, VSP_DOC_LEFT);
    vsp_doc_table_col(t, c++, tr(r, "report", "Rows read"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, c++, tr(r, "report", "New"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, c++, tr(r, "report", "Updated"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, c++, tr(r, "report", "Unchanged"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, c++, tr(r, "report", "Duplicates"), 1, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, c++, tr(r, "report", "Rejected"), 1, VSP_DOC_RIGHT);
    double sum[6] = {0};
    for (size_t k = 0; k < nq; k++) {
        const vsp_quality_run *q = vsp_metrics_quality(r->m, k);
        if (!run_in_scope(r, q))
            continue;
        const char *cells[8];
        size_t j = 0;
        cells[j++] = q->file_name;
        if (r->region)
            cells[j++] = country_name(r, q->country);
        int64_t v[6] = {q->rows_read, q->rows_new, q->rows_updated, q->rows_unchanged,
                        q->rows_duplicate, q->rows_rejected};
        for (int i = 0; i < 6; i++) {
            cells[j++] = f_int(r, (double)v[i]);
            sum[i] += (double)v[i];
        }
        vsp_doc_table_row(t, cells, 0);
    }
    {
        const char *cells[8];
        size_t j = 0;
        cells[j++] = tr(r, "report", "Total");
        if (r->region)
            cells[j++] = "";
        for (int i = 0; i < 6; i++)
            cells[j++] = f_int(r, sum[i]);
        vsp_doc_table_row(t, cells, VSP_DOC_ROW_BOLD);
    }

    /* rejected rows by reason (agg_quality_reason, stored by aggregate) */
    double by_reason[VSP_REJECT_COUNT + 1] = {0}; /* the last: codes this build does not know */
    vsp_error ignored;
    sqlite3_stmt *s = vsp_store_prepare(r->store, "report_reject_reasons", &ignored);
    if (s) {
        sqlite3_bind_text(s, 1, vsp_metrics_period(r->m)->label, -1, SQLITE_TRANSIENT);
        while (sqlite3_step(s) == SQLITE_ROW) {
            int64_t run = sqlite3_column_int64(s, 0);
            const char *reason = (const char *)sqlite3_column_text(s, 1);
            double rows = sqlite3_column_double(s, 2);
            bool in = false;
            for (size_t k = 0; k < nq; k++) {
                const vsp_quality_run *q = vsp_metrics_quality(r->m, k);
                if (q->run_id == run && run_in_scope(r, q))
                    in = true;
            }
            if (!in)
                continue;
            by_reason[vsp_reject_reason_from_code(reason)] += rows;
        }
    }
    sqlite3_finalize(s);
    t = table2(r, tr(r, "report", "Rejected rows by reason"), tr(r, "report", "Reason"),
               tr(r, "report", "Rows"));
    double total = 0;
    for (int i = 0; i <= VSP_REJECT_COUNT; i++) {
        if (by_reason[i] <= 0)
            continue;
        row2(t,
             i < VSP_REJECT_COUNT ? tr(r, "reject", vsp_reject_reason_words((vsp_reject_reason)i))
                                  : tr(r, "report", "Other"),
             f_int(r, by_reason[i]), 0);
        total += by_reason[i];
    }
    row2(t, tr(r, "report", "Total rejected"), f_int(r, total), VSP_DOC_ROW_BOLD);
}

/* ---- methodology, glossary, colophon ----------------------------------- */

static void def(rep *r, const char *term, const char *text)
{
    char *t = vsp_doc_escape(term), *x = vsp_doc_escape(text);
    char *m = vsp_xasprintf("<b>%s</b> — %s", t, x);
    vsp_doc_bullet(r->doc, m, true);
    free(t);
    free(x);
    free(m);
}

static void section_methodology(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Methodology and definitions"), "sec-method", 0);
    vsp_doc_heading(r->doc, 2, tr(r, "report", "Period and how current the data are"), "sec-method-period", 0);
    const char *names[] = {"asof", "freeze"};
    const char *values[] = {r->asof_text, r->freeze_text};
    vsp_doc_para(r->doc, VSP_DOC_BODY,
                 fill(r, tr(r, "report", "A case belongs to the period that holds the date on which it was received, in the regulator's time zone. The figures are as of {asof}: the date each regulator's export was taken where it was stated, otherwise the latest date of any event in its case log; a regional figure is as of the earliest regulator. Whatever was still open on that date counts as pending. A later export can update a case: its latest decision and outcome count. (The case logs were last imported on {freeze}; that is bookkeeping, not how current the data are.)"),
                      2, names, values));
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "A period is provisional while its outcomes are still arriving: some forwarded item has no final outcome yet, or the data are as of less than 30 days after the period's end. A change against the previous period compares it at the same lag: the previous period as its cases stood the same number of days after its end, rebuilt from the dates of their events (an event without a date counts as it stands)."));
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "One case is one reported item — a video or an account — identified by the regulator's own case number. Each regulator exports its case log in its own format; a profile per regulator maps it onto one common record, so that the six countries count the same things in the same way."));

    vsp_doc_heading(r->doc, 2, tr(r, "report", "Definitions"), "sec-method-defs", 0);
    def(r, tr(r, "report", "Received"), tr(r, "report", "every case received in the period."));
    def(r, tr(r, "report", "Assessed"), tr(r, "report", "cases with a regulator decision other than pending."));
    def(r, tr(r, "report", "Violations forwarded"), tr(r, "report", "cases the regulator found to violate the law and forwarded to the platform."));
    def(r, tr(r, "report", "Violation rate"), tr(r, "report", "forwarded ÷ assessed."));
    def(r, tr(r, "report", "Actioned"), tr(r, "report", "forwarded items the platform removed, blocked in the country or age-restricted, or whose account it suspended or banned."));
    def(r, tr(r, "report", "Outcome pending"), tr(r, "report", "forwarded items with no final platform outcome on the date the data are as of."));
    def(r, tr(r, "report", "Action rate"), tr(r, "report", "actioned ÷ (forwarded − outcome pending)."));
    def(r, tr(r, "report", "Per 100 000 inhabitants"), tr(r, "report", "a count × 100 000 ÷ the population of the latest census (table below)."));
    def(r, tr(r, "report", "Durations"), tr(r, "report", "hours between two times of a case, counted only where the date and time of both are known (a date alone gives no duration, so a regulator that records dates only has none) and the end is not before the start: received → decided; decided → forwarded; time to action, forwarded → outcome for actioned items (the EU template's “time to give effect”); time to platform response, forwarded → outcome for every final outcome; received → outcome."));
    def(r, tr(r, "report", "Durations in days"), tr(r, "report", "whole days between the calendar dates of both ends (in the regulator's time zone), wherever both have a date, even without a time of day: a regulator that records dates only has day figures, and the regional figure in days pools all regulators, while the one in hours pools only those that record times."));
    def(r, tr(r, "report", "Median and 90th percentile"), tr(r, "report", "quantiles interpolated linearly between the closest ranks (Excel PERCENTILE.INC, the default of pandas), so the median of an even count is the mean of the two middle values. They are always given with n, the number of durations behind them, and in hours."));
    def(r, tr(r, "report", "Shares within 24 hours, 48 hours and 7 days"), tr(r, "report", "the fraction of the items with a time to action whose time to action was at most 24, 48 or 168 hours."));
    def(r, tr(r, "report", "Trend"), tr(r, "report", "the same figures for the period and the seven periods of the same kind before it."));
    def(r, tr(r, "report", "Cross-border items"), tr(r, "report", "items (the same video or account) reported in two or more countries in the period."));
    def(r, tr(r, "report", "Data quality"), tr(r, "report", "per export file, rows read = new + updated + unchanged + duplicates + rejected, with the reasons for rejection."));
    def(r, tr(r, "report", "Change against the previous period"), tr(r, "report", "relative change (%) for counts and hours, difference in percentage points (pp) for rates."));

    vsp_doc_heading(r->doc, 2, tr(r, "report", "Population"), "sec-method-population", 0);
    vsp_doc_table *t = table(r, 3, tr(r, "report", "Population used for figures per 100 000 inhabitants"));
    vsp_doc_table_col(t, 0, tr(r, "report", "Country"), 2, VSP_DOC_LEFT);
    vsp_doc_table_col(t, 1, tr(r, "report", "Population"), 1.2, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 2, tr(r, "report", "Census"), 0.8, VSP_DOC_RIGHT);
    static const char *const census_year[N_COUNTRIES] = {"2023", "2013", "2023", "2021", "2022",
                                                         "2024"};
    for (int i = 0; i < N_COUNTRIES; i++) {
        if (!r->region && strcmp(country_codes[i], r->cc) != 0)
            continue;
        const char *cells[] = {country_name(r, country_codes[i]),
                               f_int(r, mget(r->m, country_codes[i], "*", "population")),
                               census_year[i]};
        vsp_doc_table_row(t, cells, 0);
    }
    note(r, tr(r, "report", "Sources: the national statistical offices' censuses — INSTAT (Albania, 2023), the Agency for Statistics of Bosnia and Herzegovina (2013), MONSTAT (Montenegro, 2023), the State Statistical Office (North Macedonia, 2021), the Statistical Office of the Republic of Serbia (2022) and the Kosovo Agency of Statistics (2024)."));

    vsp_doc_heading(r->doc, 2, tr(r, "report", "How the figures are made"), "sec-method-how", 0);
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "The figures are computed once, by vspreport aggregate, from the case records in the warehouse; this report, the workbooks, the charts and vspreport stats all read those same stored figures. Rates are shown with one decimal and hours with one decimal; the unrounded figures are in the workbook. No personal data — names, contact details, links, account handles or notes — appears in this report."));
}

static void section_glossary(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "Glossary"), "sec-glossary", 0);
    def(r, tr(r, "report", "Video-sharing platform (VSP)"), tr(r, "report", "an online service whose users upload and share videos, such as TikTok."));
    def(r, tr(r, "report", "Regulator"), tr(r, "report", "the national authority for audiovisual media that receives the reports, assesses them and forwards violations to the platform."));
    def(r, tr(r, "report", "Report"), tr(r, "report", "a complaint from a member of the public, or a case the regulator opened itself, about one video or one account."));
    def(r, tr(r, "report", "Forwarded"), tr(r, "report", "sent by the regulator to the platform after finding that the content violates national law."));
    def(r, vsp_i18n_outcome(r->lang, "geo_blocked"), tr(r, "report", "the content stays online elsewhere but cannot be seen from the country."));
    def(r, vsp_i18n_outcome(r->lang, "age_restricted"), tr(r, "report", "the content can no longer be seen by minors."));
    def(r, vsp_i18n_outcome(r->lang, "declined"), tr(r, "report", "the platform decided not to act on the forwarded item."));
    def(r, vsp_i18n_outcome(r->lang, "already_unavailable"), tr(r, "report", "the content had been removed before the platform assessed it."));
    def(r, tr(r, "report", "Data as of"), tr(r, "report", "the date the figures describe: the date of each regulator's export, or the latest event in its case log; later changes appear in the next edition."));
    def(r, tr(r, "report", "Digital Services Act (DSA)"), tr(r, "report", "the EU regulation (EU) 2022/2065 whose transparency database classifies platforms' moderation decisions by the categories listed below."));
    def(r, tr(r, "report", "Percentile"), tr(r, "report", "the value below which a given share of the durations lie: half of them for the median, nine in ten for the 90th percentile."));
    vsp_doc_table *t = table(r, 2, tr(r, "report", "Categories and the DSA statement categories they correspond to"));
    vsp_doc_table_col(t, 0, tr(r, "report", "Category"), 1.3, VSP_DOC_LEFT);
    vsp_doc_table_col(t, 1, tr(r, "report", "DSA category"), 2, VSP_DOC_LEFT);
    for (int i = 0; i < N_CATEGORIES; i++) {
        const char *cells[] = {vsp_i18n_category(r->lang, category_codes[i]),
                               keep(r, vsp_xasprintf("STATEMENT_CATEGORY_%s", dsa_categories[i]))};
        vsp_doc_table_row(t, cells, 0);
    }
}

/* ---- revisions ------------------------------------------------------- */

/* The revisions note (only when this version revised a figure): every
 * changed figure of the edition's scope (the region's edition: the
 * region's, and the countries' over all categories), laid out so that a
 * reader finds what changed: a table per area and reason ("Albania:
 * later outcomes and events from the export of 5 Oct 2026"), a row per
 * figure with its change over all categories and, after it, only the
 * categories whose figure changed, old → new.  revisions.csv, which the
 * note names, lists them one a row with their codes. */
static void section_revisions(rep *r)
{
    if (!r->rel || r->rel->n_revisions == 0)
        return;
    vsp_doc_heading(r->doc, 1, tr(r, "release", "Revisions"), "sec-revisions", 0);
    char buf[1024];
    vsp_doc_para(r->doc, VSP_DOC_BODY,
                 keep(r, vsp_xstrdup(vsp_release_revisions_intro(r->rel, r->lang, buf,
                                                                 sizeof buf))));
    if (r->region)
        vsp_doc_para(r->doc, VSP_DOC_BODY,
                     keep(r, vsp_xstrdup(vsp_release_regional_scope(r->lang, buf, sizeof buf))));
    size_t n = 0;
    const vsp_revision **list = vsp_release_revisions_ordered(r->rel, r->cc, &n);
    if (n == 0) {
        vsp_doc_para(r->doc, VSP_DOC_BODY,
                     fill1(r, tr(r, "release", "No figure of {scope} changed in this version."),
                           "scope", scope_name(r)));
        return;
    }
    vsp_buf all, cats;
    vsp_buf_init(&all);
    vsp_buf_init(&cats);
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && vsp_release_same_why(list[i], list[end]))
            end++;
        char why[512];
        const char *names[] = {"area", "why"};
        const char *values[] = {country_name(r, list[i]->area),
                                vsp_release_reason_text(list[i], r->lang, why, sizeof why)};
        /* TRANSLATORS: the title of a table of the revisions note: {area} a
         * country or the region, {why} why its figures changed, e.g. "later
         * outcomes and events from the export of 5 Oct 2026". */
        /* the column of categories only where a category's figure changed
         * (the regional edition lists the countries' over all categories) */
        size_t cols = 2;
        for (size_t k = i; k < end; k++)
            if (vsp_release_by_category(r->rel, list[k]))
                cols = 3;
        vsp_doc_table *t = table(r, cols, fill(r, tr(r, "release", "Revised figures, {area}: {why}"),
                                               2, names, values));
        vsp_doc_table_size(t, 7.5);
        vsp_doc_table_col(t, 0, tr(r, "release", "Figure"), cols == 3 ? 1.7 : 2.4, VSP_DOC_LEFT);
        vsp_doc_table_col(t, 1, vsp_i18n_category(r->lang, "*"), cols == 3 ? 1.1 : 1.2,
                          VSP_DOC_RIGHT);
        if (cols == 3)
            /* TRANSLATORS: the head of a column listing "category: old → new"
             * for the categories whose figure changed, and only those. */
            vsp_doc_table_col(t, 2, tr(r, "release", "Categories whose figure changed"), 3.2,
                              VSP_DOC_LEFT);
        for (size_t k = i; k < end;) {
            size_t m = k;
            while (m < end && strcmp(list[m]->measure, list[k]->measure) == 0)
                m++;
            vsp_release_row_text(r->rel, list + k, m - k, r->lang, &all, &cats);
            const char *cells[] = {vsp_release_measure_label(list[k]->measure, r->lang),
                                   all.len ? keep(r, vsp_xstrdup(all.data)) : NULL,
                                   cats.len ? keep(r, vsp_xstrdup(cats.data)) : NULL};
            vsp_doc_table_row(t, cells, 0);
            k = m;
        }
        i = end;
    }
    vsp_buf_fini(&all);
    vsp_buf_fini(&cats);
    free(list);
    const char *fnames[] = {"codebook", "revisions"};
    const char *fvalues[] = {"figures-codebook.csv", "revisions.csv"};
    /* TRANSLATORS: under the revisions note; {codebook} and {revisions} are file names. */
    note(r, fill(r, tr(r, "release", "Each figure is defined in {codebook}. {revisions} lists every revised figure of every edition, one a row, with its code, its old and new value and why."),
                 2, fnames, fvalues));
}

static void section_colophon(rep *r)
{
    vsp_doc_heading(r->doc, 1, tr(r, "report", "About this report"), "sec-colophon", 0);
    const char *names[] = {"version", "date"};
    const char *values[] = {VSP_VERSION, r->now_text};
    vsp_doc_para(r->doc, VSP_DOC_BODY,
                 fill(r, tr(r, "report", "Produced on {date} by vspreport {version}, an open-source tool that turns the case logs of video-sharing-platform regulators into transparency reports. Charts are drawn as vectors in the colour-blind-safe palette of Okabe and Ito; the text is set in Noto Sans (SIL Open Font License); map outlines come from Natural Earth (public domain)."),
                      2, names, values));
    if (r->rel) {
        const char *rnames[] = {"release", "figures", "dir"};
        const char *rvalues[] = {r->rel_text, "figures.csv", "releases/"};
        /* TRANSLATORS: {release} the release line ("Release 2026Q3-v2, 6 Dec
         * 2026 — final"); {figures} a file name, {dir} a folder name. */
        vsp_doc_para(r->doc, VSP_DOC_BODY,
                     fill(r, tr(r, "release", "{release}. Each release keeps its figures in {figures}; earlier versions stay available unchanged under {dir}."),
                          3, rnames, rvalues));
    }
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "Accessibility: this PDF declares its language and title, identifies itself as PDF/UA, and is tagged — headings, paragraphs, tables with header cells, and figures with alternative text — with running headers and page numbers marked as artifacts; the data of every chart is also given as a table."));
    vsp_doc_heading(r->doc, 2, tr(r, "report", "Input files"), "sec-colophon-inputs", 0);
    vsp_doc_para(r->doc, VSP_DOC_BODY, tr(r, "report", "Every case-log export whose rows this report's figures use — for this period and for the seven before it in the trend tables — with the rows read from it, the cases of those periods it brought or last changed, and the SHA-256 digest of the file as it was ingested, so that anyone holding the files can check that they are the ones used."));
    vsp_doc_table *t = table(r, 4, tr(r, "report", "Input files and their SHA-256 digests"));
    vsp_doc_table_size(t, 7);
    vsp_doc_table_col(t, 0, tr(r, "report", "File"), 0.95, VSP_DOC_LEFT);
    vsp_doc_table_col(t, 1, tr(r, "report", "Rows read"), 0.42, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 2, tr(r, "report", "Cases used"), 0.42, VSP_DOC_RIGHT);
    vsp_doc_table_col(t, 3, tr(r, "report", "SHA-256 digest"), 2.25, VSP_DOC_LEFT);
    /* the runs behind every period the report shows (the trend's eight),
     * each once, in ingest order, with the cases of all those periods */
    typedef struct in_file {
        int64_t run_id, rows, cases;
        const vsp_quality_run *q;
    } in_file;
    in_file *files = NULL;
    size_t nf = 0, capf = 0;
    for (int i = 0; i < N_TREND; i++) {
        const vsp_metrics *m = r->trend[i];
        for (size_t k = 0; m && k < vsp_metrics_quality_count(m); k++) {
            const vsp_quality_run *q = vsp_metrics_quality(m, k);
            if (!run_in_scope(r, q))
                continue;
            size_t f = 0;
            while (f < nf && files[f].run_id != q->run_id)
                f++;
            if (f == nf) {
                if (nf == capf) {
                    capf = capf ? capf * 2 : 32;
                    files = vsp_xrealloc(files, capf * sizeof *files);
                }
                files[nf++] = (in_file){q->run_id, q->rows_read, 0, q};
            }
            files[f].cases += q->cases;
        }
    }
    for (size_t i = 1; i < nf; i++) /* by run, as ingested */
        for (size_t j = i; j > 0 && files[j - 1].run_id > files[j].run_id; j--) {
            in_file x = files[j];
            files[j] = files[j - 1];
            files[j - 1] = x;
        }
    for (size_t f = 0; f < nf; f++) {
        const char *cells[] = {files[f].q->file_name, f_int(r, (double)files[f].rows),
                               f_int(r, (double)files[f].cases), files[f].q->sha256};
        vsp_doc_table_row(t, cells, 0);
    }
    free(files);
}

/* ---- the logo ----------------------------------------------------------- */

/* What the first bytes of a file say it is, for a message; NULL if PNG or
 * unknown. */
static const char *image_kind(const unsigned char *b, size_t n)
{
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return "a JPEG image";
    if (n >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
        return "a GIF image";
    if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
        return "a WebP image";
    if (n >= 4 && memcmp(b, "%PDF", 4) == 0)
        return "a PDF file";
    if (n >= 2 && b[0] == 'B' && b[1] == 'M')
        return "a BMP image";
    if (n >= 4 && (memcmp(b, "II*", 4) == 0 || memcmp(b, "MM\0*", 4) == 0))
        return "a TIFF image";
    size_t k = 0;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        k = 3;
    while (k < n && (b[k] == ' ' || b[k] == '\t' || b[k] == '\r' || b[k] == '\n'))
        k++;
    if (k < n && b[k] == '<')
        return "an SVG or XML file";
    return NULL;
}

vsp_status vsp_report_logo_load(const char *path, cairo_surface_t **out, vsp_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return vsp_error_set(err, VSP_ENOINPUT, "%s: cannot open the logo: %s", path,
                             strerror(errno));
    unsigned char b[32];
    size_t n = fread(b, 1, sizeof b, f);
    bool read_err = ferror(f) != 0;
    long size = -1;
    if (!read_err && fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    fclose(f);
    if (read_err || size < 0)
        return vsp_error_set(err, VSP_ENOINPUT, "%s: cannot read the logo", path);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (n < 8 || memcmp(b, sig, 8) != 0) {
        const char *kind = image_kind(b, n);
        return vsp_error_set(err, VSP_EDATA,
                             "%s: the logo must be a PNG file, but this is %s; convert it to "
                             "PNG (at most %dx%d pixels)",
                             path, kind ? kind : n == 0 ? "an empty file" : "not a PNG file",
                             VSP_LOGO_MAX_PX, VSP_LOGO_MAX_PX);
    }
    if (size > VSP_LOGO_MAX_BYTES)
        return vsp_error_set(err, VSP_EDATA,
                             "%s: the logo is %.1f MB; at most %d MB is accepted: save it "
                             "smaller (a cover logo needs at most about 600x240 pixels)",
                             path, size / 1048576.0, VSP_LOGO_MAX_BYTES / 1048576);
    if (n < 24 || memcmp(b + 12, "IHDR", 4) != 0)
        return vsp_error_set(err, VSP_EDATA, "%s: the logo is a damaged PNG file (no IHDR "
                             "chunk first)", path);
    unsigned long w = (unsigned long)b[16] << 24 | (unsigned long)b[17] << 16 |
                      (unsigned long)b[18] << 8 | b[19];
    unsigned long h = (unsigned long)b[20] << 24 | (unsigned long)b[21] << 16 |
                      (unsigned long)b[22] << 8 | b[23];
    if (w == 0 || h == 0)
        return vsp_error_set(err, VSP_EDATA, "%s: the logo is a damaged PNG file (%lux%lu "
                             "pixels)", path, w, h);
    if (w > VSP_LOGO_MAX_PX || h > VSP_LOGO_MAX_PX)
        return vsp_error_set(err, VSP_EDATA,
                             "%s: the logo is %lux%lu pixels; at most %dx%d is accepted: scale "
                             "it down (a cover logo needs at most about 600x240 pixels)",
                             path, w, h, VSP_LOGO_MAX_PX, VSP_LOGO_MAX_PX);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    cairo_status_t cs = cairo_surface_status(s);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return vsp_error_set(err, VSP_EDATA, "%s: the logo is a damaged PNG file (%s)", path,
                             cs == CAIRO_STATUS_NO_MEMORY ? "it cannot be decoded"
                                                          : cairo_status_to_string(cs));
    }
    *out = s;
    return VSP_OK;
}

/* ---- the whole report -------------------------------------------------- */

static void rep_fini(rep *r)
{
    for (int i = 0; i < VSP_CHART_COUNT; i++)
        vsp_chart_data_free(r->charts[i]);
    vsp_chart_source_close(r->src);
    for (int i = 0; i < N_TREND - 1; i++)
        vsp_metrics_free(r->trend[i]);
    vsp_metrics_free(r->m);
    if (r->logo)
        cairo_surface_destroy(r->logo);
    vsp_foreword_free(r->foreword);
    vsp_doc_free(r->doc);
    vsp_wording_fini(&r->words);
}

vsp_status vsp_report_render(vsp_store *store, const vsp_report_opts *opts, const char *path,
                             vsp_report_result *out, vsp_error *err)
{
    vsp_status st = VSP_EUSAGE;
    rep r;
    memset(&r, 0, sizeof r);
    r.store = store;
    r.lang = vsp_i18n_lang_canon(opts->lang);
    if (!r.lang) {
        vsp_error_set(err, VSP_EUSAGE,
                      "unknown language '%s'; use one of en sq sr sr-Latn mk bs cnr",
                      opts->lang ? opts->lang : "");
        return st;
    }
    r.region = opts->country && strcmp(opts->country, "region") == 0;
    r.cc = r.region ? "region" : NULL;
    for (int i = 0; !r.region && opts->country && i < N_COUNTRIES; i++)
        if (vsp_ascii_iequal(opts->country, country_codes[i]))
            r.cc = country_codes[i];
    if (!r.cc) {
        vsp_error_set(err, VSP_EUSAGE,
                      "unknown country '%s'; use one of AL BA ME MK RS XK, or region",
                      opts->country ? opts->country : "");
        return st;
    }
    st = vsp_i18n_load(r.lang, err);
    if (st != VSP_OK)
        return st;
    r.m = vsp_metrics_load(store, opts->period, err);
    if (!r.m)
        return err ? err->status : VSP_EDATA;
    st = VSP_ESOFTWARE;

    /* the trend: the period and the seven before it */
    const vsp_period *p = vsp_metrics_period(r.m);
    for (int i = 0; i < N_TREND; i++) {
        vsp_period_shift(p, i - (N_TREND - 1), &r.trend_p[i]);
        if (i == N_TREND - 1) {
            r.trend[i] = r.m;
        } else if (p->kind != VSP_PERIOD_RANGE) {
            vsp_error ignored;
            r.trend[i] = vsp_metrics_load(store, r.trend_p[i].label, &ignored);
        }
    }
    vsp_i18n_period(r.lang, p->label, r.period_text, sizeof r.period_text);
    vsp_i18n_period(r.lang, r.trend_p[N_TREND - 2].label, r.prev_text, sizeof r.prev_text);
    const char *freeze = vsp_metrics_data_freeze(r.m);
    if (freeze && freeze[0]) {
        char date[64];
        vsp_i18n_date(r.lang, freeze, date, sizeof date);
        snprintf(r.freeze_text, sizeof r.freeze_text, "%s, %.5s UTC", date,
                 strlen(freeze) >= 16 ? freeze + 11 : "00:00");
    } else {
        snprintf(r.freeze_text, sizeof r.freeze_text, "%s", "\xe2\x80\x93");
    }
    /* how current the figures are: the date they are as of (DESIGN §5) */
    r.provisional = vsp_metrics_provisional(r.m, r.cc);
    r.lag_days = INT_MIN;
    {
        int32_t as_of;
        double lag;
        if (vsp_metrics_get(r.m, r.cc, "*", "lag_days", &lag))
            r.lag_days = (int)lag;
        if (vsp_metrics_as_of(r.m, r.cc, &as_of)) {
            char iso[11], date[64], who[64];
            vsp_day_format(as_of, iso);
            vsp_i18n_date(r.lang, iso, date, sizeof date);
            if (r.region && vsp_metrics_as_of_from(r.m, who, sizeof who) > 0) {
                char regs[128];
                const char *names[] = {"date", "who"};
                const char *values[] = {date,
                                        vsp_i18n_regulator_list(r.lang, who, regs, sizeof regs)};
                vsp_i18n_subst(r.asof_text, sizeof r.asof_text,
                               tr(&r, "report", "{date} (the earliest regulator: {who})"), 2,
                               names, values);
            } else {
                snprintf(r.asof_text, sizeof r.asof_text, "%s", date);
            }
        } else {
            snprintf(r.asof_text, sizeof r.asof_text, "%s", "\xe2\x80\x93");
        }
    }
    if ((st = vsp_source_time_iso(r.now_iso, err)) != VSP_OK)
        goto out;
    vsp_i18n_date(r.lang, r.now_iso, r.now_text, sizeof r.now_text);
    r.rel = opts->release;
    vsp_release_format(r.rel, r.lang, r.rel_text, sizeof r.rel_text);

    if (opts->logo_png && opts->logo_png[0]) {
        st = vsp_report_logo_load(opts->logo_png, &r.logo, err);
        if (st != VSP_OK)
            goto out;
        st = VSP_ESOFTWARE;
    }

    if (opts->foreword && opts->foreword[0]) {
        r.foreword = vsp_foreword_load(opts->foreword, err);
        if (!r.foreword) {
            st = err ? err->status : VSP_EDATA;
            goto out;
        }
    }

    /* chart data */
    r.src = vsp_chart_source_open(store, p->label, err);
    if (!r.src) {
        st = err ? err->status : VSP_EDATA;
        goto out;
    }
    for (int id = 0; id < VSP_CHART_COUNT; id++) {
        if (!vsp_chart_applies((vsp_chart_id)id, r.cc))
            continue;
        r.charts[id] = vsp_chart_data_load(r.src, (vsp_chart_id)id, r.cc, err);
        if (!r.charts[id]) {
            st = err ? err->status : VSP_EDATA;
            goto out;
        }
    }

    /* the document */
    const char *scope = scope_name(&r);
    const char *names[] = {"scope", "period", "regulator"};
    const char *values[] = {scope, r.period_text,
                            r.region ? all_regulators_short(&r) : regulator_short(&r, r.cc)};
    const char *title =
        r.region ? fill(&r, tr(&r, "report", "Western Balkans regional transparency report, {period}"),
                        3, names, values)
                 : fill(&r, tr(&r, "report", "Transparency report of {regulator}, {scope}, {period}"),
                        3, names, values);
    vsp_doc_info info;
    memset(&info, 0, sizeof info);
    info.lang = r.lang;
    info.pdf_lang = vsp_report_pdf_lang(r.lang);
    info.title = title;
    info.header_right = r.period_text;
    if (r.rel) {
        /* every page says which version of the figures it shows */
        char id[48];
        info.header_right =
            keep(&r, vsp_xasprintf("%s · %s", r.period_text, vsp_release_id(r.rel, id, sizeof id)));
    }
    info.author = r.region ? fill(&r, tr(&r, "report", "Regulators of the Western Balkans: {regulator}"),
                                  3, names, values)
                           : regulator_full(&r, r.cc);
    info.subject = tr(&r, "report", "Reports about illegal and harmful content on video-sharing platforms: regulator decisions and platform outcomes");
    info.keywords = keep(&r, vsp_xasprintf("%s; %s; %s; TikTok; DSA; %s", tr(&r, "report", "transparency report"),
                                           tr(&r, "report", "video-sharing platforms"), scope, p->label));
    info.creator = keep(&r, vsp_xasprintf("vspreport %s", VSP_VERSION));
    info.create_date = r.now_iso;
    /* TRANSLATORS: the page footer: {n} this page, {total} pages. */
    info.page_label = tr(&r, "report", "Page {n} of {total}");
    info.continued = tr(&r, "report", "(continued)");
    info.number_headings = true;
    r.doc = vsp_doc_new(opts->paper, &info);

    tiles_ctx tiles;
    memset(&tiles, 0, sizeof tiles);
    vsp_doc_custom_page(r.doc, draw_cover, &r);
    vsp_doc_heading(r.doc, 1, tr(&r, "report", "Contents"), "sec-contents",
                    VSP_DOC_NEW_PAGE | VSP_DOC_UNNUMBERED | VSP_DOC_NOT_IN_TOC);
    vsp_doc_toc(r.doc);
    if (r.foreword)
        section_foreword(&r);
    section_findings(&r);
    section_key(&r, &tiles);
    section_funnel(&r);
    section_categories(&r);
    section_outcomes(&r);
    section_timeliness(&r);
    section_trend(&r);
    section_piracy(&r);
    if (r.region) {
        section_countries(&r);
        section_heatmap(&r);
        section_crossborder(&r);
    }
    section_quality(&r);
    section_methodology(&r);
    section_glossary(&r);
    /* an annex: the list may be long (a later export revises many figures) */
    section_revisions(&r);
    section_colophon(&r);

    vsp_doc_result res;
    st = vsp_doc_write(r.doc, path, &res, err);
    if (st == VSP_OK && out) {
        out->pages = res.pages;
        out->bytes = res.bytes;
        out->figures = r.n_fig;
        out->tables = r.n_tab;
    }
out:
    rep_fini(&r);
    return st;
}
