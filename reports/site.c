/* site.c — the web edition (see site.h): what goes on which page, in
 * which words, as HTML.  Figures come from pipeline/metrics.h, charts from
 * charts/ (vsp_chart_svg), words from the catalogues. */
#include "reports/site.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "charts/chart.h"
#include "charts/layout.h"
#include "charts/surface.h"
#include "pipeline/outfile.h"
#include "pipeline/i18n.h"
#include "pipeline/release_text.h"
#include "pipeline/metrics.h"
#include "pipeline/period.h"
#include "pipeline/store.h"
#include "pipeline/util.h"
#include "reports/wording.h"

#define N_TREND 8
/* Each chart is laid out twice: in a 1280 x 800 box with type a little
 * under slide size (at the page's 60 rem column the labels read at about
 * 14 px), and for phones in a 600 x 800 box with type in proportion larger
 * (at 375 px about 10 px, where the wide one would give 5); the style
 * sheet shows one of them. */
#define CHART_W 1280.0
#define CHART_H 800.0
#define CHART_SCALE 0.85
#define CHART_NARROW_W 600.0
#define CHART_NARROW_H 800.0
#define CHART_NARROW_SCALE 0.7

static const char *const country_codes[] = {"AL", "BA", "ME", "MK", "RS", "XK"};
static const char *const country_files[] = {"al", "ba", "me", "mk", "rs", "xk"};
#define N_COUNTRIES 6
#define N_SCOPES (N_COUNTRIES + 1) /* the six, then the region */

/* the codes of DESIGN.md §4 (pipeline/taxonomy.h) */
static const char *const *const category_codes = vsp_categories;
#define N_CATEGORIES VSP_N_CATEGORIES
static const char *const *const decision_codes = vsp_decisions;
#define N_DECISIONS VSP_N_DECISIONS
static const char *const *const outcome_codes = vsp_outcomes;
#define N_OUTCOMES VSP_N_OUTCOMES

/* Each language in its own name, as a reader looks for it in a chooser;
 * the same in every language of the site, so not in the catalogues. */
static const char *const endonyms[VSP_I18N_N_LANGS] = {
    "English", "Shqip", "Српски (ћирилица)", "Srpski (latinica)", "Македонски", "Bosanski",
    "Crnogorski",
};

static const char *const *const lang_tags = vsp_i18n_lang_tags;

const char *vsp_site_lang_tag(const char *lang)
{
    return vsp_i18n_lang_tag(lang);
}

/* ---- state ------------------------------------------------------------ */

typedef struct site {
    vsp_store *store;
    const vsp_site_opts *opt;
    char *root; /* the folder that holds DIR: where the downloads are */
    vsp_metrics *m;
    vsp_metrics *trend[N_TREND];
    vsp_period trend_p[N_TREND];
    vsp_chart_source *src;
    vsp_chart_data *charts[N_SCOPES][VSP_CHART_COUNT];
    char now_iso[32];
    vsp_site_result res;
    /* the page being written */
    const char *lang; /* canonical CLI spelling */
    const char *tag;  /* BCP 47 */
    const char *cc;   /* "AL".. or "region" */
    int scope;        /* index into the country arrays, N_COUNTRIES for the region */
    bool region;
    vsp_buf *b;
    int n_tab, n_fig;
    char period_text[80], prev_text[80], freeze_text[80], now_text[80];
    char asof_text[160]; /* DESIGN §5: the date the figures are as of (region: whose) */
    const vsp_release *rel; /* borrowed; NULL: made outside a release */
    char rel_text[256];     /* the release line in the page's language */
    bool marked;            /* a figure of the current table carries (R) */
    vsp_wording words;      /* the page's strings, until it is written */
} site;

static const char *tr(const site *s, const char *ctx, const char *msgid)
{
    return vsp_i18n_pget(s->lang, ctx, msgid);
}

/* A sentence with a count in it, in the plural form the language wants
 * for count (tr would give the English of every other language). */
static const char *trn(const site *s, const char *ctx, const char *msgid, const char *plural,
                       double count)
{
    return vsp_wording_plural(s->lang, ctx, msgid, plural, count);
}

static const char *keep(site *s, char *p)
{
    return vsp_wording_keep(&s->words, p);
}

static void arena_clear(site *s)
{
    vsp_wording_clear(&s->words);
}

/* templ with {name} placeholders filled (reports/wording.h). */
static const char *fill(site *s, const char *templ, size_t n, const char *const names[],
                        const char *const values[])
{
    return vsp_wording_fill(&s->words, templ, n, names, values);
}

static const char *fill1(site *s, const char *templ, const char *name, const char *value)
{
    return vsp_wording_fill1(&s->words, templ, name, value);
}

#define mget vsp_wording_metric

static double cur(const site *s, const char *cat, const char *metric)
{
    return mget(s->m, s->cc, cat, metric);
}

static const char *f_int(site *s, double v)
{
    return vsp_wording_int(&s->words, s->lang, v);
}

static const char *f_pct(site *s, double v)
{
    return vsp_wording_pct(&s->words, s->lang, v);
}

static const char *f_num(site *s, double v, int decimals)
{
    return vsp_wording_num(&s->words, s->lang, v, decimals);
}

static const char *f_hours_1(site *s, double v)
{
    return vsp_wording_hours(&s->words, s->lang, v);
}


/* As in the PDF report: relative change for counts and hours, percentage
 * points for rates, "–" when it cannot be computed. */
static const char *f_change(site *s, double now, double prev, vsp_change_kind kind)
{
    return vsp_wording_change(&s->words, s->lang, now, prev, kind);
}

static const char *country_name(const site *s, const char *cc)
{
    return vsp_i18n_country(s->lang, cc);
}

static const char *scope_name(const site *s)
{
    return country_name(s, s->cc);
}

/* ---- HTML ------------------------------------------------------------- */

static void put(site *s, const char *text)
{
    vsp_buf_puts(s->b, text);
}

/* text with & < > " escaped; control characters other than tab and
 * newline dropped (they have no place in HTML) */
static void esc(site *s, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        switch (*p) {
        case '&': put(s, "&amp;"); break;
        case '<': put(s, "&lt;"); break;
        case '>': put(s, "&gt;"); break;
        case '"': put(s, "&quot;"); break;
        default:
            if ((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t')
                vsp_buf_putc(s->b, *p);
        }
    }
}

/* <tag>text</tag>, text escaped */
static void elem(site *s, const char *open, const char *text, const char *close)
{
    put(s, open);
    esc(s, text);
    put(s, close);
}

static void para(site *s, const char *text)
{
    elem(s, "<p>", text, "</p>\n");
}

static void h2(site *s, const char *id, const char *text)
{
    vsp_buf_printf(s->b, "<h2 id=\"%s\">", id);
    esc(s, text);
    put(s, "</h2>\n");
}

static void h3(site *s, const char *id, const char *text)
{
    vsp_buf_printf(s->b, "<h3 id=\"%s\">", id);
    esc(s, text);
    put(s, "</h3>\n");
}

/* ---- tables ----------------------------------------------------------- */

/* A table with its caption ("Table n. title"), column headers (scope
 * col), a row header per row (scope row); wrapped in a region that
 * scrolls on its own on a narrow screen and can be scrolled from the
 * keyboard. */
/* A table with its numbered caption and column heads; align says each
 * column's alignment ('l' left, 'r' right; NULL: the row heads left,
 * the figures right). */
static void table_begin_aligned(site *s, const char *title, size_t n_cols,
                                const char *const heads[], const char *align)
{
    char n[16];
    snprintf(n, sizeof n, "%d", ++s->n_tab);
    const char *names[] = {"n", "title"};
    const char *values[] = {n, title};
    const char *caption = fill(s, tr(s, "report", "Table {n}. {title}"), 2, names, values);
    vsp_buf_printf(s->b,
                   "<div class=\"tw\" role=\"region\" aria-labelledby=\"t%d\" tabindex=\"0\">"
                   "<table>\n<caption id=\"t%d\">",
                   s->n_tab, s->n_tab);
    esc(s, caption);
    put(s, "</caption>\n<thead><tr>");
    for (size_t i = 0; i < n_cols; i++) {
        bool right = align ? align[i] == 'r' : i > 0;
        elem(s, right ? "<th scope=\"col\" class=\"n\">" : "<th scope=\"col\">", heads[i],
             "</th>");
    }
    put(s, "</tr></thead>\n<tbody>\n");
}

static void table_begin(site *s, const char *title, size_t n_cols, const char *const heads[])
{
    table_begin_aligned(s, title, n_cols, heads, NULL);
}

/* A figure's text, escaped; a revised figure's mark (rmark's " (R)" at
 * its end) as an abbreviation that says what it means. */
static void figure_text(site *s, const char *text)
{
    size_t n = strlen(text), m = strlen(" " VSP_RELEASE_MARK);
    if (!s->rel || n < m || strcmp(text + n - m, " " VSP_RELEASE_MARK) != 0) {
        esc(s, text);
        return;
    }
    char *value = vsp_xstrndup(text, n - m);
    esc(s, value);
    free(value);
    put(s, " <abbr class=\"rev\" title=\"");
    esc(s, tr(s, "release", "revised figure"));
    put(s, "\">" VSP_RELEASE_MARK "</abbr>");
}

static void table_row(site *s, size_t n_cols, const char *const cells[], bool total)
{
    put(s, total ? "<tr class=\"total\">" : "<tr>");
    elem(s, "<th scope=\"row\">", cells[0], "</th>");
    for (size_t i = 1; i < n_cols; i++) {
        put(s, "<td>");
        figure_text(s, cells[i]);
        put(s, "</td>");
    }
    put(s, "</tr>\n");
}

static void table_end(site *s)
{
    put(s, "</tbody></table></div>\n");
    /* under a table that marked a revised figure: what (R) means */
    if (s->marked) {
        s->marked = false;
        char buf[512];
        elem(s, "<p class=\"note\">", vsp_release_legend(s->rel, s->lang, buf, sizeof buf),
             "</p>\n");
    }
}

/* text, with " (R)" when the release revised the figure (metric of cc
 * and cat in the page's period). */
static const char *rmark_in(site *s, const char *period, const char *cc, const char *cat,
                            const char *metric, const char *text)
{
    if (!vsp_release_revised_metric(s->rel, period, cc, cat, metric))
        return text;
    s->marked = true;
    return keep(s, vsp_xasprintf("%s " VSP_RELEASE_MARK, text));
}

static const char *rmark(site *s, const char *cc, const char *cat, const char *metric,
                         const char *text)
{
    return rmark_in(s, vsp_metrics_period(s->m)->label, cc, cat, metric, text);
}

static const char *rcur(site *s, const char *cat, const char *metric, const char *text)
{
    return rmark(s, s->cc, cat, metric, text);
}

static void row2(site *s, const char *a, const char *b, bool total)
{
    const char *cells[] = {a, b};
    table_row(s, 2, cells, total);
}

static const char *next_table_number(site *s)
{
    return keep(s, vsp_xasprintf("%d", s->n_tab + 1));
}

/* ---- charts ----------------------------------------------------------- */

/* Copy the chart's SVG into the page: without the XML declaration, as an
 * image named by its <title> (the text alternative), with its ids (clip
 * paths) prefixed so that several charts can share the page. */
static vsp_status inline_svg(site *s, const char *svg, const char *id, const char *cls,
                             const char *alt, vsp_error *err)
{
    const char *p = strstr(svg, "<svg ");
    const char *gt = p ? strchr(p, '>') : NULL;
    const char *t0 = gt ? strstr(gt, "<title>") : NULL;
    const char *t1 = t0 ? strstr(t0, "</title>") : NULL;
    if (!t1)
        return vsp_error_set(err, VSP_ESOFTWARE, "chart %s: unexpected SVG from charts/", id);
    vsp_buf_printf(s->b, "<svg role=\"img\" aria-labelledby=\"%s-t\" lang=\"%s\"", id, s->tag);
    /* the root's attributes but xml:lang (lang above says it) and xmlns
     * (an HTML parser puts <svg> in its namespace by itself) */
    const char *a = p + 4;
    while (a < gt) {
        const char *sp = a;
        while (sp < gt && *sp == ' ')
            sp++;
        const char *end = sp;
        bool quoted = false;
        while (end < gt && (quoted || *end != ' ')) {
            if (*end == '"')
                quoted = !quoted;
            end++;
        }
        if (end > sp && strncmp(sp, "xml:lang=", 9) != 0 && strncmp(sp, "xmlns", 5) != 0) {
            vsp_buf_putc(s->b, ' ');
            vsp_buf_append(s->b, sp, (size_t)(end - sp));
        }
        a = end;
    }
    vsp_buf_printf(s->b, " class=\"chart %s\">\n<title id=\"%s-t\">", cls, id);
    esc(s, alt);
    put(s, "</title>");
    /* the rest, ids prefixed */
    const char *q = t1 + strlen("</title>");
    for (;;) {
        const char *hit1 = strstr(q, "id=\"clip");
        const char *hit2 = strstr(q, "url(#clip");
        const char *hit = hit1 && (!hit2 || hit1 < hit2) ? hit1 : hit2;
        if (!hit) {
            put(s, q);
            break;
        }
        size_t skip = hit == hit1 ? 4 : 5; /* past 'id="' or 'url(#' */
        vsp_buf_append(s->b, q, (size_t)(hit - q) + skip);
        vsp_buf_printf(s->b, "%s-", id);
        q = hit + skip;
    }
    return VSP_OK;
}

/* Chart id of the page's scope as a figure: the inline SVG with its text
 * alternative ("Chart: title — scope, period. summary The data are in
 * table n."), and a visible caption. */
static vsp_status figure(site *s, vsp_chart_id id, const char *summary, const char *table_no,
                         vsp_error *err)
{
    const vsp_chart_data *d = s->charts[s->scope][id];
    if (!d)
        return VSP_OK;
    vsp_chart_spec spec = vsp_chart_spec_default(id, s->cc, s->lang);
    spec.frame = true;
    spec.release = s->rel;
    char *svg = NULL, *narrow = NULL;
    size_t len = 0;
    spec.scale = CHART_SCALE;
    vsp_status st = vsp_chart_svg(&spec, d, CHART_W, CHART_H, &svg, &len, err);
    spec.scale = CHART_NARROW_SCALE;
    if (st == VSP_OK)
        st = vsp_chart_svg(&spec, d, CHART_NARROW_W, CHART_NARROW_H, &narrow, &len, err);
    if (st != VSP_OK) {
        free(svg);
        return st;
    }
    char n[16];
    snprintf(n, sizeof n, "%d", ++s->n_fig);
    const char *title = vsp_chart_title(id, s->lang);
    const char *names[] = {"n", "title", "scope", "period", "table", "summary"};
    const char *values[] = {n, title, scope_name(s), s->period_text, table_no,
                            summary ? summary : ""};
    const char *caption =
        fill(s, tr(s, "report", "Figure {n}. {title} — {scope}, {period}."), 4, names, values);
    const char *alt = fill(
        s, tr(s, "report", "Chart: {title} — {scope}, {period}. {summary} The data are in table {table}."),
        6, names, values);
    char fid[48], nid[48];
    snprintf(fid, sizeof fid, "fig-%s", vsp_chart_name(id));
    snprintf(nid, sizeof nid, "fig-%s-narrow", vsp_chart_name(id));
    put(s, "<figure>\n");
    st = inline_svg(s, svg, fid, "wide", alt, err);
    if (st == VSP_OK)
        st = inline_svg(s, narrow, nid, "narrow", alt, err);
    free(svg);
    free(narrow);
    if (st != VSP_OK)
        return st;
    elem(s, "<figcaption>", caption, "</figcaption>\n</figure>\n");
    return VSP_OK;
}

/* ---- sections --------------------------------------------------------- */

typedef struct keyfig {
    const char *metric;
    const char *label;
    int kind; /* 0 count, 1 rate, 2 hours */
} keyfig;

static const char *vs_prev(site *s, const char *change)
{
    return vsp_wording_vs_prev(&s->words, s->lang, change, s->prev_text);
}

static const char *fmt_kind(site *s, double v, int kind)
{
    return kind == 0 ? f_int(s, v) : kind == 1 ? f_pct(s, v) : f_num(s, v, 1);
}

static void section_key(site *s)
{
    const vsp_metrics *prev = s->trend[N_TREND - 2];
    put(s, "<section aria-labelledby=\"sec-key\">\n");
    h2(s, "sec-key", tr(s, "report", "Key figures"));
    const char *names[] = {"period", "scope", "received", "forwarded", "actioned", "rate"};
    const char *values[] = {s->period_text,
                            scope_name(s),
                            f_int(s, cur(s, "*", "received")),
                            f_int(s, cur(s, "*", "forwarded")),
                            f_int(s, cur(s, "*", "actioned")),
                            f_pct(s, cur(s, "*", "action_rate"))};
    elem(s, "<p class=\"lead\">",
         fill(s, tr(s, "report", "{scope}, {period} — reports received about content on video-sharing platforms: {received}; found to violate the law and forwarded to the platform: {forwarded}; acted on by the platform: {actioned}. Action rate: {rate} of the forwarded items with a final outcome."),
              6, names, values),
         "</p>\n");
    static const keyfig tiles[6] = {
        {"received", NC_("report", "Reports received"), 0},
        {"forwarded", NC_("report", "Violations forwarded to the platform"), 0},
        {"actioned", NC_("report", "Actioned by the platform"), 0},
        {"violation_rate", NC_("report", "Violation rate"), 1},
        {"action_rate", NC_("report", "Action rate"), 1},
        {"h_to_action_median", NC_("report", "Median time to action"), 2},
    };
    put(s, "<ul class=\"tiles\">\n");
    for (int i = 0; i < 6; i++) {
        double now = cur(s, "*", tiles[i].metric),
               before = mget(prev, s->cc, "*", tiles[i].metric);
        const char *value = tiles[i].kind == 0   ? f_int(s, now)
                            : tiles[i].kind == 1 ? f_pct(s, now)
                                                 : f_hours_1(s, now);
        elem(s, "<li><span class=\"k\">", tr(s, "report", tiles[i].label), "</span> ");
        put(s, "<span class=\"v\">");
        figure_text(s, rcur(s, "*", tiles[i].metric, value));
        put(s, "</span> ");
        elem(s, "<span class=\"c\">",
             vs_prev(s, f_change(s, now, before, tiles[i].kind == 1 ? VSP_CHANGE_POINTS : VSP_CHANGE_RELATIVE)),
             "</span></li>\n");
    }
    put(s, "</ul>\n");

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
        {"cross_border_items", NC_("report", "Cross-border items"), 0},
    };
    const char *heads[] = {tr(s, "report", "Indicator"), s->period_text, s->prev_text,
                           tr(s, "report", "Change")};
    table_begin(s, fill1(s, tr(s, "report", "Key figures, {period}"), "period", s->period_text),
                4, heads);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double now = cur(s, "*", rows[i].metric), before = mget(prev, s->cc, "*", rows[i].metric);
        const char *cells[] = {tr(s, "report", rows[i].label),
                               rcur(s, "*", rows[i].metric, fmt_kind(s, now, rows[i].kind)),
                               fmt_kind(s, before, rows[i].kind),
                               f_change(s, now, before,
                                        rows[i].kind == 1 ? VSP_CHANGE_POINTS : VSP_CHANGE_RELATIVE)};
        table_row(s, 4, cells, false);
    }
    table_end(s);
    elem(s, "<p class=\"note\">",
         tr(s, "report", "Changes of counts and hours are relative; changes of rates are differences in percentage points (pp). A dash means the figure is not defined or the previous period has no data. Every figure is defined in the methodology section."),
         "</p>\n");
    put(s, "</section>\n");
}

static vsp_status section_funnel(site *s, vsp_error *err)
{
    put(s, "<section aria-labelledby=\"sec-funnel\">\n");
    h2(s, "sec-funnel", tr(s, "report", "From report to platform action"));
    para(s, tr(s, "report", "Every report received is assessed against national law. Reports that show a violation are forwarded to the platform, which may remove the content, restrict it in the country, restrict it by age, act against the account, or decline."));
    const char *names[] = {"received", "assessed", "forwarded", "actioned"};
    const char *values[] = {f_int(s, cur(s, "*", "received")), f_int(s, cur(s, "*", "assessed")),
                            f_int(s, cur(s, "*", "forwarded")),
                            f_int(s, cur(s, "*", "actioned"))};
    const char *summary = fill(s, tr(s, "report", "Reports received: {received}; assessed: {assessed}; forwarded to the platform: {forwarded}; actioned by the platform: {actioned}."),
                               4, names, values);
    vsp_status st = figure(s, VSP_CHART_FUNNEL, summary, next_table_number(s), err);
    if (st != VSP_OK)
        return st;
    const char *heads[] = {tr(s, "report", "Stage"), tr(s, "report", "Reports")};
    table_begin(s, tr(s, "report", "The funnel"), 2, heads);
    row2(s, tr(s, "stage", "Received"), rcur(s, "*", "received", values[0]), false);
    row2(s, tr(s, "stage", "Assessed"), rcur(s, "*", "assessed", values[1]), false);
    row2(s, tr(s, "stage", "Forwarded to the platform"), rcur(s, "*", "forwarded", values[2]),
         false);
    row2(s, tr(s, "stage", "Actioned by the platform"), rcur(s, "*", "actioned", values[3]),
         false);
    row2(s, tr(s, "report", "Violation rate (forwarded ÷ assessed)"),
         rcur(s, "*", "violation_rate", f_pct(s, cur(s, "*", "violation_rate"))), false);
    row2(s, tr(s, "report", "Action rate (actioned ÷ forwarded with a final outcome)"),
         rcur(s, "*", "action_rate", f_pct(s, cur(s, "*", "action_rate"))), false);
    table_end(s);
    const char *heads2[] = {tr(s, "report", "Decision"), tr(s, "report", "Reports")};
    table_begin(s, tr(s, "report", "Regulator decisions"), 2, heads2);
    for (int i = 0; i < N_DECISIONS; i++) {
        char metric[48];
        snprintf(metric, sizeof metric, "decision_%s", decision_codes[i]);
        row2(s, vsp_i18n_decision(s->lang, decision_codes[i]), f_int(s, cur(s, "*", metric)),
             false);
    }
    row2(s, tr(s, "report", "Total received"), values[0], true);
    table_end(s);
    put(s, "</section>\n");
    return VSP_OK;
}

static vsp_status section_categories(site *s, vsp_error *err)
{
    put(s, "<section aria-labelledby=\"sec-categories\">\n");
    h2(s, "sec-categories", tr(s, "report", "Categories of content"));
    para(s, tr(s, "report", "Reports by category of content. The categories map onto those of the EU Digital Services Act transparency database (see the glossary), so the figures can be set beside the platforms' own reports."));
    int idx[N_CATEGORIES];
    int n = vsp_wording_sorted_categories(s->m, s->cc, "received", "received", idx);
    const char *summary = "";
    if (n > 0) {
        summary = vsp_wording_top_category(&s->words, s->lang, category_codes[idx[0]],
                                           cur(s, category_codes[idx[0]], "received"));
    }
    vsp_status st = figure(s, VSP_CHART_CATEGORIES, summary, next_table_number(s), err);
    if (st != VSP_OK)
        return st;
    const char *heads[] = {tr(s, "report", "Category"),       tr(s, "series", "Received"),
                           tr(s, "report", "Forwarded"),      tr(s, "report", "Actioned"),
                           tr(s, "report", "Violation rate"), tr(s, "report", "Action rate")};
    table_begin(s, tr(s, "report", "Reports by category"), 6, heads);
    for (int k = 0; k <= n; k++) {
        const char *cat = k < n ? category_codes[idx[k]] : "*";
        const char *cells[] = {vsp_i18n_category(s->lang, cat),
                               rcur(s, cat, "received", f_int(s, cur(s, cat, "received"))),
                               rcur(s, cat, "forwarded", f_int(s, cur(s, cat, "forwarded"))),
                               rcur(s, cat, "actioned", f_int(s, cur(s, cat, "actioned"))),
                               rcur(s, cat, "violation_rate", f_pct(s, cur(s, cat, "violation_rate"))),
                               rcur(s, cat, "action_rate", f_pct(s, cur(s, cat, "action_rate")))};
        table_row(s, 6, cells, k == n);
    }
    table_end(s);
    put(s, "</section>\n");
    return VSP_OK;
}

static const char *outcome_metric(site *s, int i)
{
    return keep(s, vsp_xasprintf("outcome_%s", outcome_codes[i]));
}

static vsp_status section_outcomes(site *s, vsp_error *err)
{
    put(s, "<section aria-labelledby=\"sec-outcomes\">\n");
    h2(s, "sec-outcomes", tr(s, "report", "Platform outcomes"));
    para(s, tr(s, "report", "What the platform did with the items the regulator forwarded. An item counts as actioned when it was removed, blocked in the country or age-restricted, or when the account was suspended or banned."));
    const char *names[] = {"removed", "blocked", "declined", "pending"};
    const char *values[] = {f_int(s, cur(s, "*", "outcome_removed")),
                            f_int(s, cur(s, "*", "outcome_geo_blocked")),
                            f_int(s, cur(s, "*", "outcome_declined")),
                            f_int(s, cur(s, "*", "outcome_pending"))};
    const char *summary = fill(s, tr(s, "report", "Forwarded items removed: {removed}; blocked in the country: {blocked}; declined: {declined}; still pending: {pending}."),
                               4, names, values);
    vsp_status st = figure(s, VSP_CHART_OUTCOMES, summary, next_table_number(s), err);
    if (st != VSP_OK)
        return st;
    const char *heads[] = {tr(s, "report", "Outcome"), tr(s, "report", "Items")};
    table_begin(s, tr(s, "report", "Platform outcomes of forwarded items"), 2, heads);
    for (int i = 0; i < N_OUTCOMES; i++)
        row2(s, vsp_i18n_outcome(s->lang, outcome_codes[i]),
             f_int(s, cur(s, "*", outcome_metric(s, i))), false);
    row2(s, tr(s, "report", "Total forwarded"), f_int(s, cur(s, "*", "forwarded")), true);
    table_end(s);
    /* by category: the chart's bars */
    int idx[N_CATEGORIES];
    int n = vsp_wording_sorted_categories(s->m, s->cc, "forwarded", "forwarded", idx);
    for (int part = 0; part < 2; part++) {
        int o0 = part == 0 ? 0 : 5, o1 = part == 0 ? 5 : N_OUTCOMES;
        const char *h[2 + N_OUTCOMES];
        size_t nc = 0;
        h[nc++] = tr(s, "report", "Category");
        h[nc++] = tr(s, "report", "Forwarded");
        for (int i = o0; i < o1; i++)
            h[nc++] = vsp_i18n_outcome(s->lang, outcome_codes[i]);
        table_begin(s,
                    part == 0 ? tr(s, "report", "Actioned outcomes by category")
                              : tr(s, "report", "Outcomes without action, and pending, by category"),
                    nc, h);
        for (int k = 0; k <= n; k++) {
            const char *cat = k < n ? category_codes[idx[k]] : "*";
            const char *cells[2 + N_OUTCOMES];
            cells[0] = vsp_i18n_category(s->lang, cat);
            cells[1] = f_int(s, cur(s, cat, "forwarded"));
            for (int i = o0; i < o1; i++)
                cells[2 + i - o0] = f_int(s, cur(s, cat, outcome_metric(s, i)));
            table_row(s, nc, cells, k == n);
        }
        table_end(s);
    }
    put(s, "</section>\n");
    return VSP_OK;
}

static const char *const duration_codes[] = {"received_decided", "decided_forwarded",
                                             "to_action", "to_response", "received_outcome"};
static const char *const duration_labels[] = {
    NC_("stage", "Received → decided"), NC_("stage", "Decided → forwarded"),
    NC_("stage", "Forwarded → actioned"), NC_("stage", "Forwarded → platform response"),
    NC_("stage", "Received → outcome")};

static vsp_status section_timeliness(site *s, vsp_error *err)
{
    put(s, "<section aria-labelledby=\"sec-timeliness\">\n");
    h2(s, "sec-timeliness", tr(s, "report", "Timeliness"));
    para(s, tr(s, "report", "How long each step took, in hours. Each median and 90th percentile is given with the number of items (n) it is based on; a duration counts only where the date and time of both of its ends are known (a date alone gives no duration) and the end is not before the start."));
    const char *names[] = {"median", "p90", "n"};
    const char *values[] = {f_hours_1(s, cur(s, "*", "h_to_action_median")),
                            f_hours_1(s, cur(s, "*", "h_to_action_p90")),
                            f_int(s, cur(s, "*", "h_to_action_n"))};
    const char *summary = fill(s, trn(s, "report", "Median time to action {median}, 90th percentile {p90}, over {n} actioned item.",
                                      "Median time to action {median}, 90th percentile {p90}, over {n} actioned items.",
                                      cur(s, "*", "h_to_action_n")),
                               3, names, values);
    vsp_status st = figure(s, VSP_CHART_TIMELINESS, summary, next_table_number(s), err);
    if (st != VSP_OK)
        return st;
    const char *heads[] = {tr(s, "report", "Step"), tr(s, "report", "Median (hours)"),
                           tr(s, "report", "90th percentile (hours)"),
                           tr(s, "report", "Items (n)")};
    table_begin(s, tr(s, "report", "Duration of each step, in hours"), 4, heads);
    for (int i = 0; i < 5; i++) {
        char m1[48], m2[48], m3[48];
        snprintf(m1, sizeof m1, "h_%s_median", duration_codes[i]);
        snprintf(m2, sizeof m2, "h_%s_p90", duration_codes[i]);
        snprintf(m3, sizeof m3, "h_%s_n", duration_codes[i]);
        const char *cells[] = {tr(s, "stage", duration_labels[i]),
                               rcur(s, "*", m1, f_num(s, cur(s, "*", m1), 1)),
                               rcur(s, "*", m2, f_num(s, cur(s, "*", m2), 1)),
                               rcur(s, "*", m3, f_int(s, cur(s, "*", m3)))};
        table_row(s, 4, cells, false);
    }
    table_end(s);
    const char *heads2[] = {tr(s, "report", "Time to action"), tr(s, "report", "Share")};
    table_begin(s, tr(s, "report", "Share of actioned items by time to action"), 2, heads2);
    row2(s, tr(s, "stage", "Within 24 hours"),
         rcur(s, "*", "share_24h", f_pct(s, cur(s, "*", "share_24h"))), false);
    row2(s, tr(s, "stage", "Within 48 hours"),
         rcur(s, "*", "share_48h", f_pct(s, cur(s, "*", "share_48h"))), false);
    row2(s, tr(s, "stage", "Within 7 days"),
         rcur(s, "*", "share_7d", f_pct(s, cur(s, "*", "share_7d"))), false);
    table_end(s);
    put(s, "</section>\n");
    return VSP_OK;
}

static vsp_status section_trend(site *s, vsp_error *err)
{
    put(s, "<section aria-labelledby=\"sec-trend\">\n");
    h2(s, "sec-trend", tr(s, "report", "Trend over eight periods"));
    para(s, tr(s, "report", "The same figures for this period and the seven before it, as of the date the data describe: cases of earlier periods updated by later exports are counted with their latest decision and outcome."));
    char first[80];
    vsp_i18n_period(s->lang, s->trend_p[0].label, first, sizeof first);
    const char *names[] = {"first", "last", "a", "b"};
    const char *values[] = {first, s->period_text,
                            f_int(s, mget(s->trend[0], s->cc, "*", "received")),
                            f_int(s, cur(s, "*", "received"))};
    const char *summary = fill(s, tr(s, "report", "Reports received went from {a} in {first} to {b} in {last}."),
                               4, names, values);
    vsp_status st = figure(s, VSP_CHART_TREND, summary, next_table_number(s), err);
    if (st != VSP_OK)
        return st;
    const char *heads[] = {tr(s, "report", "Period"),   tr(s, "series", "Received"),
                           tr(s, "report", "Forwarded"), tr(s, "report", "Actioned"),
                           tr(s, "report", "Action rate"),
                           tr(s, "report", "Median time to action (hours)")};
    table_begin(s, tr(s, "report", "Figures of the last eight periods"), 6, heads);
    bool gap = false;
    for (int i = 0; i < N_TREND; i++) {
        const vsp_metrics *m = s->trend[i];
        gap |= m == NULL;
        char label[80];
        vsp_i18n_period(s->lang, s->trend_p[i].label, label, sizeof label);
        /* a figure of any of the eight periods may have been revised */
        const char *pl = s->trend_p[i].label;
        const char *cells[] = {
            keep(s, vsp_xstrdup(label)),
            rmark_in(s, pl, s->cc, "*", "received", f_int(s, mget(m, s->cc, "*", "received"))),
            rmark_in(s, pl, s->cc, "*", "forwarded", f_int(s, mget(m, s->cc, "*", "forwarded"))),
            rmark_in(s, pl, s->cc, "*", "actioned", f_int(s, mget(m, s->cc, "*", "actioned"))),
            rmark_in(s, pl, s->cc, "*", "action_rate", f_pct(s, mget(m, s->cc, "*", "action_rate"))),
            rmark_in(s, pl, s->cc, "*", "h_to_action_median",
                     f_num(s, mget(m, s->cc, "*", "h_to_action_median"), 1))};
        table_row(s, 6, cells, i == N_TREND - 1);
    }
    table_end(s);
    if (gap)
        elem(s, "<p class=\"note\">",
             tr(s, "report", "A dash marks a period that has not been aggregated in this warehouse."),
             "</p>\n");
    put(s, "</section>\n");
    return VSP_OK;
}

static vsp_status section_countries(site *s, vsp_error *err)
{
    put(s, "<section aria-labelledby=\"sec-countries\">\n");
    h2(s, "sec-countries", tr(s, "report", "Countries compared"));
    para(s, tr(s, "report", "Counts per 100 000 inhabitants make countries of different size comparable. Populations are those of each country's latest census (see the methodology)."));
    int best = -1;
    double bv = -1;
    for (int i = 0; i < N_COUNTRIES; i++) {
        double v = mget(s->m, country_codes[i], "*", "received_per100k");
        if (isfinite(v) && v > bv) {
            bv = v;
            best = i;
        }
    }
    const char *summary = "";
    if (best >= 0) {
        const char *names[] = {"country", "n"};
        const char *values[] = {country_name(s, country_codes[best]), f_num(s, bv, 1)};
        summary = fill(s, tr(s, "report", "The most reports per 100 000 inhabitants came from {country}: {n}."),
                       2, names, values);
    }
    const char *tno = next_table_number(s);
    vsp_status st = figure(s, VSP_CHART_COUNTRIES, summary, tno, err);
    if (st == VSP_OK)
        st = figure(s, VSP_CHART_MAP, summary, tno, err);
    if (st != VSP_OK)
        return st;
    const char *heads[] = {tr(s, "report", "Country"),
                           tr(s, "report", "Population"),
                           tr(s, "series", "Received"),
                           tr(s, "report", "Received per 100 000"),
                           tr(s, "report", "Forwarded per 100 000"),
                           tr(s, "report", "Actioned per 100 000"),
                           tr(s, "report", "Action rate")};
    table_begin(s, tr(s, "report", "Countries per 100 000 inhabitants"), 7, heads);
    for (int i = 0; i <= N_COUNTRIES; i++) {
        const char *cc = i < N_COUNTRIES ? country_codes[i] : "region";
        const char *cells[] = {
            country_name(s, cc), f_int(s, mget(s->m, cc, "*", "population")),
            rmark(s, cc, "*", "received", f_int(s, mget(s->m, cc, "*", "received"))),
            rmark(s, cc, "*", "received_per100k", f_num(s, mget(s->m, cc, "*", "received_per100k"), 1)),
            rmark(s, cc, "*", "forwarded_per100k", f_num(s, mget(s->m, cc, "*", "forwarded_per100k"), 1)),
            rmark(s, cc, "*", "actioned_per100k", f_num(s, mget(s->m, cc, "*", "actioned_per100k"), 1)),
            rmark(s, cc, "*", "action_rate", f_pct(s, mget(s->m, cc, "*", "action_rate")))};
        table_row(s, 7, cells, i == N_COUNTRIES);
    }
    table_end(s);
    put(s, "</section>\n");
    return VSP_OK;
}

static vsp_status section_heatmap(site *s, vsp_error *err)
{
    put(s, "<section aria-labelledby=\"sec-heatmap\">\n");
    h2(s, "sec-heatmap", tr(s, "report", "Categories by country"));
    para(s, tr(s, "report", "Reports received by category in each country. Differences reflect what people report and what each regulator's remit covers as much as what circulates on the platform."));
    int idx[N_CATEGORIES];
    int n = vsp_wording_sorted_categories(s->m, "region", "received", NULL, idx);
    const char *summary = "";
    if (n > 0) {
        summary = vsp_wording_top_category(&s->words, s->lang, category_codes[idx[0]],
                                           mget(s->m, "region", category_codes[idx[0]], "received"));
    }
    vsp_status st = figure(s, VSP_CHART_HEATMAP, summary, next_table_number(s), err);
    if (st != VSP_OK)
        return st;
    const char *heads[2 + N_COUNTRIES];
    heads[0] = tr(s, "report", "Category");
    for (int j = 0; j < N_COUNTRIES; j++)
        heads[1 + j] = country_name(s, country_codes[j]);
    heads[1 + N_COUNTRIES] = country_name(s, "region");
    table_begin(s, tr(s, "report", "Reports received by category and country"), 2 + N_COUNTRIES,
                heads);
    for (int k = 0; k <= n; k++) {
        const char *cat = k < n ? category_codes[idx[k]] : "*";
        const char *cells[2 + N_COUNTRIES];
        cells[0] = vsp_i18n_category(s->lang, cat);
        for (int j = 0; j <= N_COUNTRIES; j++)
            cells[1 + j] = f_int(
                s, mget(s->m, j < N_COUNTRIES ? country_codes[j] : "region", cat, "received"));
        table_row(s, 2 + N_COUNTRIES, cells, k == n);
    }
    table_end(s);
    put(s, "</section>\n");
    return VSP_OK;
}

static vsp_status section_crossborder(site *s, vsp_error *err)
{
    put(s, "<section aria-labelledby=\"sec-crossborder\">\n");
    h2(s, "sec-crossborder", tr(s, "report", "Cross-border items"));
    para(s, tr(s, "report", "An item is cross-border when the same video or account was reported in two or more countries in the period. Items are matched on a canonical key built from the link; neither links nor keys are published."));
    const char *summary =
        fill1(s, trn(s, "report", "{n} item was reported in two or more countries.",
                     "{n} items were reported in two or more countries.",
                     cur(s, "*", "cross_border_items")),
              "n", f_int(s, cur(s, "*", "cross_border_items")));
    vsp_status st = figure(s, VSP_CHART_CROSSBORDER, summary, next_table_number(s), err);
    if (st != VSP_OK)
        return st;
    const char *heads[] = {tr(s, "report", "Category"), tr(s, "report", "Items")};
    table_begin(s, tr(s, "report", "Cross-border items by category"), 2, heads);
    for (int c = 0; c < N_CATEGORIES; c++) {
        double v = cur(s, category_codes[c], "cross_border_items");
        if (isfinite(v) && v > 0)
            row2(s, vsp_i18n_category(s->lang, category_codes[c]), f_int(s, v), false);
    }
    row2(s, tr(s, "report", "All cross-border items"), f_int(s, cur(s, "*", "cross_border_items")),
         true);
    table_end(s);
    const char *heads2[] = {tr(s, "report", "Countries"), tr(s, "report", "Items")};
    table_begin(s, tr(s, "report", "Cross-border items by pair of countries"), 2, heads2);
    size_t n_pairs = vsp_metrics_pair_count(s->m), shown = 0;
    for (size_t k = 0; k < n_pairs; k++) {
        const vsp_crossborder_pair *p = vsp_metrics_pair(s->m, k);
        if (!p || strcmp(p->category, "*") != 0 || p->items <= 0)
            continue;
        const char *pair = keep(s, vsp_xasprintf("%s – %s", country_name(s, p->country_a),
                                                 country_name(s, p->country_b)));
        row2(s, pair, f_int(s, (double)p->items), false);
        shown++;
    }
    if (shown == 0)
        row2(s, tr(s, "report", "No cross-border items in this period"), "0", false);
    table_end(s);
    put(s, "</section>\n");
    return VSP_OK;
}

static void section_quality(site *s)
{
    put(s, "<section aria-labelledby=\"sec-quality\">\n");
    h2(s, "sec-quality", tr(s, "report", "Data quality"));
    para(s, tr(s, "report", "Every row of every case-log export is accounted for: rows read = new + updated + unchanged + duplicates + rejected. Rejected rows are kept with their reason and line and returned to the regulator for correction; blank lines are counted apart. The table lists the exports that brought or last changed a case of this period, as they stood by the date the data are as of."));
    const char *heads[8];
    size_t nc = 0;
    heads[nc++] = tr(s, "report", "File");
    if (s->region)
        heads[nc++] = tr(s, "report", "Country");
    heads[nc++] = tr(s, "report", "Rows read");
    heads[nc++] = tr(s, "report", "New");
    heads[nc++] = tr(s, "report", "Updated");
    heads[nc++] = tr(s, "report", "Unchanged");
    heads[nc++] = tr(s, "report", "Duplicates");
    heads[nc++] = tr(s, "report", "Rejected");
    table_begin(s, tr(s, "report", "Rows of each case-log export"), nc, heads);
    double sum[6] = {0};
    size_t nq = vsp_metrics_quality_count(s->m);
    for (size_t k = 0; k < nq; k++) {
        const vsp_quality_run *q = vsp_metrics_quality(s->m, k);
        if (!s->region && !(q->country && strcmp(q->country, s->cc) == 0))
            continue;
        const char *cells[8];
        size_t j = 0;
        cells[j++] = q->file_name ? q->file_name : "";
        if (s->region)
            cells[j++] = country_name(s, q->country ? q->country : "");
        int64_t v[6] = {q->rows_read, q->rows_new, q->rows_updated, q->rows_unchanged,
                        q->rows_duplicate, q->rows_rejected};
        for (int i = 0; i < 6; i++) {
            cells[j++] = f_int(s, (double)v[i]);
            sum[i] += (double)v[i];
        }
        table_row(s, nc, cells, false);
    }
    const char *cells[8];
    size_t j = 0;
    cells[j++] = tr(s, "report", "Total");
    if (s->region)
        cells[j++] = "";
    for (int i = 0; i < 6; i++)
        cells[j++] = f_int(s, sum[i]);
    table_row(s, nc, cells, true);
    table_end(s);
    put(s, "</section>\n");
}

static long long file_size(const site *s, const char *rel);
static const char *page_file(int scope);

/* The revisions note (only when this version revised a figure), laid
 * out as the report's (reports/report.c): a table per area and reason, a
 * row per figure with its change over all categories and the categories
 * whose figure changed, old → new; revisions.csv has them one a row. */
static void section_revisions(site *s)
{
    if (!s->rel || s->rel->n_revisions == 0)
        return;
    put(s, "<section aria-labelledby=\"sec-revisions\">\n");
    h2(s, "sec-revisions", tr(s, "release", "Revisions"));
    char buf[1024];
    para(s, vsp_release_revisions_intro(s->rel, s->lang, buf, sizeof buf));
    if (s->region)
        para(s, vsp_release_regional_scope(s->lang, buf, sizeof buf));
    size_t n = 0;
    const vsp_revision **list = vsp_release_revisions_ordered(s->rel, s->cc, &n);
    if (n == 0) {
        para(s, fill1(s, tr(s, "release", "No figure of {scope} changed in this version."), "scope",
                      scope_name(s)));
        put(s, "</section>\n");
        return;
    }
    const char *heads[] = {tr(s, "release", "Figure"), vsp_i18n_category(s->lang, "*"),
                           tr(s, "release", "Categories whose figure changed")};
    vsp_buf all, cats;
    vsp_buf_init(&all);
    vsp_buf_init(&cats);
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && vsp_release_same_why(list[i], list[end]))
            end++;
        char why[512];
        const char *names[] = {"area", "why"};
        const char *values[] = {country_name(s, list[i]->area),
                                vsp_release_reason_text(list[i], s->lang, why, sizeof why)};
        size_t cols = 2; /* as the report's: categories only where one changed */
        for (size_t k = i; k < end; k++)
            if (vsp_release_by_category(s->rel, list[k]))
                cols = 3;
        table_begin_aligned(s,
                            fill(s, tr(s, "release", "Revised figures, {area}: {why}"), 2, names,
                                 values),
                            cols, heads, "lrl");
        for (size_t k = i; k < end;) {
            size_t m = k;
            while (m < end && strcmp(list[m]->measure, list[k]->measure) == 0)
                m++;
            vsp_release_row_text(s->rel, list + k, m - k, s->lang, &all, &cats);
            elem(s, "<tr><th scope=\"row\">",
                 vsp_release_measure_label(list[k]->measure, s->lang), "</th>");
            elem(s, "<td>", all.data ? all.data : "", cols == 3 ? "</td>" : "</td></tr>\n");
            if (cols == 3)
                elem(s, "<td class=\"l\">", cats.data ? cats.data : "", "</td></tr>\n");
            k = m;
        }
        table_end(s);
        i = end;
    }
    vsp_buf_fini(&all);
    vsp_buf_fini(&cats);
    free(list);
    /* the two files named, each a link where the public folder has it */
    const char *fnames[] = {"codebook", "revisions"};
    const char *fvalues[] = {"figures-codebook.csv", "revisions.csv"};
    const char *note = fill(s, tr(s, "release", "Each figure is defined in {codebook}. {revisions} lists every revised figure of every edition, one a row, with its code, its old and new value and why."),
                            2, fnames, fvalues);
    put(s, "<p class=\"note\">");
    while (*note) {
        const char *at = NULL;
        size_t k = 0;
        for (size_t f = 0; f < 2; f++) {
            const char *hit = strstr(note, fvalues[f]);
            if (hit && (!at || hit < at) && file_size(s, fvalues[f]) >= 0) {
                at = hit;
                k = f;
            }
        }
        if (!at) {
            esc(s, note);
            break;
        }
        char *before = vsp_xstrndup(note, (size_t)(at - note));
        esc(s, before);
        free(before);
        vsp_buf_printf(s->b, "<a href=\"../../%s\">%s</a>", fvalues[k], fvalues[k]);
        note = at + strlen(fvalues[k]);
    }
    put(s, "</p>\n");
    put(s, "</section>\n");
}

/* Links to the same page in the earlier versions of this release that
 * the public folder keeps (releases/<period>/v<N>/site/), newest first. */
static void earlier_versions(site *s)
{
    if (!s->rel || s->rel->version <= 1)
        return;
    vsp_buf links;
    vsp_buf_init(&links);
    vsp_buf *page_buf = s->b;
    s->b = &links;
    size_t n = 0;
    for (int v = s->rel->version - 1; v >= 1; v--) {
        char *rel = vsp_xasprintf("releases/%s/v%d/site/%s/%s", s->rel->period, v, s->lang,
                                  page_file(s->scope));
        if (file_size(s, rel) >= 0) {
            char ver[16], date[64];
            snprintf(ver, sizeof ver, "%d", v);
            const char *names[] = {"version", "date"};
            const char *values[] = {ver, date};
            if (v == s->rel->previous_version && s->rel->previous_date[0])
                vsp_i18n_date(s->lang, s->rel->previous_date, date, sizeof date);
            else
                snprintf(date, sizeof date, "%s", "");
            const char *label =
                date[0] ? fill(s, tr(s, "release", "Version {version} of {date}"), 2, names, values)
                        : keep(s, vsp_xasprintf("v%d", v));
            put(s, n ? ", <a href=\"../../" : "<a href=\"../../");
            esc(s, rel);
            put(s, "\">");
            esc(s, label);
            put(s, "</a>");
            n++;
        }
        free(rel);
    }
    s->b = page_buf;
    if (n) {
        elem(s, "<dt>", tr(s, "release", "Earlier versions"), "</dt>");
        put(s, "<dd>");
        put(s, links.data);
        put(s, "</dd>\n");
    }
    vsp_buf_fini(&links);
}

static void def(site *s, const char *term, const char *text)
{
    elem(s, "<dt>", term, "</dt>");
    elem(s, "<dd>", text, "</dd>\n");
}

static void section_methodology(site *s)
{
    put(s, "<section aria-labelledby=\"sec-method\">\n");
    h2(s, "sec-method", tr(s, "report", "Methodology and definitions"));
    h3(s, "sec-method-period", tr(s, "report", "Period and how current the data are"));
    const char *mn[] = {"asof", "freeze"};
    const char *mv[] = {s->asof_text, s->freeze_text};
    para(s, fill(s, tr(s, "report", "A case belongs to the period that holds the date on which it was received, in the regulator's time zone. The figures are as of {asof}: the date each regulator's export was taken where it was stated, otherwise the latest date of any event in its case log; a regional figure is as of the earliest regulator. Whatever was still open on that date counts as pending. A later export can update a case: its latest decision and outcome count. (The case logs were last imported on {freeze}; that is bookkeeping, not how current the data are.)"),
                 2, mn, mv));
    para(s, tr(s, "report", "One case is one reported item — a video or an account — identified by the regulator's own case number. Each regulator exports its case log in its own format; a profile per regulator maps it onto one common record, so that the six countries count the same things in the same way."));
    h3(s, "sec-method-defs", tr(s, "report", "Definitions"));
    put(s, "<dl class=\"defs\">\n");
    def(s, tr(s, "report", "Received"), tr(s, "report", "every case received in the period."));
    def(s, tr(s, "report", "Assessed"), tr(s, "report", "cases with a regulator decision other than pending."));
    def(s, tr(s, "report", "Violations forwarded"), tr(s, "report", "cases the regulator found to violate the law and forwarded to the platform."));
    def(s, tr(s, "report", "Violation rate"), tr(s, "report", "forwarded ÷ assessed."));
    def(s, tr(s, "report", "Actioned"), tr(s, "report", "forwarded items the platform removed, blocked in the country or age-restricted, or whose account it suspended or banned."));
    def(s, tr(s, "report", "Outcome pending"), tr(s, "report", "forwarded items with no final platform outcome by the date the data are as of."));
    def(s, tr(s, "report", "Action rate"), tr(s, "report", "actioned ÷ (forwarded − outcome pending)."));
    def(s, tr(s, "report", "Per 100 000 inhabitants"), tr(s, "report", "a count × 100 000 ÷ the population of the latest census (table below)."));
    def(s, tr(s, "report", "Durations"), tr(s, "report", "hours between two times of a case, counted only where the date and time of both are known (a date alone gives no duration, so a regulator that records dates only has none) and the end is not before the start: received → decided; decided → forwarded; time to action, forwarded → outcome for actioned items (the EU template's “time to give effect”); time to platform response, forwarded → outcome for every final outcome; received → outcome."));
    def(s, tr(s, "report", "Median and 90th percentile"), tr(s, "report", "quantiles interpolated linearly between the closest ranks (Excel PERCENTILE.INC, the default of pandas), so the median of an even count is the mean of the two middle values. They are always given with n, the number of durations behind them, and in hours."));
    def(s, tr(s, "report", "Shares within 24 hours, 48 hours and 7 days"), tr(s, "report", "the fraction of the items with a time to action whose time to action was at most 24, 48 or 168 hours."));
    def(s, tr(s, "report", "Trend"), tr(s, "report", "the same figures for the period and the seven periods of the same kind before it."));
    def(s, tr(s, "report", "Cross-border items"), tr(s, "report", "items (the same video or account) reported in two or more countries in the period."));
    def(s, tr(s, "report", "Data quality"), tr(s, "report", "per export file, rows read = new + updated + unchanged + duplicates + rejected, with the reasons for rejection."));
    def(s, tr(s, "report", "Change against the previous period"), tr(s, "report", "relative change (%) for counts and hours, difference in percentage points (pp) for rates."));
    def(s, tr(s, "report", "Video-sharing platform (VSP)"), tr(s, "report", "an online service whose users upload and share videos, such as TikTok."));
    def(s, tr(s, "report", "Regulator"), tr(s, "report", "the national authority for audiovisual media that receives the reports, assesses them and forwards violations to the platform."));
    def(s, vsp_i18n_outcome(s->lang, "geo_blocked"), tr(s, "report", "the content stays online elsewhere but cannot be seen from the country."));
    def(s, vsp_i18n_outcome(s->lang, "age_restricted"), tr(s, "report", "the content can no longer be seen by minors."));
    def(s, vsp_i18n_outcome(s->lang, "declined"), tr(s, "report", "the platform decided not to act on the forwarded item."));
    def(s, tr(s, "report", "Data freeze"), tr(s, "report", "the moment of the latest case-log import behind the report; later changes appear in the next edition."));
    put(s, "</dl>\n");
    h3(s, "sec-method-population", tr(s, "report", "Population"));
    static const char *const census_year[N_COUNTRIES] = {"2023", "2013", "2023", "2021", "2022",
                                                         "2024"};
    const char *heads[] = {tr(s, "report", "Country"), tr(s, "report", "Population"),
                           tr(s, "report", "Census")};
    table_begin(s, tr(s, "report", "Population used for figures per 100 000 inhabitants"), 3,
                heads);
    for (int i = 0; i < N_COUNTRIES; i++) {
        if (!s->region && strcmp(country_codes[i], s->cc) != 0)
            continue;
        const char *cells[] = {country_name(s, country_codes[i]),
                               f_int(s, mget(s->m, country_codes[i], "*", "population")),
                               census_year[i]};
        table_row(s, 3, cells, false);
    }
    table_end(s);
    elem(s, "<p class=\"note\">",
         tr(s, "report", "Sources: the national statistical offices' censuses — INSTAT (Albania, 2023), the Agency for Statistics of Bosnia and Herzegovina (2013), MONSTAT (Montenegro, 2023), the State Statistical Office (North Macedonia, 2021), the Statistical Office of the Republic of Serbia (2022) and the Kosovo Agency of Statistics (2024)."),
         "</p>\n");
    h3(s, "sec-method-how", tr(s, "report", "How the figures are made"));
    para(s, tr(s, "site", "The figures are computed once, by vspreport aggregate, from the case records in the warehouse; this page, the PDF reports, the workbooks and the charts all read those same stored figures. Rates are shown with one decimal and hours with one decimal; the unrounded figures are in the workbook. No personal data — names, contact details, links, account handles or notes — appears on this page."));
    put(s, "</section>\n");
}

/* ---- downloads -------------------------------------------------------- */

/* Size of root/rel, or -1 if it is not a regular file. */
static long long file_size(const site *s, const char *rel)
{
    char *path = vsp_xasprintf("%s/%s", s->root, rel);
    struct stat sb;
    long long r = stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? (long long)sb.st_size : -1;
    free(path);
    return r;
}

static const char *f_size(site *s, long long bytes)
{
    if (bytes < 1000 * 1000)
        return fill1(s, tr(s, "site", "{n} kB"), "n",
                     f_num(s, bytes < 1000 ? 1 : (double)bytes / 1000, 0));
    return fill1(s, tr(s, "site", "{n} MB"), "n", f_num(s, (double)bytes / 1e6, 1));
}

/* One download as a list item: the link (relative to the page, which is
 * two folders below the root), then "(FORMAT, size)".  lang_idx >= 0 marks
 * a file in another language than the page's.  False if the file is not
 * there. */
static bool download_item(site *s, const char *rel, const char *label, const char *format,
                          int lang_idx)
{
    long long size = file_size(s, rel);
    if (size < 0)
        return false;
    put(s, "<li><a href=\"../../");
    esc(s, rel);
    put(s, "\"");
    if (lang_idx >= 0)
        vsp_buf_printf(s->b, " hreflang=\"%s\"", lang_tags[lang_idx]);
    put(s, ">");
    esc(s, label);
    if (lang_idx >= 0) {
        vsp_buf_printf(s->b, " — <span lang=\"%s\">", lang_tags[lang_idx]);
        esc(s, endonyms[lang_idx]);
        put(s, "</span>");
    }
    put(s, "</a> <span class=\"meta\">(");
    esc(s, format);
    put(s, ", ");
    esc(s, f_size(s, size));
    put(s, ")</span></li>\n");
    s->res.downloads++;
    return true;
}

static int lang_index(const char *lang)
{
    for (int i = 0; i < VSP_I18N_N_LANGS; i++)
        if (strcmp(vsp_i18n_langs[i], lang) == 0)
            return i;
    return 0;
}

static void section_downloads(site *s)
{
    put(s, "<section aria-labelledby=\"sec-downloads\">\n");
    h2(s, "sec-downloads", tr(s, "site", "Downloads"));
    const char *stem = s->region ? "regional" : country_files[s->scope];
    const char *period = vsp_metrics_period(s->m)->label;
    size_t before = s->res.downloads;
    int me = lang_index(s->lang);

    /* the PDF report and the workbook: the page's language first, then
     * the others that exist */
    static const struct {
        const char *dir, *ext, *label, *format;
    } docs[] = {
        {"reports", "pdf", NC_("site", "PDF report"), "PDF"},
        {"workbooks", "xlsx", NC_("site", "Workbook with the figures and tables"), "XLSX"},
    };
    bool open = false;
    for (size_t k = 0; k < 2; k++)
        for (int pass = 0; pass < 2; pass++)
            for (int li = 0; li < VSP_I18N_N_LANGS; li++) {
                if ((pass == 0) != (li == me))
                    continue;
                char *rel = vsp_xasprintf("%s/%s-%s-%s.%s", docs[k].dir, stem, period,
                                          vsp_i18n_langs[li], docs[k].ext);
                if (file_size(s, rel) >= 0 && !open) {
                    h3(s, "dl-docs", tr(s, "site", "Report and workbook"));
                    put(s, "<ul class=\"dl\">\n");
                    open = true;
                }
                download_item(s, rel, tr(s, "site", docs[k].label), docs[k].format,
                              li == me ? -1 : li);
                free(rel);
            }
    if (open)
        put(s, "</ul>\n");

    /* chart files: one row per chart, one column per format */
    const char *cdir = s->region ? "regional" : country_codes[s->scope];
    static const char *const fmts[] = {"png", "svg", "pdf", "csv"};
    static const char *const fmt_names[] = {"PNG", "SVG", "PDF", "CSV"};
    bool any = false;
    for (int id = 0; id < VSP_CHART_COUNT && !any; id++)
        for (int f = 0; f < 4 && !any; f++) {
            char *rel = vsp_xasprintf("charts/%s/%s/%s.%s", cdir, s->lang,
                                      vsp_chart_name((vsp_chart_id)id), fmts[f]);
            any = file_size(s, rel) >= 0;
            free(rel);
        }
    if (any) {
        h3(s, "dl-charts", tr(s, "site", "Chart files"));
        para(s, tr(s, "site", "Each chart as PNG (slide size), SVG and PDF (vectors, for print and editing), and its data as CSV."));
        const char *heads[] = {tr(s, "site", "Chart"), "PNG", "SVG", "PDF", "CSV"};
        table_begin(s, tr(s, "site", "Chart files"), 5, heads);
        for (int id = 0; id < VSP_CHART_COUNT; id++) {
            if (!vsp_chart_applies((vsp_chart_id)id, s->cc))
                continue;
            put(s, "<tr>");
            elem(s, "<th scope=\"row\">", vsp_chart_title((vsp_chart_id)id, s->lang), "</th>");
            for (int f = 0; f < 4; f++) {
                char *rel = vsp_xasprintf("charts/%s/%s/%s.%s", cdir, s->lang,
                                          vsp_chart_name((vsp_chart_id)id), fmts[f]);
                long long size = file_size(s, rel);
                put(s, "<td>");
                if (size >= 0) {
                    put(s, "<a href=\"../../");
                    esc(s, rel);
                    put(s, "\">");
                    esc(s, fmt_names[f]);
                    put(s, "</a> <span class=\"meta\">");
                    esc(s, f_size(s, size));
                    put(s, "</span>");
                    s->res.downloads++;
                } else {
                    put(s, "\xe2\x80\x93");
                }
                put(s, "</td>");
                free(rel);
            }
            put(s, "</tr>\n");
        }
        table_end(s);
    }

    /* the research export: the same files for every edition */
    static const struct {
        const char *suffix, *label, *format;
    } exp[] = {
        {".xlsx", NC_("site", "Anonymised case-level data"), "XLSX"},
        {".csv", NC_("site", "Anonymised case-level data"), "CSV"},
        {"-dictionary.csv", NC_("site", "Data dictionary"), "CSV"},
        {"-anonymisation.md", NC_("site", "Anonymisation report"), "Markdown"},
    };
    open = false;
    for (size_t k = 0; k < sizeof exp / sizeof exp[0]; k++) {
        char *rel = vsp_xasprintf("export/research-%s%s", period, exp[k].suffix);
        if (file_size(s, rel) >= 0 && !open) {
            h3(s, "dl-export", tr(s, "site", "Research export"));
            para(s, tr(s, "site", "Case-level data of the whole region for research, anonymised: no link, account handle, reporter detail, note or free text; cases and content under keyed pseudonyms; dates coarsened. The data dictionary describes every column; the anonymisation report says what was generalised or suppressed. In English."));
            put(s, "<ul class=\"dl\">\n");
            open = true;
        }
        download_item(s, rel, tr(s, "site", exp[k].label), exp[k].format, -1);
        free(rel);
    }
    if (open)
        put(s, "</ul>\n");
    if (s->res.downloads == before)
        para(s, tr(s, "site", "No downloads were found beside this web edition. `vspreport run` publishes the PDF reports, workbooks, chart files and the research export beside it."));
    put(s, "</section>\n");
}

/* ---- the page --------------------------------------------------------- */

/* The style sheet, the same on every page: system fonts, 4.5:1 contrast
 * at least, visible focus, reflow down to 320 px (tables scroll in their
 * own box), and a print style. */
static const char css[] =
    ":root{--ink:#1a1a1a;--soft:#4a4a4a;--accent:#0b4f8a;--tint:#eef3f8;--rule:#c4ccd4}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
    "body{margin:0;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\","
    "\"DejaVu Sans\",\"Helvetica Neue\",Arial,sans-serif;font-size:1rem;line-height:1.55;"
    "color:var(--ink);background:#fff}\n"
    ".wrap{max-width:62rem;margin:0 auto;padding:0 1rem}\n"
    "a{color:var(--accent);text-decoration:underline;text-underline-offset:.15em}\n"
    "a:hover{text-decoration-thickness:2px}\n"
    "a:focus-visible,[tabindex]:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;"
    "box-shadow:0 0 0 5px #ffd23f}\n"
    ".skip{position:absolute;left:.5rem;top:-4rem;background:#fff;padding:.5rem 1rem;"
    "border:2px solid var(--accent);z-index:2}\n"
    ".skip:focus{top:.5rem}\n"
    "header.top{border-bottom:4px solid var(--accent);background:var(--tint)}\n"
    "header.top .wrap{padding-top:.75rem;padding-bottom:.75rem}\n"
    ".issuer{margin:0;font-weight:700;color:var(--accent)}\n"
    "nav ul{list-style:none;margin:.25rem 0 0;padding:0;display:flex;flex-wrap:wrap;"
    "gap:.25rem 1rem}\n"
    ".navlabel{display:block;font-size:.85rem;margin:.5rem 0 0;color:var(--soft);"
    "font-weight:600}\n"
    "nav a[aria-current]{font-weight:700;color:var(--ink);text-decoration:none}\n"
    "main{padding:1rem 0 2rem}\n"
    "h1{font-size:1.9rem;line-height:1.2;margin:1rem 0 .5rem}\n"
    "h2{font-size:1.45rem;line-height:1.25;margin:2.25rem 0 .5rem;padding-top:.75rem;"
    "border-top:1px solid var(--rule)}\n"
    "h3{font-size:1.15rem;margin:1.5rem 0 .4rem}\n"
    ".sub{color:var(--soft);margin:0 0 1rem;max-width:48rem}\n"
    ".lead{font-size:1.1rem;max-width:48rem}\n"
    ".facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}\n"
    ".facts dt{font-weight:600;color:var(--soft)}\n.facts dd{margin:0}\n"
    ".tiles{list-style:none;padding:0;margin:1rem 0;display:grid;"
    "grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.75rem}\n"
    ".tiles li{background:var(--tint);border-left:4px solid var(--accent);padding:.6rem .8rem}\n"
    ".tiles .k,.tiles .c{display:block;color:var(--soft);font-size:.9rem}\n"
    ".tiles .v{display:block;font-size:1.6rem;font-weight:700;color:var(--accent)}\n"
    "figure{margin:1.25rem 0}\n"
    "svg.chart{display:block;width:100%;height:auto;border:1px solid var(--rule)}\n"
    "svg.narrow{display:none}\n"
    "figcaption{color:var(--soft);font-size:.95rem;margin-top:.35rem}\n"
    ".tw{overflow-x:auto;margin:1rem 0;max-width:100%}\n"
    "table{border-collapse:collapse;font-size:.95rem;font-variant-numeric:tabular-nums}\n"
    "caption{text-align:left;font-weight:600;padding:.25rem 0;caption-side:top}\n"
    "th,td{padding:.3rem .6rem;border-bottom:1px solid var(--rule);vertical-align:top}\n"
    "thead th{border-bottom:2px solid var(--ink);text-align:left}\n"
    "thead th.n,td{text-align:right}\n"
    "tbody th{text-align:left;font-weight:400}\ntd.l{text-align:left}\n"
    "tr.total th,tr.total td{font-weight:700;border-top:2px solid var(--ink)}\n"
    ".note,.meta{color:var(--soft);font-size:.9rem}\n"
    ".defs dt{font-weight:700;margin-top:.5rem}\n.defs dd{margin:0 0 0 1.5rem}\n"
    ".dl li{margin:.2rem 0}\n"
    "nav ul.langs{display:block}.langs li{margin:.35rem 0}\n"
    "footer{border-top:1px solid var(--rule);color:var(--soft);font-size:.9rem;"
    "padding:1rem 0 2rem}\n"
    "table{min-width:min(100%,30rem)}\n";

/* Narrow screens and print, as <style media="..."> rather than @media
 * blocks (which a check for @handles in published text would trip on). */
static const char css_narrow[] =
    "h1{font-size:1.5rem}h2{font-size:1.25rem}.tiles{grid-template-columns:1fr}\n"
    "svg.chart.wide{display:none}svg.chart.narrow{display:block}\n"
    ".facts{grid-template-columns:minmax(0,1fr)}.facts dd{margin:0 0 .35rem}\n"
    "table{font-size:.9rem}th,td{padding:.25rem .35rem}.wrap{padding:0 .75rem}\n";
static const char css_print[] =
    "header.top nav,.skip{display:none}header.top{background:none}"
    "body{font-size:10.5pt}.wrap{max-width:none}"
    "h2{break-after:avoid}figure,tr{break-inside:avoid}.tw{overflow:visible}"
    "a{color:#000}.dl a::after{content:\" <\" attr(href) \">\";font-size:.85em}"
    "svg.chart{border:none}svg.chart.wide{display:block}svg.chart.narrow{display:none}\n";

static void page_head(site *s, const char *tag, const char *title)
{
    vsp_buf_printf(s->b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
                   tag);
    put(s, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    vsp_buf_printf(s->b, "<meta name=\"generator\" content=\"vspreport %s\">\n", VSP_VERSION);
    elem(s, "<title>", title, "</title>\n");
    put(s, "<style>\n");
    put(s, css);
    put(s, "</style>\n<style media=\"(max-width: 40rem)\">\n");
    put(s, css_narrow);
    put(s, "</style>\n<style media=\"print\">\n");
    put(s, css_print);
    put(s, "</style>\n</head>\n<body>\n");
}

/* file name of a scope's page inside a language folder */
static const char *page_file(int scope)
{
    static const char *const files[N_SCOPES] = {"al.html", "ba.html", "me.html", "mk.html",
                                                "rs.html", "xk.html", "index.html"};
    return files[scope];
}

static void page_header(site *s)
{
    elem(s, "<a class=\"skip\" href=\"#main\">", tr(s, "site", "Skip to main content"), "</a>\n");
    put(s, "<header class=\"top\"><div class=\"wrap\">\n");
    elem(s, "<p class=\"issuer\">",
         tr(s, "report", "Video-sharing platform regulators of the Western Balkans"), "</p>\n");
    /* editions of this language */
    elem(s, "<nav aria-labelledby=\"nav-ed\"><span class=\"navlabel\" id=\"nav-ed\">",
         tr(s, "site", "Editions"), "</span><ul>\n");
    for (int k = 0; k < N_SCOPES; k++) {
        int sc = k == 0 ? N_COUNTRIES : k - 1; /* the region first */
        vsp_buf_printf(s->b, "<li><a href=\"%s\"%s>", page_file(sc),
                       sc == s->scope ? " aria-current=\"page\"" : "");
        esc(s, country_name(s, sc == N_COUNTRIES ? "region" : country_codes[sc]));
        put(s, "</a></li>\n");
    }
    put(s, "</ul></nav>\n");
    /* the same page in the other languages, each in its own name */
    elem(s, "<nav aria-labelledby=\"nav-lang\"><span class=\"navlabel\" id=\"nav-lang\">",
         tr(s, "site", "Languages"), "</span><ul>\n");
    int me = lang_index(s->lang);
    for (int li = 0; li < VSP_I18N_N_LANGS; li++) {
        vsp_buf_printf(s->b, "<li><a href=\"../%s/%s\" lang=\"%s\" hreflang=\"%s\"%s>",
                       vsp_i18n_langs[li], page_file(s->scope), lang_tags[li], lang_tags[li],
                       li == me ? " aria-current=\"true\"" : "");
        esc(s, endonyms[li]);
        put(s, "</a></li>\n");
    }
    put(s, "<li><a href=\"../index.html\">");
    esc(s, tr(s, "site", "All languages"));
    put(s, "</a></li>\n</ul></nav>\n</div></header>\n");
}

static const char *page_title(site *s)
{
    const char *names[] = {"scope", "period", "regulator"};
    const char *reg = s->region ? "" : vsp_i18n_regulator_short(s->lang, s->cc);
    const char *values[] = {scope_name(s), s->period_text, reg ? reg : s->cc};
    return s->region
               ? fill(s, tr(s, "report", "Western Balkans regional transparency report, {period}"),
                      3, names, values)
               : fill(s, tr(s, "report", "Transparency report of {regulator}, {scope}, {period}"),
                      3, names, values);
}

static void fact(site *s, const char *term, const char *value)
{
    elem(s, "<dt>", term, "</dt>");
    elem(s, "<dd>", value, "</dd>\n");
}

static vsp_status make_dir(const char *path, vsp_error *err)
{
    /* the parents first, as mkdir -p */
    char *p = vsp_xstrdup(path);
    for (char *q = p + 1; *q; q++) {
        if (*q != '/')
            continue;
        *q = '\0';
        (void)mkdir(p, 0777);
        *q = '/';
    }
    free(p);
    if (mkdir(path, 0777) == 0 || errno == EEXIST) {
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            return VSP_OK;
    }
    return vsp_error_set(err, VSP_ECANTCREAT, "%s: cannot create the folder: %s", path,
                         errno == EEXIST ? "a file of that name is in the way" : strerror(errno));
}

static void count_page(site *s, const char *rel, size_t len)
{
    s->res.pages++;
    s->res.bytes += len;
    if (len > s->res.largest_bytes) {
        s->res.largest_bytes = len;
        snprintf(s->res.largest, sizeof s->res.largest, "%s", rel);
    }
}

static vsp_status page(site *s, int li, int scope, vsp_error *err)
{
    s->lang = vsp_i18n_langs[li];
    s->tag = lang_tags[li];
    s->scope = scope;
    s->region = scope == N_COUNTRIES;
    s->cc = s->region ? "region" : country_codes[scope];
    s->n_tab = s->n_fig = 0;
    vsp_buf b;
    vsp_buf_init(&b);
    s->b = &b;
    vsp_status st = VSP_OK;

    const vsp_period *p = vsp_metrics_period(s->m);
    vsp_i18n_period(s->lang, p->label, s->period_text, sizeof s->period_text);
    vsp_i18n_period(s->lang, s->trend_p[N_TREND - 2].label, s->prev_text, sizeof s->prev_text);
    const char *freeze = vsp_metrics_data_freeze(s->m);
    if (freeze && freeze[0]) {
        char date[64];
        vsp_i18n_date(s->lang, freeze, date, sizeof date);
        snprintf(s->freeze_text, sizeof s->freeze_text, "%s, %.5s UTC", date,
                 strlen(freeze) >= 16 ? freeze + 11 : "00:00");
    } else {
        snprintf(s->freeze_text, sizeof s->freeze_text, "%s", "\xe2\x80\x93");
    }
    vsp_i18n_date(s->lang, s->now_iso, s->now_text, sizeof s->now_text);
    vsp_release_format(s->rel, s->lang, s->rel_text, sizeof s->rel_text);

    const char *title = page_title(s);
    page_head(s, s->tag, title);
    page_header(s);
    put(s, "<main id=\"main\" tabindex=\"-1\"><div class=\"wrap\">\n");
    elem(s, "<h1>", title, "</h1>\n");
    elem(s, "<p class=\"sub\">",
         tr(s, "report", "Reports from the public about illegal and harmful content on video-sharing platforms: what the regulator found and what the platform did"),
         "</p>\n");
    put(s, "<dl class=\"facts\">\n");
    if (!s->region) {
        const char *name = vsp_i18n_regulator(s->lang, s->cc);
        const char *abbr = vsp_i18n_regulator_short(s->lang, s->cc);
        if (name)
            fact(s, tr(s, "report", "Regulator"),
                 keep(s, vsp_xasprintf("%s (%s)", name, abbr ? abbr : s->cc)));
    }
    char a[11], bday[11], da[64], db[64];
    vsp_day_format(p->start_day, a);
    vsp_day_format(p->end_day, bday);
    vsp_i18n_date(s->lang, a, da, sizeof da);
    vsp_i18n_date(s->lang, bday, db, sizeof db);
    const char *names[] = {"start", "end"};
    const char *values[] = {da, db};
    fact(s, tr(s, "report", "Period"),
         keep(s, vsp_xasprintf("%s — %s", s->period_text,
                               fill(s, tr(s, "report", "Cases received from {start} to {end}"), 2,
                                    names, values))));
    int32_t asof = 0;
    snprintf(s->asof_text, sizeof s->asof_text, "%s", "\xe2\x80\x93");
    if (vsp_metrics_as_of(s->m, s->cc, &asof)) {
        /* as the report says it: the region names whose date it is */
        char iso[11], date[64], who[64];
        vsp_day_format(asof, iso);
        vsp_i18n_date(s->lang, iso, date, sizeof date);
        if (s->region && vsp_metrics_as_of_from(s->m, who, sizeof who) > 0) {
            char regs[128];
            const char *an[] = {"date", "who"};
            const char *av[] = {date, vsp_i18n_regulator_list(s->lang, who, regs, sizeof regs)};
            vsp_i18n_subst(s->asof_text, sizeof s->asof_text,
                           tr(s, "report", "{date} (the earliest regulator: {who})"), 2, an, av);
        } else {
            snprintf(s->asof_text, sizeof s->asof_text, "%s", date);
        }
        fact(s, tr(s, "report", "Data as of"), s->asof_text);
    }
    /* the import time is bookkeeping, not how current the data are */
    fact(s, tr(s, "workbook", "Last import of the case logs (UTC)"), s->freeze_text);
    fact(s, tr(s, "report", "Published"), s->now_text);
    if (s->rel) {
        fact(s, tr(s, "release", "Release"), s->rel_text);
        earlier_versions(s);
    }
    put(s, "</dl>\n");
    if (vsp_metrics_provisional(s->m, s->cc) == 1)
        elem(s, "<p class=\"note\">",
             tr(s, "report", "Provisional: outcomes for this period are still arriving (forwarded items without a final outcome, or data as of less than 30 days after the period's end); later editions will revise these figures."),
             "</p>\n");

    section_key(s);
    if ((st = section_funnel(s, err)) != VSP_OK || (st = section_categories(s, err)) != VSP_OK ||
        (st = section_outcomes(s, err)) != VSP_OK ||
        (st = section_timeliness(s, err)) != VSP_OK || (st = section_trend(s, err)) != VSP_OK)
        goto out;
    if (s->region && ((st = section_countries(s, err)) != VSP_OK ||
                      (st = section_heatmap(s, err)) != VSP_OK ||
                      (st = section_crossborder(s, err)) != VSP_OK))
        goto out;
    section_quality(s);
    section_revisions(s);
    section_methodology(s);
    section_downloads(s);
    put(s, "</div></main>\n<footer><div class=\"wrap\">\n");
    if (s->rel)
        elem(s, "<p>", s->rel_text, "</p>\n");
    elem(s, "<p>",
         fill1(s, tr(s, "report", "Produced with vspreport {version} from the regulators' case logs"),
               "version", VSP_VERSION),
         "</p>\n");
    put(s, "</div></footer>\n</body>\n</html>\n");

    char *rel = vsp_xasprintf("%s/%s", s->lang, page_file(scope));
    char *path = vsp_xasprintf("%s/%s", s->opt->out_dir, rel);
    st = vsp_outfile_write_unsynced(path, b.data, b.len, err);
    if (st == VSP_OK)
        count_page(s, rel, b.len);
    free(rel);
    free(path);
out:
    vsp_buf_fini(&b);
    s->b = NULL;
    arena_clear(s);
    return st;
}

/* DIR/index.html: the language chooser.  English is the page's language;
 * every choice is in its own language, with the regional report's title
 * in that language beside it. */
static vsp_status index_page(site *s, vsp_error *err)
{
    vsp_buf b;
    vsp_buf_init(&b);
    s->b = &b;
    s->lang = "en";
    s->tag = "en";
    s->region = true;
    s->cc = "region";
    s->scope = N_COUNTRIES;
    const vsp_period *p = vsp_metrics_period(s->m);
    vsp_i18n_period("en", p->label, s->period_text, sizeof s->period_text);
    const char *title = page_title(s);
    page_head(s, "en", title);
    elem(s, "<a class=\"skip\" href=\"#main\">", tr(s, "site", "Skip to main content"), "</a>\n");
    put(s, "<header class=\"top\"><div class=\"wrap\">\n");
    elem(s, "<p class=\"issuer\">",
         tr(s, "report", "Video-sharing platform regulators of the Western Balkans"),
         "</p>\n</div></header>\n");
    put(s, "<main id=\"main\" tabindex=\"-1\"><div class=\"wrap\">\n");
    elem(s, "<h1>", title, "</h1>\n");
    put(s, "<nav aria-labelledby=\"choose\">\n");
    elem(s, "<h2 id=\"choose\">", tr(s, "site", "Choose a language"), "</h2>\n");
    put(s, "<ul class=\"langs\">\n");
    for (int li = 0; li < VSP_I18N_N_LANGS; li++) {
        s->lang = vsp_i18n_langs[li];
        vsp_i18n_period(s->lang, p->label, s->period_text, sizeof s->period_text);
        vsp_buf_printf(&b, "<li><a href=\"%s/index.html\" lang=\"%s\" hreflang=\"%s\">",
                       vsp_i18n_langs[li], lang_tags[li], lang_tags[li]);
        esc(s, endonyms[li]);
        vsp_buf_printf(&b, "</a> <span lang=\"%s\" class=\"meta\">", lang_tags[li]);
        esc(s, page_title(s));
        put(s, "</span></li>\n");
    }
    put(s, "</ul>\n</nav>\n</div></main>\n<footer><div class=\"wrap\">\n");
    s->lang = "en";
    if (s->rel) {
        vsp_release_format(s->rel, s->lang, s->rel_text, sizeof s->rel_text);
        elem(s, "<p>", s->rel_text, "</p>\n");
    }
    elem(s, "<p>",
         fill1(s, tr(s, "report", "Produced with vspreport {version} from the regulators' case logs"),
               "version", VSP_VERSION),
         "</p>\n");
    put(s, "</div></footer>\n</body>\n</html>\n");
    char *path = vsp_xasprintf("%s/index.html", s->opt->out_dir);
    vsp_status st = vsp_outfile_write_unsynced(path, b.data, b.len, err);
    if (st == VSP_OK)
        count_page(s, "index.html", b.len);
    free(path);
    vsp_buf_fini(&b);
    s->b = NULL;
    arena_clear(s);
    return st;
}

/* The folder that holds dir ("." for a bare name). */
static char *parent_dir(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    while (n > 0 && dir[n - 1] != '/')
        n--;
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n == 0)
        return vsp_xstrdup(".");
    return vsp_xstrndup(dir, n);
}

vsp_status vsp_site_render(vsp_store *store, const vsp_site_opts *opts, vsp_site_result *out,
                           vsp_error *err)
{
    site s;
    memset(&s, 0, sizeof s);
    s.store = store;
    s.opt = opts;
    s.rel = opts ? opts->release : NULL;
    vsp_status st = VSP_OK;
    if (!opts || !opts->out_dir || !opts->period)
        return vsp_error_set(err, VSP_EUSAGE, "site: a period and an output folder are needed");
    for (int li = 0; li < VSP_I18N_N_LANGS; li++)
        if ((st = vsp_i18n_load(vsp_i18n_langs[li], err)) != VSP_OK)
            return st;
    s.m = vsp_metrics_load(store, opts->period, err);
    if (!s.m)
        return err->status;
    const vsp_period *p = vsp_metrics_period(s.m);
    for (int i = 0; i < N_TREND; i++) {
        vsp_period_shift(p, i - (N_TREND - 1), &s.trend_p[i]);
        if (i == N_TREND - 1) {
            s.trend[i] = s.m;
        } else if (p->kind != VSP_PERIOD_RANGE) {
            vsp_error ignored;
            s.trend[i] = vsp_metrics_load(store, s.trend_p[i].label, &ignored);
        }
    }
    vsp_store_utc_now(s.now_iso);
    s.root = parent_dir(opts->out_dir);
    s.src = vsp_chart_source_open(store, p->label, err);
    if (!s.src) {
        st = err->status;
        goto out;
    }
    for (int sc = 0; sc < N_SCOPES; sc++) {
        const char *cc = sc == N_COUNTRIES ? "region" : country_codes[sc];
        for (int id = 0; id < VSP_CHART_COUNT; id++) {
            if (!vsp_chart_applies((vsp_chart_id)id, cc))
                continue;
            s.charts[sc][id] = vsp_chart_data_load(s.src, (vsp_chart_id)id, cc, err);
            if (!s.charts[sc][id]) {
                st = err->status;
                goto out;
            }
        }
    }
    if ((st = make_dir(opts->out_dir, err)) != VSP_OK)
        goto out;
    for (int li = 0; li < VSP_I18N_N_LANGS && st == VSP_OK; li++) {
        char *dir = vsp_xasprintf("%s/%s", opts->out_dir, vsp_i18n_langs[li]);
        st = make_dir(dir, err);
        free(dir);
        for (int sc = N_COUNTRIES; st == VSP_OK && sc >= 0; sc--)
            st = page(&s, li, sc, err);
    }
    if (st == VSP_OK)
        st = index_page(&s, err);
    if (st == VSP_OK && out)
        *out = s.res;
out:
    for (int sc = 0; sc < N_SCOPES; sc++)
        for (int id = 0; id < VSP_CHART_COUNT; id++)
            vsp_chart_data_free(s.charts[sc][id]);
    vsp_chart_source_close(s.src);
    for (int i = 0; i < N_TREND - 1; i++)
        vsp_metrics_free(s.trend[i]);
    vsp_metrics_free(s.m);
    vsp_wording_fini(&s.words);
    free(s.root);
    return st;
}
